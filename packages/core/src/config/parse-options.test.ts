import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConfigError } from '../errors/error-kinds.js'
import { parseOptions } from './parse-options.js'

const schema = z.object({
  auth: z.object({ clientId: z.string().min(1), secret: z.string() }),
  retries: z.number().int().default(3),
})

describe('parseOptions', () => {
  it('returns the parsed options with defaults applied', () => {
    expect(parseOptions(schema, { auth: { clientId: 'a', secret: 'b' } }, 'demo')).toEqual({
      auth: { clientId: 'a', secret: 'b' },
      retries: 3,
    })
  })

  it('throws a config error naming the offending option path', () => {
    try {
      parseOptions(schema, { auth: { clientId: '', secret: 'hunter2' } }, 'demo')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).option).toBe('auth.clientId')
      expect((error as ConfigError).message).toContain('invalid demo options: auth.clientId')
    }
  })

  it('never echoes the values it was given', () => {
    const error = (() => {
      try {
        parseOptions(schema, { auth: { clientId: 42, secret: 'hunter2-secret' }, retries: 'x' }, 'demo')
      } catch (caught) {
        return caught as ConfigError
      }
    })()
    expect(JSON.stringify(error?.toJSON())).not.toContain('hunter2-secret')
  })
})
