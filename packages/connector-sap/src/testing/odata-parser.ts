/** A parsed OData V2 literal: strings unquoted, numbers and datetimes as numbers (ms for datetimes). */
export type ODataValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; value: number }
  | { kind: 'guid'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }

/** One `Property eq literal` condition. */
export interface ODataCondition {
  property: string
  value: ODataValue
}

/** Text the simulator cannot read; Gateway answers these with 400. */
export class ODataSyntaxError extends Error {
  override readonly name = 'ODataSyntaxError'
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/
const NUMBER = /^-?\d+(?:\.\d+)?(?:[MmLlDdFf])?/

/**
 * Parses the `$filter` subset the connector emits: `Prop eq literal` joined by `and`. Written
 * independently of the connector's builder so the two check each other.
 */
export function parseFilter(text: string): ODataCondition[] {
  const reader = new Reader(text)
  const conditions: ODataCondition[] = []
  do {
    reader.skipSpaces()
    const property = reader.match(PATH, 'a property')
    reader.expectWord('eq')
    reader.skipSpaces()
    conditions.push({ property, value: reader.literal() })
    reader.skipSpaces()
  } while (reader.word('and'))
  reader.end()
  return conditions
}

/**
 * Parses a key predicate without its entity set: `('1000123')`, `(BusinessPartner='1000123')` or
 * `(A='x',B='y')`. A positional key comes back under the name `''`.
 */
export function parseKeyPredicate(text: string): Map<string, ODataValue> {
  const reader = new Reader(text)
  reader.expect('(')
  const keys = new Map<string, ODataValue>()
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(reader.rest())) {
    keys.set('', reader.literal())
  } else {
    do {
      const name = reader.match(NAME, 'a key name')
      reader.expect('=')
      keys.set(name, reader.literal())
    } while (reader.accept(','))
  }
  reader.expect(')')
  reader.end()
  return keys
}

class Reader {
  #index = 0
  constructor(readonly text: string) {}

  rest(): string {
    return this.text.slice(this.#index)
  }

  skipSpaces(): void {
    while (this.text.charAt(this.#index) === ' ') this.#index++
  }

  match(pattern: RegExp, what: string): string {
    const found = pattern.exec(this.rest())?.[0]
    if (found === undefined) throw new ODataSyntaxError(`expected ${what} at position ${this.#index}`)
    this.#index += found.length
    return found
  }

  accept(char: string): boolean {
    if (this.text.charAt(this.#index) !== char) return false
    this.#index++
    return true
  }

  expect(char: string): void {
    if (!this.accept(char)) throw new ODataSyntaxError(`expected '${char}' at position ${this.#index}`)
  }

  // A keyword surrounded by single spaces, as the builder writes it.
  word(word: string): boolean {
    if (!this.rest().startsWith(`${word} `)) return false
    this.#index += word.length + 1
    return true
  }

  expectWord(word: string): void {
    if (!this.rest().startsWith(` ${word} `))
      throw new ODataSyntaxError(`expected ' ${word} ' at position ${this.#index}`)
    this.#index += word.length + 2
  }

  literal(): ODataValue {
    const rest = this.rest()
    const typed = /^(datetime|datetimeoffset|guid)'/.exec(rest)
    if (typed?.[1] !== undefined) {
      this.#index += typed[1].length
      const text = this.quoted()
      if (typed[1] === 'guid') return { kind: 'guid', value: text }
      const value = Date.parse(typed[1] === 'datetime' ? `${text}Z` : text)
      if (Number.isNaN(value)) throw new ODataSyntaxError(`invalid ${typed[1]} literal`)
      return { kind: 'datetime', value }
    }
    if (rest.startsWith("'")) return { kind: 'string', value: this.quoted() }
    for (const [word, value] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (new RegExp(`^${word}(?![A-Za-z0-9_])`).test(rest)) {
        this.#index += word.length
        return value
      }
    }
    const number = NUMBER.exec(rest)?.[0]
    if (number === undefined) throw new ODataSyntaxError(`expected a literal at position ${this.#index}`)
    this.#index += number.length
    return { kind: 'number', value: Number.parseFloat(number) }
  }

  end(): void {
    if (this.#index !== this.text.length)
      throw new ODataSyntaxError(`unexpected text at position ${this.#index}`)
  }

  // A quoted string; `''` inside it is one quote.
  quoted(): string {
    this.expect("'")
    let value = ''
    for (;;) {
      const char = this.text.charAt(this.#index)
      if (char === '') throw new ODataSyntaxError('unterminated string literal')
      this.#index++
      if (char !== "'") {
        value += char
      } else if (this.text.charAt(this.#index) === "'") {
        value += "'"
        this.#index++
      } else {
        return value
      }
    }
  }
}
