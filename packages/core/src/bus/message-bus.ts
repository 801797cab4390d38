import type { JunctionError } from '../errors/junction-error.js'

/** One message as a handler receives it. */
export interface BusMessage<T = unknown> {
  /** The driver's id for the message (a Redis stream id, or the memory bus's sequence). */
  readonly id: string
  readonly topic: string
  readonly payload: T
  readonly headers: Readonly<Record<string, string>>
  readonly publishedAt: Date
  /** 1 on the first delivery to this group, then one more per redelivery. */
  readonly deliveryCount: number
}

/** Options for one publish. */
export interface PublishOptions {
  /** String metadata carried with the message (e.g. a correlation id, a schema version). */
  headers?: Readonly<Record<string, string>>
}

/** How a consumer group reads a topic. */
export interface SubscribeOptions {
  /** The consumer group: every group gets every message; within a group each message goes to one consumer. */
  group: string
  /** This consumer's name inside the group (default: host, pid and a random suffix). */
  consumer?: string
  /** Handlers running at once in this subscription (default 1). */
  concurrency?: number
  /** Deliveries a message gets before it goes to the dead-letter topic (default 5). */
  maxDeliveries?: number
  /**
   * How long a delivered message may stay unacknowledged before it is redelivered (default 30 s): after
   * a failed handler, a crashed consumer, or a handler still running. Set it above the slowest handler.
   */
  redeliverAfterMs?: number
  /** Where a new group starts: every message the topic still holds (default), or only later ones. */
  startAt?: 'earliest' | 'latest'
  /** The topic failed messages go to (default `<topic>.dead-letter`). */
  deadLetterTopic?: string
  /** Told of failures and dead letters (for logs and metrics); must not throw. */
  onEvent?: (event: SubscriptionEvent) => void
}

/** What a handler is told besides the message. */
export interface HandlerContext {
  /** The group and consumer the message was delivered to. */
  readonly group: string
  readonly consumer: string
}

/** Handles one message; resolving acknowledges it, throwing leaves it for redelivery. */
export type MessageHandler<T = unknown> = (
  message: BusMessage<T>,
  context: HandlerContext,
) => Promise<void> | void

/** What a dead-letter topic carries: the message that kept failing and why. */
export interface DeadLetter<T = unknown> {
  /** The topic and group the message failed in. */
  topic: string
  group: string
  /** The message's id on its own topic. */
  messageId: string
  payload: T
  headers: Record<string, string>
  /** How many times it was delivered to the group. */
  deliveries: number
  /** The last handler error (code and redacted message), or the delivery limit when none was seen. */
  error: DeadLetterError
  deadAt: Date
}

/** A handler error as a dead letter keeps it: stable fields only, already redacted. */
export interface DeadLetterError {
  code: string
  message: string
  retryable: boolean
}

/** Events a subscription reports (for logs and metrics): handler failures, dead letters, bus failures. */
export type SubscriptionEvent =
  | { type: 'failed'; message: BusMessage; error: JunctionError }
  | { type: 'dead-lettered'; message: BusMessage; error: DeadLetterError; deadLetterTopic: string }
  | { type: 'bus-error'; operation: string; error: JunctionError }

/** A running consumer; `close()` stops reading and waits for the handlers in flight. */
export interface Subscription {
  readonly topic: string
  readonly group: string
  readonly consumer: string
  /** Stops fetching, waits for in-flight handlers (and their acks) to finish. Idempotent. */
  close(): Promise<void>
}

/**
 * Topics with consumer groups and at-least-once delivery: a message is acknowledged when its handler
 * resolves, redelivered when it stays unacknowledged for `redeliverAfterMs` (a failed handler, a
 * crashed or slow consumer), and moved to a dead-letter topic after `maxDeliveries`. Handlers must be
 * idempotent: a redelivery is the same message again.
 */
export interface MessageBus {
  /** Appends a JSON payload (Dates round-trip) to `topic`; resolves to the message id. */
  publish<T>(topic: string, payload: T, options?: PublishOptions): Promise<string>
  /** Starts a consumer in a group; resolves once the group exists, so later publishes reach it. */
  subscribe<T>(topic: string, handler: MessageHandler<T>, options: SubscribeOptions): Promise<Subscription>
  /** Closes every subscription (waiting for in-flight handlers) and the bus's own connections. Idempotent. */
  close(): Promise<void>
}
