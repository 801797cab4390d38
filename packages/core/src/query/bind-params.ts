import type { QueryLiteral, RawQuery } from '../connector/connector.js'
import { ValidationError } from '../errors/error-kinds.js'

/** How a query dialect writes literals and escapes quotes inside its single-quoted strings. */
export interface BindDialect {
  /** The system, for error messages. */
  system: string
  /** Renders a value as an escaped literal of the dialect: the one place values are made safe. */
  literal(value: QueryLiteral): string
  /** `backslash`: `\'` inside strings (SOQL); `double`: `''` (OData). */
  quoteEscape: 'backslash' | 'double'
}

const PARAMETER = /:([A-Za-z_][A-Za-z0-9_]*)/y

/**
 * A raw query with its `:name` parameters replaced by the dialect's escaped literals. Text inside
 * quoted literals is left alone; a parameter missing from `params`, or given but never used, is a
 * `ValidationError`, so a typo cannot silently drop a condition.
 */
export function bindParams(raw: RawQuery, dialect: BindDialect): string {
  const params = raw.params ?? {}
  const used = new Set<string>()
  let out = ''
  let index = 0
  while (index < raw.text.length) {
    const char = raw.text.charAt(index)
    if (char === "'") {
      const end = quotedLiteralEnd(raw.text, index, dialect)
      out += raw.text.slice(index, end)
      index = end
      continue
    }
    PARAMETER.lastIndex = index
    const bind = char === ':' ? PARAMETER.exec(raw.text) : null
    if (bind?.[1] === undefined) {
      out += char
      index++
      continue
    }
    const name = bind[1]
    if (!Object.hasOwn(params, name))
      throw invalid(dialect, `raw query uses :${name}, which is not in params`)
    out += dialect.literal(params[name] ?? null)
    used.add(name)
    index += bind[0].length
  }
  const unused = Object.keys(params).filter((name) => !used.has(name))
  if (unused.length > 0) throw invalid(dialect, `raw query params not used in the text: ${unused.join(', ')}`)
  return out
}

// The index just past the quoted literal that opens at `start`.
function quotedLiteralEnd(text: string, start: number, dialect: BindDialect): number {
  let index = start + 1
  while (index < text.length) {
    const char = text.charAt(index)
    if (dialect.quoteEscape === 'backslash' && char === '\\') index += 2
    else if (char !== "'") index++
    else if (dialect.quoteEscape === 'double' && text.charAt(index + 1) === "'") index += 2
    else return index + 1
  }
  throw invalid(dialect, 'raw query has an unterminated string literal')
}

function invalid(dialect: BindDialect, problem: string): ValidationError {
  return new ValidationError({
    message: `${dialect.system}: ${problem}`,
    system: dialect.system,
    operation: 'query',
  })
}
