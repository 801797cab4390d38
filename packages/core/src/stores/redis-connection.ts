import type { Redis } from 'ioredis'
import { z } from 'zod'
import { hasMethods } from '../config/has-methods.js'

/** Whether `value` is an ioredis client; duck-typed, so a client from another copy of ioredis passes too. */
export const isRedisClient = hasMethods<Redis>('get', 'mget', 'set', 'del', 'eval', 'quit')

/**
 * Options of a Redis-backed driver: exactly one of a `client` to share (never quit by the driver) or a
 * `url` to connect to, plus the driver's own fields.
 */
export function redisConnectionOptions<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .object({
      client: z.custom<Redis>(isRedisClient, 'expected an ioredis client').optional(),
      url: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }).optional(),
      ...shape,
    })
    .refine(
      (options) => {
        const { client, url } = options as { client?: unknown; url?: unknown }
        return (client === undefined) !== (url === undefined)
      },
      {
        message: 'give exactly one of client or url',
        path: ['client'],
      },
    )
}
