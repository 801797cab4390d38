import { afterEach, describe, expect, it, vi } from 'vitest'
import type { BusMessage, DeadLetter, MessageBus, SubscribeOptions } from '../bus/message-bus.js'

// Redelivery is driven by real (short) idle times; assertions wait for events, never for speed.
const REDELIVER_MS = 80
const PAST_REDELIVERY_MS = 400
const WAIT = { timeout: 10_000, interval: 10 }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Gate {
  promise: Promise<void>
  open(): void
}
const gate = (): Gate => {
  let open: () => void = () => undefined
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open: () => open() }
}

/**
 * Registers the `MessageBus` contract as vitest tests, for Junction's drivers and third-party ones.
 * `factory` is called once per test and must return a bus whose topics no other test sees.
 */
export function messageBusContract(name: string, factory: () => MessageBus | Promise<MessageBus>): void {
  describe(`${name} (MessageBus contract)`, () => {
    const opened: MessageBus[] = []
    const cleanups: Array<() => void> = []
    const open = async (): Promise<MessageBus> => {
      const bus = await factory()
      opened.push(bus)
      return bus
    }
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) cleanup()
      await Promise.all(opened.splice(0).map((bus) => bus.close()))
    })

    const collect = async (
      bus: MessageBus,
      topic: string,
      options: SubscribeOptions,
    ): Promise<Array<BusMessage<unknown>>> => {
      const seen: Array<BusMessage<unknown>> = []
      await bus.subscribe(topic, (message) => void seen.push(message), options)
      return seen
    }

    describe('delivery', () => {
      it('delivers a published message with its payload, headers and a first delivery count of 1', async () => {
        const bus = await open()
        const seen = await collect(bus, 'orders', { group: 'billing' })
        const at = new Date('2026-11-24T10:00:00.000Z')
        const id = await bus.publish(
          'orders',
          { order: 'SO-1', at, lines: [1, 2] },
          { headers: { trace: 't-1' } },
        )
        await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT)
        const [message] = seen
        expect(message).toMatchObject({ id, topic: 'orders', headers: { trace: 't-1' }, deliveryCount: 1 })
        expect(message?.payload).toEqual({ order: 'SO-1', at, lines: [1, 2] })
        expect(message?.publishedAt).toBeInstanceOf(Date)
      })

      it('delivers messages of one topic in the order they were published', async () => {
        const bus = await open()
        const seen = await collect(bus, 'orders', { group: 'billing' })
        for (let index = 0; index < 10; index++) await bus.publish('orders', index)
        await vi.waitFor(() => expect(seen).toHaveLength(10), WAIT)
        expect(seen.map((message) => message.payload)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
      })

      it('gives every group every message', async () => {
        const bus = await open()
        const billing = await collect(bus, 'orders', { group: 'billing' })
        const shipping = await collect(bus, 'orders', { group: 'shipping' })
        for (let index = 0; index < 5; index++) await bus.publish('orders', index)
        await vi.waitFor(() => expect([billing.length, shipping.length]).toEqual([5, 5]), WAIT)
      })

      it('gives each message of a group to one of its consumers', async () => {
        const bus = await open()
        const first = await collect(bus, 'orders', { group: 'billing', consumer: 'a' })
        const second = await collect(bus, 'orders', { group: 'billing', consumer: 'b' })
        for (let index = 0; index < 20; index++) await bus.publish('orders', index)
        await vi.waitFor(() => expect(first.length + second.length).toBe(20), WAIT)
        await sleep(PAST_REDELIVERY_MS)
        const payloads = [...first, ...second].map((message) => message.payload as number)
        expect(payloads.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, index) => index))
      })

      it('keeps topics apart', async () => {
        const bus = await open()
        const orders = await collect(bus, 'orders', { group: 'g' })
        await bus.publish('invoices', 'not an order')
        await bus.publish('orders', 'an order')
        await vi.waitFor(() => expect(orders).toHaveLength(1), WAIT)
        await sleep(50)
        expect(orders.map((message) => message.payload)).toEqual(['an order'])
      })

      it('lets a new group read what was published before it subscribed, by default', async () => {
        const bus = await open()
        await bus.publish('orders', 'early')
        const seen = await collect(bus, 'orders', { group: 'late-joiner' })
        await vi.waitFor(() => expect(seen.map((message) => message.payload)).toEqual(['early']), WAIT)
      })

      it("starts a group at the topic's end with startAt latest", async () => {
        const bus = await open()
        await bus.publish('orders', 'before')
        const seen = await collect(bus, 'orders', { group: 'tail', startAt: 'latest' })
        await bus.publish('orders', 'after')
        await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT)
        expect(seen[0]?.payload).toBe('after')
      })

      it('runs up to concurrency handlers at once', async () => {
        const bus = await open()
        const release = gate()
        cleanups.push(release.open)
        let running = 0
        let peak = 0
        await bus.subscribe(
          'jobs',
          async () => {
            running++
            peak = Math.max(peak, running)
            await release.promise
            running--
          },
          { group: 'workers', concurrency: 3 },
        )
        for (let index = 0; index < 5; index++) await bus.publish('jobs', index)
        await vi.waitFor(() => expect(running).toBe(3), WAIT)
        release.open()
        await vi.waitFor(() => expect(running).toBe(0), WAIT)
        expect(peak).toBe(3)
      })
    })

    describe('acknowledgement and redelivery', () => {
      it('does not deliver an acknowledged message again', async () => {
        const bus = await open()
        const seen = await collect(bus, 'orders', { group: 'billing', redeliverAfterMs: REDELIVER_MS })
        await bus.publish('orders', 'once')
        await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT)
        await sleep(PAST_REDELIVERY_MS)
        expect(seen).toHaveLength(1)
      })

      it('redelivers the message of a failed handler with a higher delivery count', async () => {
        const bus = await open()
        const counts: number[] = []
        await bus.subscribe(
          'orders',
          (message) => {
            counts.push(message.deliveryCount)
            if (message.deliveryCount === 1) throw new Error('first try fails')
          },
          { group: 'billing', redeliverAfterMs: REDELIVER_MS },
        )
        await bus.publish('orders', 'retry me')
        await vi.waitFor(() => expect(counts).toEqual([1, 2]), WAIT)
        await sleep(PAST_REDELIVERY_MS)
        expect(counts).toEqual([1, 2])
      })

      it('redelivers a message left unacknowledged too long to another consumer of the group', async () => {
        const bus = await open()
        const stuck = gate()
        cleanups.push(stuck.open)
        const options = { group: 'billing', redeliverAfterMs: REDELIVER_MS }
        const first: number[] = []
        await bus.subscribe(
          'orders',
          async (message) => {
            first.push(message.deliveryCount)
            await stuck.promise
          },
          { ...options, consumer: 'slow' },
        )
        await bus.publish('orders', 'slow work')
        await vi.waitFor(() => expect(first).toEqual([1]), WAIT)
        const second = await collect(bus, 'orders', { ...options, consumer: 'healthy' })
        await vi.waitFor(() => expect(second.map((message) => message.deliveryCount)).toEqual([2]), WAIT)
        stuck.open()
      })

      it('reports a failed handler with its error through onEvent', async () => {
        const bus = await open()
        const events: string[] = []
        await bus.subscribe(
          'orders',
          () => {
            throw new Error('boom')
          },
          {
            group: 'billing',
            maxDeliveries: 1,
            onEvent: (event) => events.push(`${event.type}:${'error' in event ? event.error.code : ''}`),
          },
        )
        await bus.publish('orders', 'x')
        await vi.waitFor(
          () => expect(events).toEqual(['failed:HANDLER_FAILED', 'dead-lettered:HANDLER_FAILED']),
          WAIT,
        )
      })
    })

    describe('dead letters', () => {
      it('moves a message to the dead-letter topic after maxDeliveries failures, with the last error redacted', async () => {
        const bus = await open()
        const counts: number[] = []
        await bus.subscribe(
          'orders',
          (message) => {
            counts.push(message.deliveryCount)
            throw new Error(
              `upstream refused: Authorization: Bearer eyJhbGciOi.secret-${message.deliveryCount}`,
            )
          },
          { group: 'billing', maxDeliveries: 3, redeliverAfterMs: REDELIVER_MS },
        )
        const letters = await collect(bus, 'orders.dead-letter', { group: 'ops' })
        const id = await bus.publish('orders', { order: 'SO-9' }, { headers: { trace: 't-9' } })
        await vi.waitFor(() => expect(letters).toHaveLength(1), WAIT)
        const letter = letters[0]?.payload as DeadLetter
        expect(letter).toMatchObject({
          topic: 'orders',
          group: 'billing',
          messageId: id,
          payload: { order: 'SO-9' },
          headers: { trace: 't-9' },
          deliveries: 3,
          error: { code: 'HANDLER_FAILED', retryable: true },
        })
        expect(letter.error.message).toContain('upstream refused')
        expect(letter.error.message).not.toContain('eyJhbGciOi')
        expect(letter.deadAt).toBeInstanceOf(Date)
        await sleep(PAST_REDELIVERY_MS)
        expect(counts).toEqual([1, 2, 3])
      })

      it("keeps a JunctionError's own code in the dead letter", async () => {
        const bus = await open()
        const { JunctionError } = await import('../errors/junction-error.js')
        await bus.subscribe(
          'orders',
          () => {
            throw new JunctionError({ code: 'VALIDATION_FAILED', message: 'order has no lines' })
          },
          { group: 'billing', maxDeliveries: 1 },
        )
        const letters = await collect(bus, 'orders.dead-letter', { group: 'ops' })
        await bus.publish('orders', {})
        await vi.waitFor(() => expect(letters).toHaveLength(1), WAIT)
        expect((letters[0]?.payload as DeadLetter | undefined)?.error).toEqual({
          code: 'VALIDATION_FAILED',
          message: 'order has no lines',
          retryable: false,
        })
      })

      it('dead-letters a message whose consumer never acknowledged it, once it comes back over the limit', async () => {
        const bus = await open()
        const stuck = gate()
        cleanups.push(stuck.open)
        const options = { group: 'billing', maxDeliveries: 1, redeliverAfterMs: REDELIVER_MS }
        await bus.subscribe('orders', () => stuck.promise, { ...options, consumer: 'hung' })
        const letters = await collect(bus, 'orders.dead-letter', { group: 'ops' })
        const healthy = await collect(bus, 'orders', { ...options, consumer: 'healthy' })
        await bus.publish('orders', 'never acked')
        await vi.waitFor(() => expect(letters).toHaveLength(1), WAIT)
        expect((letters[0]?.payload as DeadLetter | undefined)?.error.code).toBe('DELIVERY_LIMIT')
        expect(healthy).toEqual([])
        stuck.open()
      })

      it('uses the deadLetterTopic given', async () => {
        const bus = await open()
        await bus.subscribe(
          'orders',
          () => {
            throw new Error('no')
          },
          { group: 'billing', maxDeliveries: 1, deadLetterTopic: 'parking-lot' },
        )
        const letters = await collect(bus, 'parking-lot', { group: 'ops' })
        await bus.publish('orders', 1)
        await vi.waitFor(() => expect(letters).toHaveLength(1), WAIT)
      })
    })

    describe('closing', () => {
      it('waits for in-flight handlers when a subscription closes, and their messages stay acknowledged', async () => {
        const bus = await open()
        const release = gate()
        cleanups.push(release.open)
        let started = false
        let finished = false
        const subscription = await bus.subscribe(
          'orders',
          async () => {
            started = true
            await release.promise
            finished = true
          },
          { group: 'billing', redeliverAfterMs: REDELIVER_MS },
        )
        await bus.publish('orders', 'in flight')
        await vi.waitFor(() => expect(started).toBe(true), WAIT)
        let closed = false
        const closing = subscription.close().then(() => {
          closed = true
        })
        await sleep(50)
        expect(closed).toBe(false)
        release.open()
        await closing
        expect(finished).toBe(true)
        const again = await collect(bus, 'orders', { group: 'billing', redeliverAfterMs: REDELIVER_MS })
        await sleep(PAST_REDELIVERY_MS)
        expect(again).toEqual([])
      })

      it('delivers nothing to a closed subscription', async () => {
        const bus = await open()
        const seen: unknown[] = []
        const subscription = await bus.subscribe('orders', (message) => void seen.push(message), {
          group: 'g',
        })
        await subscription.close()
        await bus.publish('orders', 'later')
        await sleep(100)
        expect(seen).toEqual([])
      })

      it('rejects publish and subscribe on a closed bus with BUS_CLOSED, and closes idempotently', async () => {
        const bus = await open()
        await bus.close()
        await bus.close()
        await expect(bus.publish('orders', 1)).rejects.toMatchObject({ code: 'BUS_CLOSED' })
        await expect(bus.subscribe('orders', () => undefined, { group: 'g' })).rejects.toMatchObject({
          code: 'BUS_CLOSED',
        })
      })
    })

    describe('arguments', () => {
      it('rejects a payload that would not round-trip with a ValidationError', async () => {
        const bus = await open()
        await expect(bus.publish('orders', new Map([['a', 1]]))).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
        })
      })

      it('rejects an empty topic with a ValidationError', async () => {
        const bus = await open()
        await expect(bus.publish('', 1)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
      })

      it('rejects bad subscribe options with a ConfigError naming the option', async () => {
        const bus = await open()
        await expect(
          bus.subscribe('orders', () => undefined, { group: 'g', maxDeliveries: 0 }),
        ).rejects.toMatchObject({ code: 'INVALID_CONFIG', option: 'maxDeliveries' })
      })
    })
  })
}
