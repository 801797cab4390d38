import { ValidationError } from '../errors/error-kinds.js'
import type { PublishOptions } from './message-bus.js'

/** Throws a `ValidationError` unless `topic` is a non-empty string. */
export function checkTopic(driver: string, operation: string, topic: unknown): string {
  if (typeof topic !== 'string' || topic === '') {
    throw new ValidationError({
      message: `${driver} bus ${operation}: topic must be a non-empty string`,
      system: driver,
      operation,
    })
  }
  return topic
}

/** The headers of a publish as a plain object of strings; anything else is a `ValidationError`. */
export function checkHeaders(driver: string, options: PublishOptions | undefined): Record<string, string> {
  const headers = options?.headers ?? {}
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') {
      throw new ValidationError({
        message: `${driver} bus publish: header "${name}" must be a string`,
        system: driver,
        operation: 'publish',
      })
    }
  }
  return { ...headers }
}
