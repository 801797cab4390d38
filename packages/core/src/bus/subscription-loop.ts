import { JunctionError } from '../errors/junction-error.js'
import type { Redactor } from '../redaction/redactor.js'
import { deadLetterError, deliveryLimitError, handlerFailure } from './bus-errors.js'
import type { GroupChannel } from './group-channel.js'
import type { BusMessage, DeadLetterError, MessageHandler, Subscription } from './message-bus.js'
import type { ResolvedSubscribeOptions } from './subscribe-options.js'

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs one consumer: claims stale messages first (redelivery), then reads new ones, keeps at most
 * `concurrency` handlers running, acks on success, records the error on failure, and dead-letters a
 * message once it has failed `maxDeliveries` times (or comes back over the limit after a crash).
 */
export function runSubscription(
  channel: GroupChannel,
  handler: MessageHandler<unknown>,
  options: ResolvedSubscribeOptions,
  redactor: Redactor,
  onClosed: () => void,
): Subscription {
  const inFlight = new Set<Promise<void>>()
  const context = { group: options.group, consumer: options.consumer }
  let closing = false
  let closed: Promise<void> | undefined

  // A bus failure (Redis away) must not end the consumer: it is reported and the loop tries again.
  const report = (operation: string, error: unknown): void => {
    const failure =
      error instanceof JunctionError
        ? error
        : new JunctionError({ code: 'BUS_FAILED', message: `bus ${operation} failed`, cause: error })
    options.onEvent({ type: 'bus-error', operation, error: redactor.error(failure) })
  }

  const deadLetter = async (message: BusMessage, error: DeadLetterError): Promise<void> => {
    await channel.deadLetter(message, {
      topic: options.topic,
      group: options.group,
      messageId: message.id,
      payload: message.payload,
      headers: { ...message.headers },
      deliveries: message.deliveryCount,
      error,
      deadAt: new Date(),
    })
    options.onEvent({ type: 'dead-lettered', message, error, deadLetterTopic: options.deadLetterTopic })
  }

  const handle = async (message: BusMessage): Promise<void> => {
    try {
      if (message.deliveryCount > options.maxDeliveries) {
        await deadLetter(
          message,
          (await channel.lastFailure(message)) ?? deliveryLimitError(message.deliveryCount),
        )
        return
      }
      let failure: JunctionError | undefined
      try {
        await handler(message, context)
      } catch (error) {
        failure = handlerFailure(error, redactor, options.topic)
      }
      if (failure === undefined) {
        await channel.ack(message)
        return
      }
      options.onEvent({ type: 'failed', message, error: failure })
      const kept = deadLetterError(failure)
      if (message.deliveryCount >= options.maxDeliveries) await deadLetter(message, kept)
      else await channel.recordFailure(message, kept)
    } catch (error) {
      // The message stays pending and is redelivered after `redeliverAfterMs`.
      report('settle', error)
    }
  }

  const start = (message: BusMessage): void => {
    const running = handle(message).finally(() => inFlight.delete(running))
    inFlight.add(running)
  }

  const loop = async (): Promise<void> => {
    let lastClaim = Number.NEGATIVE_INFINITY
    while (!closing) {
      const free = options.concurrency - inFlight.size
      if (free <= 0) {
        await Promise.race(inFlight)
        continue
      }
      try {
        const sinceClaim = Date.now() - lastClaim
        let batch: BusMessage[] = []
        if (sinceClaim >= options.claimIntervalMs) {
          batch = await channel.claimStale(free)
          // A full batch may mean more are waiting: claim again next round before reading new ones.
          if (batch.length < free) lastClaim = Date.now()
        }
        if (batch.length === 0 && !closing) {
          const waitMs = Math.max(1, options.claimIntervalMs - (Date.now() - lastClaim))
          batch = await channel.readNew(free, waitMs)
        }
        for (const message of batch) start(message)
      } catch (error) {
        if (closing) break
        report('read', error)
        await pause(options.claimIntervalMs)
      }
    }
  }

  const running = loop()

  return {
    topic: options.topic,
    group: options.group,
    consumer: options.consumer,
    close() {
      closed ??= (async () => {
        closing = true
        channel.interrupt()
        await running
        await Promise.all(inFlight)
        await channel.release()
        onClosed()
      })()
      return closed
    },
  }
}

/** The subscriptions a bus has running: each forgotten when it closes, all closed with the bus. */
export function runningSubscriptions() {
  const running = new Set<Subscription>()
  return {
    /** Starts a subscription's loop on `channel` and keeps it until it closes. */
    start(
      channel: GroupChannel,
      handler: MessageHandler<unknown>,
      options: ResolvedSubscribeOptions,
      redactor: Redactor,
    ): Subscription {
      const subscription = runSubscription(channel, handler, options, redactor, () =>
        running.delete(subscription),
      )
      running.add(subscription)
      return subscription
    },
    /** Closes every running subscription, waiting for their in-flight handlers. */
    async closeAll(): Promise<void> {
      await Promise.all([...running].map((subscription) => subscription.close()))
    },
  }
}
