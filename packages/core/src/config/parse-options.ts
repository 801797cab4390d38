import type { z } from 'zod'
import { ConfigError } from '../errors/error-kinds.js'

/**
 * Validates factory options against `schema`; on failure throws a `ConfigError` that names the
 * offending option path (e.g. `auth.clientId`) and never echoes the value given.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({
    option: issue.path.map(String).join('.') || '(root)',
    problem: issue.message,
  }))
  const first = issues[0]
  throw new ConfigError({
    message: `invalid ${where} options: ${issues.map((issue) => `${issue.option}: ${issue.problem}`).join('; ')}`,
    option: first?.option,
    details: issues,
  })
}
