import { Worker } from 'node:worker_threads'

// A keep-alive HTTP server answering a ~1 KB JSON page (ten Salesforce-like accounts), run in a worker
// thread so that it does not share the event loop of the clients being measured.
const SERVER = `
const { createServer } = require('node:http')
const { parentPort } = require('node:worker_threads')
const records = Array.from({ length: 10 }, (_, index) => ({
  Id: '001' + String(index).padStart(15, '0'),
  Name: 'Account ' + index,
  Industry: 'Manufacturing',
  AnnualRevenue: 1000000 + index,
}))
const body = JSON.stringify({ totalSize: records.length, done: true, records })
const server = createServer((request, response) => {
  request.resume()
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  response.end(body)
})
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port, bytes: body.length }))
parentPort.on('message', () => server.close(() => process.exit(0)))
`

/** The benchmark server: its query URL, its body size, and how to stop it. */
export interface JsonServer {
  url: string
  bytes: number
  stop(): void
}

/** Starts the loopback JSON server in a worker thread. */
export async function startJsonServer(): Promise<JsonServer> {
  const worker = new Worker(SERVER, { eval: true })
  const { port, bytes } = await new Promise<{ port: number; bytes: number }>((resolve) =>
    worker.once('message', resolve),
  )
  return {
    url: `http://127.0.0.1:${port}/services/data/v62.0/query`,
    bytes,
    stop: () => worker.postMessage('stop'),
  }
}

/** Sends `requests` calls through `client` with `concurrency` in flight; resolves the elapsed ms. */
export async function runConcurrently(
  client: () => Promise<unknown>,
  requests: number,
  concurrency: number,
): Promise<number> {
  let remaining = requests
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining > 0) {
        remaining--
        await client()
      }
    }),
  )
  return performance.now() - started
}

/** What alternating rounds of two clients measured: total time and requests of each, and per-round ratios. */
export interface RoundsResult {
  elapsed: { raw: number; ours: number }
  requests: { raw: number; ours: number }
  /** ours / raw throughput of each round, sorted ascending. */
  ratios: number[]
}

/**
 * Measures `raw` against `ours` in alternating rounds (which goes first alternates), so that load
 * from other processes falls on both alike; stops after `rounds` or when `budgetMs` is spent.
 */
export async function alternatingRounds(
  clients: { raw: () => Promise<unknown>; ours: () => Promise<unknown> },
  options: { rounds: number; perRound: number; budgetMs: number; concurrency: number },
): Promise<RoundsResult> {
  const elapsed = { raw: 0, ours: 0 }
  const requests = { raw: 0, ours: 0 }
  const ratios: number[] = []
  const deadline = performance.now() + options.budgetMs
  for (let round = 0; round < options.rounds && performance.now() < deadline; round++) {
    const order: Array<'raw' | 'ours'> = round % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw']
    const rates = { raw: 0, ours: 0 }
    for (const name of order) {
      const ms = await runConcurrently(clients[name], options.perRound, options.concurrency)
      elapsed[name] += ms
      requests[name] += options.perRound
      rates[name] = (options.perRound / ms) * 1000
    }
    ratios.push(rates.ours / rates.raw)
    process.stderr.write(
      `round ${round + 1}: raw ${rates.raw.toFixed(0)} req/s, ours ${rates.ours.toFixed(0)} req/s, ` +
        `ratio ${(rates.ours / rates.raw).toFixed(3)}\n`,
    )
  }
  ratios.sort((a, b) => a - b)
  return { elapsed, requests, ratios }
}
