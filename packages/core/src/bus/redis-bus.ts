import { Redis } from 'ioredis'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { ValidationError } from '../errors/error-kinds.js'
import { type Logger, silentLogger } from '../logging/logger.js'
import { Redactor } from '../redaction/redactor.js'
import { isRedisClient, redisConnectionOptions } from '../stores/redis-connection.js'
import { decodeStoredValue, encodeStoredValue } from '../stores/stored-value.js'
import { checkHeaders, checkTopic } from './bus-arguments.js'
import { busClosed, redisBusFailure } from './bus-errors.js'
import type { GroupChannel } from './group-channel.js'
import type { BusMessage, DeadLetter, DeadLetterError, MessageBus, MessageHandler } from './message-bus.js'
import { type ResolvedSubscribeOptions, resolveSubscribeOptions } from './subscribe-options.js'
import { runningSubscriptions } from './subscription-loop.js'

const DRIVER = 'redis'

/** Options for `redisBus`: give either a `client` to share or a `url` to connect to. */
export interface RedisBusOptions {
  /** An ioredis client to share for publishing and acks; the bus never quits it. */
  client?: Redis
  /** A `redis://` or `rediss://` URL; the bus opens its own connection and quits it on `close()`. */
  url?: string
  /** Prepended to every stream key (default `junction:`); a topic lives at `<prefix>bus:<topic>`. */
  keyPrefix?: string
  /** Trims each stream to about this many entries on publish (`MAXLEN ~`); unbounded by default. */
  maxLength?: number
  /** Scrubs handler errors before they are reported or dead-lettered (default: secret-shaped text). */
  redactor?: Redactor
  /** Receives connection errors of the connections the bus opened. */
  logger?: Logger
}

const redisBusOptionsSchema = redisConnectionOptions({
  keyPrefix: z.string().default('junction:'),
  maxLength: z.number().int().positive().optional(),
  redactor: z.instanceof(Redactor).optional(),
  logger: z
    .custom<Logger>((value) => typeof value === 'object' && value !== null && 'warn' in value)
    .optional(),
})

type StreamEntry = [id: string, fields: string[] | null]

const fieldsOf = (fields: readonly string[]): Map<string, string> => {
  const map = new Map<string, string>()
  for (let index = 0; index + 1 < fields.length; index += 2)
    map.set(fields[index] ?? '', fields[index + 1] ?? '')
  return map
}

/**
 * The distributed bus on Redis Streams (Redis ≥ 6.2): a topic is a stream, a subscription group is a
 * stream consumer group, an ack is `XACK`, and redelivery takes over entries idle for
 * `redeliverAfterMs` with `XAUTOCLAIM`, whose delivery counter is the message's `deliveryCount`. Dead
 * letters are added to their stream and acked in one `MULTI`. Each subscription blocks on a connection
 * of its own (`XREADGROUP BLOCK`), duplicated from the bus's.
 */
export function redisBus(target: Redis | string | RedisBusOptions): MessageBus {
  const input =
    typeof target === 'string' ? { url: target } : isRedisClient(target) ? { client: target } : target
  const options = parseOptions(redisBusOptionsSchema, input, 'redisBus')
  const logger = options.logger ?? silentLogger
  const redactor = options.redactor ?? new Redactor()
  const owned = options.client === undefined
  const client = options.client ?? new Redis(options.url ?? '')
  const logErrors = (connection: Redis) =>
    connection.on('error', (error: Error) =>
      logger.warn({ system: DRIVER, error: redactor.text(error.message) }, 'redis bus connection error'),
    )
  if (owned) logErrors(client)
  const subscriptions = runningSubscriptions()
  let closed = false

  const streamKey = (topic: string) => `${options.keyPrefix}bus:${topic}`
  const call = async <T>(operation: string, command: () => Promise<T>): Promise<T> => {
    try {
      return await command()
    } catch (error) {
      throw redisBusFailure(operation, error)
    }
  }
  const addArgs = (
    topic: string,
    payload: string,
    headers: Record<string, string>,
  ): Array<string | number> => [
    streamKey(topic),
    ...(options.maxLength === undefined ? [] : ['MAXLEN', '~', options.maxLength]),
    '*',
    'payload',
    payload,
    'headers',
    JSON.stringify(headers),
    'publishedAt',
    Date.now(),
  ]

  // Throws a ValidationError for an entry whose fields are not what `publish` writes.
  const toMessage = (topic: string, [id, fields]: StreamEntry, deliveryCount: number): BusMessage => {
    const map = fieldsOf(fields ?? [])
    const headers = decodeStoredValue(map.get('headers') ?? '{}', `headers of message ${id} on ${topic}`)
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
      throw new ValidationError({
        message: `redis bus: headers of message ${id} on ${topic} are not an object`,
      })
    }
    return {
      id,
      topic,
      payload: decodeStoredValue(map.get('payload') ?? 'null', `message ${id} on ${topic}`),
      headers: headers as Record<string, string>,
      publishedAt: new Date(Number(map.get('publishedAt') ?? 0)),
      deliveryCount,
    }
  }

  const channelFor = (subscription: ResolvedSubscribeOptions): GroupChannel => {
    const { topic, group, consumer } = subscription
    const key = streamKey(topic)
    const errorsKey = `${key}:errors:${group}`
    // XREADGROUP BLOCK holds its connection: it gets one of its own, so acks and publishes never wait behind it.
    const blocking = client.duplicate()
    logErrors(blocking)
    let claimCursor = '0-0'
    const deadLetter = async (message: BusMessage, letter: DeadLetter): Promise<void> => {
      const replies = await client
        .multi()
        .xadd(
          ...(addArgs(subscription.deadLetterTopic, encodeStoredValue(letter, 'dead letter'), {}) as [
            string,
          ]),
        )
        .xack(key, group, message.id)
        .hdel(errorsKey, message.id)
        .exec()
      const failed = replies?.find(([error]) => error !== null)?.[0]
      if (failed) throw failed
    }
    // An entry that does not decode (written by another tool) would fail every delivery the same way:
    // it goes straight to the dead-letter topic, with its raw fields, instead of blocking the group.
    const decode = async (entries: StreamEntry[], countOf: (id: string) => number): Promise<BusMessage[]> => {
      const messages: BusMessage[] = []
      for (const entry of entries) {
        const deliveries = countOf(entry[0])
        try {
          messages.push(toMessage(topic, entry, deliveries))
        } catch (error) {
          const raw: BusMessage = {
            id: entry[0],
            topic,
            payload: Object.fromEntries(fieldsOf(entry[1] ?? [])),
            headers: {},
            publishedAt: new Date(0),
            deliveryCount: deliveries,
          }
          const failure = redactor.error(redisBusFailure('read', error))
          await deadLetter(raw, {
            topic,
            group,
            messageId: raw.id,
            payload: raw.payload,
            headers: {},
            deliveries,
            error: { code: failure.code, message: failure.message, retryable: false },
            deadAt: new Date(),
          })
        }
      }
      return messages
    }
    return {
      claimStale: (count) =>
        call('claim', async () => {
          const [next, entries, deleted] = (await client.xautoclaim(
            key,
            group,
            consumer,
            subscription.redeliverAfterMs,
            claimCursor,
            'COUNT',
            count,
          )) as [string, StreamEntry[], string[] | undefined]
          claimCursor = next
          if (deleted !== undefined && deleted.length > 0) await client.hdel(errorsKey, ...deleted)
          const live = entries.filter((entry) => entry[1] !== null)
          if (live.length === 0) return []
          const pipeline = client.pipeline()
          for (const [id] of live) pipeline.xpending(key, group, id, id, 1)
          const counts = new Map<string, number>()
          for (const [error, reply] of (await pipeline.exec()) ?? []) {
            if (error) throw error
            const [row] = reply as Array<[string, string, number, number]>
            if (row !== undefined) counts.set(row[0], row[3])
          }
          return decode(live, (id) => counts.get(id) ?? 2)
        }),
      readNew: (count, waitMs) =>
        call('read', async () => {
          const reply = (await blocking.xreadgroup(
            'GROUP',
            group,
            consumer,
            'COUNT',
            count,
            'BLOCK',
            waitMs,
            'STREAMS',
            key,
            '>',
          )) as Array<[string, StreamEntry[]]> | null
          return decode(reply?.[0]?.[1] ?? [], () => 1)
        }),
      ack: (message) =>
        call('ack', async () => {
          await client.multi().xack(key, group, message.id).hdel(errorsKey, message.id).exec()
        }),
      recordFailure: (message, error) =>
        call('recordFailure', async () => {
          await client.hset(errorsKey, message.id, JSON.stringify(error))
        }),
      lastFailure: (message) =>
        call('lastFailure', async () => {
          const text = await client.hget(errorsKey, message.id)
          return text === null ? undefined : (JSON.parse(text) as DeadLetterError)
        }),
      deadLetter: (message, letter) => call('deadLetter', () => deadLetter(message, letter)),
      interrupt() {
        // Ends a pending XREADGROUP BLOCK at once; a message it had already taken stays pending and is
        // redelivered after `redeliverAfterMs`.
        blocking.disconnect()
      },
      async release() {
        blocking.disconnect()
      },
    }
  }

  const createGroup = async (subscription: ResolvedSubscribeOptions): Promise<void> => {
    try {
      await client.xgroup(
        'CREATE',
        streamKey(subscription.topic),
        subscription.group,
        subscription.startAt === 'latest' ? '$' : '0',
        'MKSTREAM',
      )
    } catch (error) {
      // The group exists already: another consumer (or process) created it.
      if (error instanceof Error && error.message.startsWith('BUSYGROUP')) return
      throw redisBusFailure('subscribe', error)
    }
  }

  return {
    publish(topic, payload, publishOptions) {
      return call('publish', async () => {
        if (closed) throw busClosed(DRIVER, 'publish')
        const name = checkTopic(DRIVER, 'publish', topic)
        const headers = checkHeaders(DRIVER, publishOptions)
        const text = encodeStoredValue(payload, `message on ${name}`)
        const id = await client.xadd(...(addArgs(name, text, headers) as [string]))
        return id ?? ''
      })
    },
    async subscribe(topic, handler, subscribeOptions) {
      if (closed) throw busClosed(DRIVER, 'subscribe')
      const name = checkTopic(DRIVER, 'subscribe', topic)
      const resolved = resolveSubscribeOptions(name, subscribeOptions, 'redisBus.subscribe')
      await createGroup(resolved)
      return subscriptions.start(channelFor(resolved), handler as MessageHandler<unknown>, resolved, redactor)
    },
    async close() {
      if (closed) return
      closed = true
      await subscriptions.closeAll()
      if (owned) await client.quit().catch(() => client.disconnect())
    },
  }
}
