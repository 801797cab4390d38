import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireService } from '../testing/require-service.js'
import { type CountingUpstream, countingUpstream } from './test-support/counting-upstream.js'

const redis = await requireService('redis')
const CHILD = fileURLToPath(new URL('./test-support/coalescing-child.ts', import.meta.url))

/** Starts a child and resolves once it is ready; `lines` yields what it prints after that. */
async function startChild(
  args: string[],
): Promise<{ child: ChildProcessWithoutNullStreams; next: () => Promise<string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: 'pipe' })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => {
    const { value, done } = await lines.next()
    if (done) throw new Error('child ended without output')
    return value as string
  }
  expect(await next()).toBe('ready')
  return { child, next }
}

describe.skipIf(redis.skip)('cacheMiddleware across processes', () => {
  const keyPrefix = `junction-test:cache-fleet:${randomUUID()}:`
  let upstream: CountingUpstream

  beforeAll(async () => {
    upstream = await countingUpstream()
  })
  afterAll(async () => {
    await upstream.close()
    const client = new Redis(redis.url)
    const keys = await client.keys(`${keyPrefix}*`)
    if (keys.length > 0) await client.del(keys)
    await client.quit()
  })

  it('makes one upstream call for identical misses in two processes sharing a Redis lock', async () => {
    // Slow answers, so both processes miss while the first fetch is still on its way.
    upstream.sim.faults.always({ delayMs: 500 })
    const children = await Promise.all([
      startChild([upstream.url, redis.url, keyPrefix]),
      startChild([upstream.url, redis.url, keyPrefix]),
    ])
    for (const { child } of children) child.stdin.write('go\n')
    const outputs = await Promise.all(children.map(({ next }) => next()))
    await Promise.all(
      children.map(({ child }) => (child.exitCode === null ? once(child, 'exit') : undefined)),
    )
    expect(outputs.map((line) => JSON.parse(line))).toEqual([Array(50).fill(1), Array(50).fill(1)])
    expect(upstream.calls()).toBe(1)
  }, 30_000)
})
