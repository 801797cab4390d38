import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const WORKER = fileURLToPath(new URL('./budget-worker.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))

/** What a fleet of budget workers was granted. */
export interface FleetResult {
  /** Calls granted per window, all workers together. */
  perWindow: Map<number, number>
  /** Calls each worker was granted. */
  perWorker: number[]
  /** Calls granted by a worker's local fallback (0 unless Redis failed). */
  local: number
  /** Windows the fleet ran for from start to end (the first and last are partial, so left out). */
  fullWindows: number[]
}

interface Worker {
  lines: string[]
  exited: Promise<number | null>
  write(line: string): void
}

function start(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  let buffered = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    lines.push(...parts)
  })
  return {
    lines,
    exited: new Promise((resolve) => child.once('exit', resolve)),
    write: (line) => child.stdin.write(`${line}\n`),
  }
}

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20))
}

/**
 * Runs `count` child processes (Node with tsx) that take from one shared budget at full speed for
 * `durationMs`, started together once all are connected, and sums their grants per window.
 */
export async function runBudgetWorkers(options: {
  count: number
  url: string
  key: string
  budget: number
  windowMs: number
  durationMs: number
}): Promise<FleetResult> {
  const args = [options.url, options.key, options.budget, options.windowMs, options.durationMs].map(String)
  const workers = Array.from({ length: options.count }, () => start(args))
  await until(() => workers.every((worker) => worker.lines.includes('ready')))
  for (const worker of workers) worker.write('go')
  const codes = await Promise.all(workers.map((worker) => worker.exited))
  if (codes.some((code) => code !== 0)) throw new Error(`a budget worker exited with ${codes.join(', ')}`)

  const perWindow = new Map<number, number>()
  const perWorker: number[] = []
  let local = 0
  for (const worker of workers) {
    const report = JSON.parse(worker.lines.at(-1) ?? '{}') as {
      windows: Record<string, number>
      local: number
    }
    perWorker.push(Object.values(report.windows).reduce((sum, granted) => sum + granted, 0))
    local += report.local
    for (const [window, granted] of Object.entries(report.windows)) {
      perWindow.set(Number(window), (perWindow.get(Number(window)) ?? 0) + granted)
    }
  }
  const first = Math.min(...perWindow.keys())
  const last = Math.max(...perWindow.keys())
  const fullWindows = [...perWindow.keys()]
    .filter((window) => window > first && window < last)
    .sort((a, b) => a - b)
  return { perWindow, perWorker, local, fullWindows }
}
