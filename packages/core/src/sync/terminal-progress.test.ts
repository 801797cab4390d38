import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { SyncProgress } from './sync-progress.js'
import { terminalProgress } from './terminal-progress.js'

const stream = (isTTY: boolean) => {
  const output = new PassThrough()
  let text = ''
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  const fake = Object.assign(output, { isTTY, columns: 120 }) as unknown as NodeJS.WriteStream
  return { fake, text: () => text }
}

const progress = (read: number): SyncProgress => ({
  entity: 'Invoice',
  checkpointKey: 'ledger:Invoice',
  read,
  written: read - 1,
  deleted: 1,
  invalid: 0,
  batches: 1,
  recordsPerSecond: 1234.4,
  lagMs: 2_500,
  cursor: String(read),
  resumedFrom: undefined,
  elapsedMs: 10,
})

describe('terminalProgress', () => {
  it('draws records, rate and lag on a TTY', async () => {
    const output = stream(true)
    const reporter = await terminalProgress('ledger Invoice', { stream: output.fake })
    reporter?.update(progress(40))
    reporter?.finish(progress(50))
    expect(output.text()).toContain('ledger Invoice 50 records | 50 written | 1234 rec/s | lag 2.5 s')
  })

  it('draws nothing when the stream is not a TTY', async () => {
    const output = stream(false)
    expect(await terminalProgress('ledger Invoice', { stream: output.fake })).toBeUndefined()
    expect(output.text()).toBe('')
  })
})
