/** A parsed OData literal. Datetimes are ms since the epoch; numbers keep their text for exactness. */
export type ODataLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'datetime'; value: number }
  | { kind: 'guid'; value: string }
  | { kind: 'time'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }

/** A `$filter` expression tree. */
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | {
      kind: 'compare'
      operator: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
      left: FilterNode
      right: FilterNode
    }
  | { kind: 'call'; name: string; args: FilterNode[] }
  | { kind: 'property'; path: string }
  | { kind: 'literal'; literal: ODataLiteral }

/** Text the simulator cannot read; Gateway answers these with 400. */
export class ODataSyntaxError extends Error {
  override readonly name = 'ODataSyntaxError'
}

const FUNCTIONS = new Set([
  'substringof',
  'startswith',
  'endswith',
  'contains',
  'tolower',
  'toupper',
  'length',
  'trim',
])
const V2_ONLY = new Set(['substringof'])
const V4_ONLY = new Set(['contains'])
const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/
const DATE_TIME_V4 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/
const DATE_V4 = /^\d{4}-\d{2}-\d{2}(?![\dT:])/
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?([MmLlDdFf])?(?![\w.])/
const NAME_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/

/**
 * Parses a `$filter` (sheet §1.7, §2): `eq ne gt ge lt le`, `and or not`, parentheses, the functions
 * `substringof` (V2), `contains` (V4), `startswith`, `endswith`, `tolower`, `toupper`, `length`, `trim`,
 * and the literals of the version: V2 `'…'` with `''`, `datetime'…'`, `datetimeoffset'…'`, `guid'…'`,
 * `time'…'`, `12.5M`, `10L`; V4 bare dates, date-times and GUIDs. Written independently of the
 * connector's builder so the two check each other.
 */
export function parseFilter(text: string, version: 'v2' | 'v4'): FilterNode {
  const parser = new Parser(text, version)
  const node = parser.expression()
  parser.end()
  return node
}

class Parser {
  #at = 0
  constructor(
    private readonly text: string,
    private readonly version: 'v2' | 'v4',
  ) {}

  expression(): FilterNode {
    let left = this.conjunction()
    while (this.keyword('or')) left = { kind: 'or', left, right: this.conjunction() }
    return left
  }

  end(): void {
    this.spaces()
    if (this.#at < this.text.length) throw new ODataSyntaxError(`unexpected text at position ${this.#at}`)
  }

  private conjunction(): FilterNode {
    let left = this.unary()
    while (this.keyword('and')) left = { kind: 'and', left, right: this.unary() }
    return left
  }

  private unary(): FilterNode {
    if (this.keyword('not')) return { kind: 'not', operand: this.unary() }
    const left = this.primary()
    this.spaces()
    const operator = /^(eq|ne|gt|ge|lt|le)(?=\s)/.exec(this.rest())?.[1]
    if (operator === undefined || !COMPARISONS.has(operator)) return left
    this.#at += operator.length
    return { kind: 'compare', operator: operator as 'eq', left, right: this.primary() }
  }

  private primary(): FilterNode {
    this.spaces()
    if (this.accept('(')) {
      const inner = this.expression()
      this.spaces()
      this.expect(')')
      return inner
    }
    const literal = this.literal()
    if (literal !== undefined) return { kind: 'literal', literal }
    const name = NAME_PATH.exec(this.rest())?.[0]
    if (name === undefined) throw new ODataSyntaxError(`expected an operand at position ${this.#at}`)
    this.#at += name.length
    if (this.text.charAt(this.#at) !== '(') return { kind: 'property', path: name }
    const fn = name.toLowerCase()
    if (
      !FUNCTIONS.has(fn) ||
      (this.version === 'v2' && V4_ONLY.has(fn)) ||
      (this.version === 'v4' && V2_ONLY.has(fn))
    ) {
      throw new ODataSyntaxError(`function ${name} is not supported`)
    }
    this.expect('(')
    const args: FilterNode[] = []
    do args.push(this.expression())
    while (this.accept(','))
    this.spaces()
    this.expect(')')
    return { kind: 'call', name: fn, args }
  }

  private literal(): ODataLiteral | undefined {
    const rest = this.rest()
    const typed = /^(datetimeoffset|datetime|guid|time)'/.exec(rest)
    if (typed?.[1] !== undefined) {
      if (this.version === 'v4') throw new ODataSyntaxError(`${typed[1]}'…' is not a V4 literal`)
      this.#at += typed[1].length
      const text = this.quoted()
      if (typed[1] === 'guid') {
        if (!GUID.test(text)) throw new ODataSyntaxError('invalid guid literal')
        return { kind: 'guid', value: text.toLowerCase() }
      }
      if (typed[1] === 'time') return { kind: 'time', value: text }
      const value = Date.parse(typed[1] === 'datetime' ? `${text}Z` : text)
      if (Number.isNaN(value)) throw new ODataSyntaxError(`invalid ${typed[1]} literal`)
      return { kind: 'datetime', value }
    }
    if (rest.startsWith("'")) return { kind: 'string', value: this.quoted() }
    for (const [word, literal] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (new RegExp(`^${word}(?![A-Za-z0-9_])`).test(rest)) {
        this.#at += word.length
        return literal
      }
    }
    if (this.version === 'v4') {
      const guid = GUID.exec(rest)?.[0]
      if (guid !== undefined) {
        this.#at += guid.length
        return { kind: 'guid', value: guid.toLowerCase() }
      }
      const dateTime = DATE_TIME_V4.exec(rest)?.[0] ?? DATE_V4.exec(rest)?.[0]
      if (dateTime !== undefined) {
        this.#at += dateTime.length
        return {
          kind: 'datetime',
          value: Date.parse(dateTime.length === 10 ? `${dateTime}T00:00:00Z` : dateTime),
        }
      }
    }
    const number = NUMBER.exec(rest)
    if (number === null) return undefined
    const suffix = number[1]
    if (suffix !== undefined && this.version === 'v4')
      throw new ODataSyntaxError('V4 numbers carry no type suffix')
    this.#at += number[0].length
    const text = suffix === undefined ? number[0] : number[0].slice(0, -1)
    return { kind: 'number', value: Number(text), text }
  }

  // A quoted string; `''` inside it is one quote.
  private quoted(): string {
    this.expect("'")
    let value = ''
    for (;;) {
      const char = this.text.charAt(this.#at)
      if (char === '') throw new ODataSyntaxError('unterminated string literal')
      this.#at++
      if (char !== "'") value += char
      else if (this.text.charAt(this.#at) === "'") {
        value += "'"
        this.#at++
      } else return value
    }
  }

  private keyword(word: string): boolean {
    this.spaces()
    if (!new RegExp(`^${word}(?=[\\s(])`).test(this.rest())) return false
    this.#at += word.length
    return true
  }

  private rest(): string {
    return this.text.slice(this.#at)
  }

  private spaces(): void {
    while (/\s/.test(this.text.charAt(this.#at))) this.#at++
  }

  private accept(char: string): boolean {
    this.spaces()
    if (this.text.charAt(this.#at) !== char) return false
    this.#at++
    return true
  }

  private expect(char: string): void {
    if (!this.accept(char)) throw new ODataSyntaxError(`expected '${char}' at position ${this.#at}`)
  }
}

/** Parses a key predicate body `'1'`, `(A='x',B=guid'…')` into name → literal (a positional key under `''`). */
export function parseKeyPredicate(text: string, version: 'v2' | 'v4'): Map<string, ODataLiteral> {
  const keys = new Map<string, ODataLiteral>()
  const parts = splitTopLevel(text)
  for (const part of parts) {
    const named = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(part)
    const node = parseFilter(named ? (named[2] as string) : part, version)
    if (node.kind !== 'literal') throw new ODataSyntaxError('a key value must be a literal')
    keys.set(named ? (named[1] as string) : '', node.literal)
  }
  return keys
}

// Splits on commas outside quotes.
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (const char of text) {
    if (char === "'") quoted = !quoted
    if (char === ',' && !quoted) {
      parts.push(current)
      current = ''
    } else current += char
  }
  parts.push(current)
  return parts
}
