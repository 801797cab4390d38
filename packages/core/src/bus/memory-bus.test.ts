import { describe, expect, it, vi } from 'vitest'
import { messageBusContract } from '../testing/message-bus-contract.js'
import { memoryBus } from './memory-bus.js'

messageBusContract('memoryBus', () => memoryBus())

describe('memoryBus', () => {
  it('keeps at most maxLength messages per topic, dropping the oldest', async () => {
    const bus = memoryBus({ maxLength: 2 })
    try {
      for (const value of ['a', 'b', 'c']) await bus.publish('letters', value)
      const seen: unknown[] = []
      await bus.subscribe('letters', (message) => void seen.push(message.payload), { group: 'g' })
      await vi.waitFor(() => expect(seen).toEqual(['b', 'c']))
    } finally {
      await bus.close()
    }
  })

  it('rejects a maxLength that is not a positive integer with a ConfigError', () => {
    expect(() => memoryBus({ maxLength: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})
