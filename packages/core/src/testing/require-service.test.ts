import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { requireService } from './require-service.js'

const listen = async (): Promise<{ server: Server; port: number }> => {
  const server = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { server, port: address.port }
}

// A port nothing listens on: bound, then released.
const closedPort = async (): Promise<number> => {
  const { server, port } = await listen()
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('requireService', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('runs the suite when the service accepts connections', async () => {
    const { server, port } = await listen()
    try {
      const url = `redis://127.0.0.1:${port}`
      expect(await requireService('redis', { url, ci: true })).toEqual({ service: 'redis', url, skip: false })
    } finally {
      server.close()
    }
  })

  it('skips with a warning naming the service and where it looked when unreachable outside CI', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const url = `postgres://app:hunter2@127.0.0.1:${await closedPort()}/test`
    const result = await requireService('postgres', { url, ci: false })
    expect(result.skip).toBe(true)
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/Skipping postgres tests: .*127\.0\.0\.1:\d+.*DATABASE_URL/),
    )
    expect(warn).not.toHaveBeenCalledWith(expect.stringContaining('hunter2'))
  })

  it('fails loudly in CI when the service is unreachable, without echoing credentials', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await closedPort()}`
    const failure = requireService('redis', { url, ci: true })
    await expect(failure).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      message: expect.stringContaining('CI=true'),
    })
    await expect(failure).rejects.toMatchObject({ message: expect.not.stringContaining('hunter2') })
  })

  it('rejects a url that does not parse with a ConfigError naming the variable', async () => {
    await expect(requireService('redis', { url: 'not a url' })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      option: 'REDIS_URL',
    })
  })
})
