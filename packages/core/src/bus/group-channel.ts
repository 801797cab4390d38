import type { BusMessage, DeadLetter, DeadLetterError } from './message-bus.js'

/**
 * What a driver provides for one consumer of one group; the subscription loop (shared by every
 * driver) turns it into at-least-once delivery with acks, redelivery and dead letters.
 */
export interface GroupChannel {
  /** Takes over messages of the group left unacknowledged for `redeliverAfterMs`, counting a delivery each. */
  claimStale(count: number): Promise<BusMessage[]>
  /** Up to `count` messages the group has not seen yet, waiting up to `waitMs` for the first. */
  readNew(count: number, waitMs: number): Promise<BusMessage[]>
  /** Acknowledges a message: it is never delivered to the group again. */
  ack(message: BusMessage): Promise<void>
  /** Keeps a message's last handler error, so its dead letter can say why even after a crash. */
  recordFailure(message: BusMessage, error: DeadLetterError): Promise<void>
  /** The last handler error recorded for a message, if any. */
  lastFailure(message: BusMessage): Promise<DeadLetterError | undefined>
  /** Publishes the dead letter and acknowledges the message, together. */
  deadLetter(message: BusMessage, letter: DeadLetter): Promise<void>
  /** Ends a `readNew` that is waiting (on close). */
  interrupt(): void
  /** Releases what the channel holds (a blocking connection). */
  release(): Promise<void>
}
