import { describe, expect, it, vi } from 'vitest'
import { JunctionError } from '../errors/junction-error.js'
import { Redactor } from '../redaction/redactor.js'
import type { GroupChannel } from './group-channel.js'
import type { BusMessage, SubscriptionEvent } from './message-bus.js'
import { resolveSubscribeOptions } from './subscribe-options.js'
import { runSubscription } from './subscription-loop.js'

const message = (id: string): BusMessage => ({
  id,
  topic: 'orders',
  payload: id,
  headers: {},
  publishedAt: new Date(0),
  deliveryCount: 1,
})

/** A channel that fails its first read, then hands out one message, then nothing. */
function flakyChannel(): GroupChannel & { acked: string[] } {
  const acked: string[] = []
  let reads = 0
  return {
    acked,
    claimStale: async () => [],
    async readNew() {
      reads++
      if (reads === 1) {
        throw new JunctionError({
          code: 'CONNECTION_FAILED',
          message: 'redis bus read: connect ECONNREFUSED',
        })
      }
      if (reads === 2) return [message('m-1')]
      await new Promise((resolve) => setTimeout(resolve, 5))
      return []
    },
    async ack(delivered) {
      acked.push(delivered.id)
    },
    recordFailure: async () => undefined,
    lastFailure: async () => undefined,
    deadLetter: async () => undefined,
    interrupt: () => undefined,
    release: async () => undefined,
  }
}

describe('runSubscription', () => {
  it('reports a failed read as a bus-error event and keeps consuming', async () => {
    const channel = flakyChannel()
    const events: SubscriptionEvent[] = []
    const options = resolveSubscribeOptions(
      'orders',
      { group: 'g', redeliverAfterMs: 20, onEvent: (event) => events.push(event) },
      'test',
    )
    const subscription = runSubscription(
      channel,
      () => undefined,
      options,
      new Redactor(),
      () => undefined,
    )
    await vi.waitFor(() => expect(channel.acked).toEqual(['m-1']))
    await subscription.close()
    expect(events.map((event) => [event.type, 'error' in event ? event.error.code : undefined])).toEqual([
      ['bus-error', 'CONNECTION_FAILED'],
    ])
  })
})
