import type { z } from 'zod'
import type { TransformIssueCode } from './issue-codes.js'
import { readSegments } from './record-path.js'
import type { TransformIssue, TransformResult } from './transformer.js'

/**
 * Validates `value` with a zod schema without ever throwing (zod lets a throwing `.transform()` escape
 * `safeParse`), translating zod's issues into stable transform issue codes.
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown): TransformResult<T> {
  try {
    const result = schema.safeParse(value)
    if (result.success) return { ok: true, value: result.data }
    return { ok: false, issues: result.error.issues.map((issue) => translate(issue, value)) }
  } catch (error) {
    const reason = error instanceof Error ? error.name : typeof error
    return { ok: false, issues: [{ path: [], code: 'converter_threw', message: `schema threw: ${reason}` }] }
  }
}

function translate(issue: z.core.$ZodIssue, value: unknown): TransformIssue {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol')
  return { path, code: codeOf(issue, readSegments(value, path)), message: issue.message }
}

function codeOf(issue: z.core.$ZodIssue, actual: unknown): TransformIssueCode {
  switch (issue.code) {
    case 'invalid_type':
      return actual === undefined || actual === null ? 'missing' : 'invalid_type'
    case 'invalid_format':
      return 'invalid_format'
    case 'too_big':
    case 'too_small':
      return 'out_of_range'
    case 'invalid_value':
      return 'not_allowed'
    default:
      return 'invalid'
  }
}
