import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import type { SubscribeOptions, SubscriptionEvent } from './message-bus.js'

const subscribeOptionsSchema = z.object({
  group: z.string().min(1),
  consumer: z.string().min(1).optional(),
  concurrency: z.number().int().positive().default(1),
  maxDeliveries: z.number().int().positive().default(5),
  redeliverAfterMs: z.number().int().positive().default(30_000),
  startAt: z.enum(['earliest', 'latest']).default('earliest'),
  deadLetterTopic: z.string().min(1).optional(),
  onEvent: z.custom<(event: SubscriptionEvent) => void>((value) => typeof value === 'function').optional(),
})

/** Subscribe options with every default filled in. */
export interface ResolvedSubscribeOptions {
  topic: string
  group: string
  consumer: string
  concurrency: number
  maxDeliveries: number
  redeliverAfterMs: number
  startAt: 'earliest' | 'latest'
  deadLetterTopic: string
  /** How often a consumer looks for messages to redeliver: often enough to honour `redeliverAfterMs`. */
  claimIntervalMs: number
  onEvent: (event: SubscriptionEvent) => void
}

/** Suffix of the default dead-letter topic. */
export const DEAD_LETTER_SUFFIX = '.dead-letter'

/** Validates `subscribe` options (a `ConfigError` names the bad one) and fills in the defaults. */
export function resolveSubscribeOptions(
  topic: string,
  options: SubscribeOptions,
  where: string,
): ResolvedSubscribeOptions {
  const parsed = parseOptions(subscribeOptionsSchema, options, where)
  return {
    ...parsed,
    topic,
    consumer: parsed.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    deadLetterTopic: parsed.deadLetterTopic ?? `${topic}${DEAD_LETTER_SUFFIX}`,
    claimIntervalMs: Math.max(5, Math.min(1_000, Math.floor(parsed.redeliverAfterMs / 2))),
    onEvent: parsed.onEvent ?? (() => undefined),
  }
}
