/** A value in a parsed condition: strings unescaped, datetimes kept as epoch milliseconds. */
export type SoqlValue = string | number | boolean | null | { dateTime: number }

/** The subset of SOQL the connector's builder emits. */
export interface ParsedSoql {
  fields: string[]
  entity: string
  /** Equality conditions, ANDed. */
  where: Array<{ field: string; value: SoqlValue }>
  orderBy: Array<{ field: string; descending: boolean }>
  limit: number | undefined
}

/** A statement the simulator cannot read; Salesforce answers these with 400 `MALFORMED_QUERY`. */
export class SoqlSyntaxError extends Error {
  override readonly name = 'SoqlSyntaxError'
}

type Token = { kind: 'word' | 'number' | 'string' | 'datetime' | 'symbol'; text: string; value?: SoqlValue }

// The escapes the SOQL reference allows in string literals (sheet §3.4); any other backslash is an error.
const UNESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT:])/
const NUMBER = /^-?\d+(?:\.\d+)?/
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*/

/**
 * Parses `SELECT f, … FROM X [WHERE a = v AND …] [ORDER BY f [ASC|DESC], …] [LIMIT n]`, written
 * independently of the connector's builder so the two check each other.
 */
export function parseSoql(text: string): ParsedSoql {
  const tokens = tokenize(text)
  let position = 0
  const peek = (): Token | undefined => tokens[position]
  const next = (): Token => {
    const token = tokens[position++]
    if (token === undefined) throw new SoqlSyntaxError('unexpected end of query')
    return token
  }
  const keyword = (word: string): boolean => {
    const token = peek()
    if (token?.kind !== 'word' || token.text.toUpperCase() !== word) return false
    position++
    return true
  }
  const expectKeyword = (word: string): void => {
    if (!keyword(word)) throw new SoqlSyntaxError(`expected ${word} near "${peek()?.text ?? 'end'}"`)
  }
  const word = (): string => {
    const token = next()
    if (token.kind !== 'word') throw new SoqlSyntaxError(`unexpected token: '${token.text}'`)
    return token.text
  }

  expectKeyword('SELECT')
  const fields = [word()]
  while (peek()?.text === ',') {
    position++
    fields.push(word())
  }
  expectKeyword('FROM')
  const entity = word()
  const where: ParsedSoql['where'] = []
  if (keyword('WHERE')) {
    do {
      const field = word()
      const operator = next()
      if (operator.text !== '=') throw new SoqlSyntaxError(`unsupported operator '${operator.text}'`)
      where.push({ field, value: literal(next()) })
    } while (keyword('AND'))
  }
  const orderBy: ParsedSoql['orderBy'] = []
  if (keyword('ORDER')) {
    expectKeyword('BY')
    for (;;) {
      const field = word()
      const descending = keyword('DESC')
      if (!descending) keyword('ASC')
      orderBy.push({ field, descending })
      if (peek()?.text !== ',') break
      position++
    }
  }
  let limit: number | undefined
  if (keyword('LIMIT')) {
    const token = next()
    if (token.kind !== 'number' || !/^\d+$/.test(token.text))
      throw new SoqlSyntaxError('LIMIT needs an integer')
    limit = Number(token.text)
  }
  const rest = peek()
  if (rest !== undefined) throw new SoqlSyntaxError(`unexpected token: '${rest.text}'`)
  return { fields, entity, where, orderBy, limit }
}

function literal(token: Token): SoqlValue {
  if (token.value !== undefined) return token.value
  if (token.kind === 'word') {
    const upper = token.text.toUpperCase()
    if (upper === 'TRUE') return true
    if (upper === 'FALSE') return false
    if (upper === 'NULL') return null
  }
  throw new SoqlSyntaxError(`unexpected token: '${token.text}'`)
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < text.length) {
    const rest = text.slice(index)
    const char = text.charAt(index)
    if (/\s/.test(char)) {
      index++
    } else if (char === "'") {
      const { value, end } = readString(text, index)
      tokens.push({ kind: 'string', text: text.slice(index, end), value })
      index = end
    } else if (DATETIME.test(rest) || DATE.test(rest)) {
      const match = (DATETIME.exec(rest) ?? DATE.exec(rest))?.[0] ?? ''
      tokens.push({ kind: 'datetime', text: match, value: { dateTime: Date.parse(match) } })
      index += match.length
    } else if (NUMBER.test(rest)) {
      const match = NUMBER.exec(rest)?.[0] ?? ''
      tokens.push({ kind: 'number', text: match, value: Number(match) })
      index += match.length
    } else if (WORD.test(rest)) {
      const match = WORD.exec(rest)?.[0] ?? ''
      tokens.push({ kind: 'word', text: match })
      index += match.length
    } else if (char === ',' || char === '=') {
      tokens.push({ kind: 'symbol', text: char })
      index++
    } else {
      throw new SoqlSyntaxError(`unexpected character '${char}'`)
    }
  }
  return tokens
}

function readString(text: string, start: number): { value: string; end: number } {
  let value = ''
  let index = start + 1
  while (index < text.length) {
    const char = text.charAt(index)
    if (char === "'") return { value, end: index + 1 }
    if (char !== '\\') {
      value += char
      index++
      continue
    }
    const escaped = text.charAt(index + 1)
    if (escaped === 'u' || escaped === 'U') {
      const hex = text.slice(index + 2, index + 6)
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new SoqlSyntaxError('invalid unicode escape')
      value += String.fromCharCode(Number.parseInt(hex, 16))
      index += 6
      continue
    }
    const unescaped = UNESCAPES[escaped]
    if (unescaped === undefined) throw new SoqlSyntaxError(`invalid escape sequence '\\${escaped}'`)
    value += unescaped
    index += 2
  }
  throw new SoqlSyntaxError('unterminated string literal')
}
