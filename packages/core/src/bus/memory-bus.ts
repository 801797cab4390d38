import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { Redactor } from '../redaction/redactor.js'
import { fromStoredJson, type StoredJson, toStoredJson } from '../stores/stored-value.js'
import { checkHeaders, checkTopic } from './bus-arguments.js'
import { busClosed } from './bus-errors.js'
import type { GroupChannel } from './group-channel.js'
import type { BusMessage, DeadLetterError, MessageBus, MessageHandler } from './message-bus.js'
import { type ResolvedSubscribeOptions, resolveSubscribeOptions } from './subscribe-options.js'
import { runningSubscriptions } from './subscription-loop.js'

const DRIVER = 'memory'

/** Options for `memoryBus`. */
export interface MemoryBusOptions {
  /** Messages each topic keeps (oldest dropped first), like a Redis stream's MAXLEN (default 10 000). */
  maxLength?: number
  /** Scrubs handler errors before they are reported or dead-lettered (default: secret-shaped text). */
  redactor?: Redactor
}

const memoryBusOptionsSchema = z.object({
  maxLength: z.number().int().positive().default(10_000),
  redactor: z.instanceof(Redactor).optional(),
})

interface StoredMessage {
  seq: number
  payload: StoredJson
  headers: Record<string, string>
  publishedAt: Date
}

interface PendingEntry {
  stored: StoredMessage
  consumer: string
  deliveredAt: number
  deliveries: number
  lastError: DeadLetterError | undefined
}

interface Group {
  /** The sequence number of the next message the group has not seen. */
  nextSeq: number
  readonly pending: Map<number, PendingEntry>
}

interface Topic {
  readonly log: StoredMessage[]
  nextSeq: number
  readonly groups: Map<string, Group>
  readonly waiters: Set<() => void>
}

/**
 * The embedded bus: one process, zero set-up, with the Redis driver's semantics (consumer groups,
 * acks, redelivery after `redeliverAfterMs`, delivery counts, dead letters). Payloads are stored as
 * JSON copies, so what a handler gets is what Redis would give it.
 */
export function memoryBus(options: MemoryBusOptions = {}): MessageBus {
  const parsed = parseOptions(memoryBusOptionsSchema, options, 'memoryBus')
  const redactor = parsed.redactor ?? new Redactor()
  const topics = new Map<string, Topic>()
  const subscriptions = runningSubscriptions()
  let closed = false

  const topicFor = (name: string): Topic => {
    let topic = topics.get(name)
    if (topic === undefined) {
      topic = { log: [], nextSeq: 1, groups: new Map(), waiters: new Set() }
      topics.set(name, topic)
    }
    return topic
  }

  const toMessage = (name: string, stored: StoredMessage, deliveryCount: number): BusMessage => ({
    id: String(stored.seq),
    topic: name,
    payload: fromStoredJson(stored.payload),
    headers: { ...stored.headers },
    publishedAt: new Date(stored.publishedAt),
    deliveryCount,
  })

  const append = (name: string, payload: StoredJson, headers: Record<string, string>): string => {
    const topic = topicFor(name)
    const stored: StoredMessage = { seq: topic.nextSeq++, payload, headers, publishedAt: new Date() }
    topic.log.push(stored)
    if (topic.log.length > parsed.maxLength) topic.log.splice(0, topic.log.length - parsed.maxLength)
    for (const wake of [...topic.waiters]) wake()
    return String(stored.seq)
  }

  const channelFor = (group: Group, subscription: ResolvedSubscribeOptions): GroupChannel => {
    const { topic: name, consumer, redeliverAfterMs } = subscription
    const topic = topicFor(name)
    let interrupt: (() => void) | undefined
    let stopped = false
    const take = (entry: PendingEntry): BusMessage => {
      entry.consumer = consumer
      entry.deliveredAt = Date.now()
      entry.deliveries++
      return toMessage(name, entry.stored, entry.deliveries)
    }
    const readNow = (count: number): BusMessage[] => {
      const unseen = topic.log.filter((stored) => stored.seq >= group.nextSeq).slice(0, count)
      const last = unseen.at(-1)
      if (last !== undefined) group.nextSeq = last.seq + 1
      return unseen.map((stored) => {
        const entry: PendingEntry = { stored, consumer, deliveredAt: 0, deliveries: 0, lastError: undefined }
        group.pending.set(stored.seq, entry)
        return take(entry)
      })
    }
    return {
      async claimStale(count) {
        const now = Date.now()
        const stale = [...group.pending.values()].filter(
          (entry) => now - entry.deliveredAt >= redeliverAfterMs,
        )
        return stale.slice(0, count).map(take)
      },
      async readNew(count, waitMs) {
        // Stopped before it got here: a close must not wait out `waitMs`.
        if (stopped) return []
        const ready = readNow(count)
        if (ready.length > 0 || closed) return ready
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer)
            topic.waiters.delete(done)
            interrupt = undefined
            resolve()
          }
          const timer = setTimeout(done, waitMs)
          topic.waiters.add(done)
          interrupt = done
        })
        return readNow(count)
      },
      async ack(message) {
        group.pending.delete(Number(message.id))
      },
      async recordFailure(message, error) {
        const entry = group.pending.get(Number(message.id))
        if (entry !== undefined) entry.lastError = error
      },
      async lastFailure(message) {
        return group.pending.get(Number(message.id))?.lastError
      },
      async deadLetter(message, letter) {
        append(subscription.deadLetterTopic, toStoredJson(letter, 'dead letter'), {})
        group.pending.delete(Number(message.id))
      },
      interrupt() {
        stopped = true
        interrupt?.()
      },
      async release() {},
    }
  }

  return {
    async publish(topic, payload, publishOptions) {
      if (closed) throw busClosed(DRIVER, 'publish')
      const name = checkTopic(DRIVER, 'publish', topic)
      const headers = checkHeaders(DRIVER, publishOptions)
      return append(name, toStoredJson(payload, `message on ${name}`), headers)
    },
    async subscribe(topic, handler, subscribeOptions) {
      if (closed) throw busClosed(DRIVER, 'subscribe')
      const name = checkTopic(DRIVER, 'subscribe', topic)
      const resolved = resolveSubscribeOptions(name, subscribeOptions, 'memoryBus.subscribe')
      const state = topicFor(name)
      let group = state.groups.get(resolved.group)
      if (group === undefined) {
        group = { nextSeq: resolved.startAt === 'latest' ? state.nextSeq : 0, pending: new Map() }
        state.groups.set(resolved.group, group)
      }
      return subscriptions.start(
        channelFor(group, resolved),
        handler as MessageHandler<unknown>,
        resolved,
        redactor,
      )
    },
    async close() {
      if (closed) return
      closed = true
      await subscriptions.closeAll()
    },
  }
}
