import { ReplyError } from 'ioredis'
import { TransportError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import type { Redactor } from '../redaction/redactor.js'
import type { DeadLetterError } from './message-bus.js'

/** The bus (or one subscription) was closed: nothing more is published or delivered. */
export const busClosed = (driver: string, operation: string): JunctionError =>
  new JunctionError({
    code: 'BUS_CLOSED',
    message: `${driver} bus ${operation}: the bus is closed`,
    system: driver,
    operation,
  })

/** A Redis failure under the bus: a refused command is `BUS_FAILED`, anything else a retryable `CONNECTION_FAILED`. */
export const redisBusFailure = (operation: string, error: unknown): JunctionError => {
  if (error instanceof JunctionError) return error
  const reason = error instanceof Error ? error.message : String(error)
  if (error instanceof ReplyError) {
    return new JunctionError({
      code: 'BUS_FAILED',
      message: `redis bus ${operation}: the server refused the command (${reason})`,
      system: 'redis',
      operation,
      cause: error,
    })
  }
  return new TransportError({
    code: 'CONNECTION_FAILED',
    message: `redis bus ${operation}: ${reason}`,
    system: 'redis',
    operation,
    retryable: true,
    cause: error,
  })
}

/**
 * A handler's failure as a redacted `JunctionError`: a `JunctionError` keeps its code, anything else
 * becomes `HANDLER_FAILED` (retryable, since the bus will deliver it again).
 */
export function handlerFailure(error: unknown, redactor: Redactor, topic: string): JunctionError {
  const failure =
    error instanceof JunctionError
      ? error
      : new JunctionError({
          code: 'HANDLER_FAILED',
          message: `handler for ${topic} failed: ${error instanceof Error ? error.message : String(error)}`,
          operation: 'handle',
          retryable: true,
          cause: error,
        })
  return redactor.error(failure)
}

/** The stable, redacted fields a dead letter keeps of an error. */
export const deadLetterError = (error: JunctionError): DeadLetterError => ({
  code: error.code,
  message: error.message,
  retryable: error.retryable,
})

/** The reason given when a message ran out of deliveries without a handler error being seen (a consumer died). */
export const deliveryLimitError = (deliveries: number): DeadLetterError => ({
  code: 'DELIVERY_LIMIT',
  message: `not acknowledged after ${deliveries} deliveries (the consumer stopped or timed out)`,
  retryable: false,
})
