import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'

/**
 * For a Redis driver's test file (call inside its `describe`): one shared client, a fresh key prefix
 * per driver instance under a per-run prefix, and every key of the run deleted afterwards.
 */
export function redisTestKeys(
  url: string,
  label: string,
): { runPrefix: string; client(): Redis; nextPrefix(): string } {
  const runPrefix = `junction-test:${label}:${randomUUID()}:`
  let client: Redis | undefined
  let instances = 0

  beforeAll(() => {
    client = new Redis(url)
  })

  afterAll(async () => {
    if (client === undefined) return
    for await (const keys of client.scanStream({ match: `${runPrefix}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await client.del(keys as string[])
    }
    await client.quit()
  })

  return {
    runPrefix,
    client() {
      if (client === undefined) throw new Error('redisTestKeys: the client exists only inside tests')
      return client
    },
    nextPrefix: () => `${runPrefix}${instances++}:`,
  }
}
