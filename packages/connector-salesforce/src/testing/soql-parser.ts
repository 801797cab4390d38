/** A value in a parsed condition: strings unescaped, dates as `YYYY-MM-DD`, datetimes as epoch ms. */
export type SoqlValue = string | number | boolean | null | { date: string } | { dateTime: number }

/** A comparison operator of the simulator's SOQL subset. */
export type SoqlOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN' | 'NOT IN'

/** A WHERE expression: comparisons combined with AND, OR and NOT. */
export type SoqlCondition =
  | { kind: 'compare'; field: string; operator: Exclude<SoqlOperator, 'IN' | 'NOT IN'>; value: SoqlValue }
  | { kind: 'in'; field: string; negated: boolean; values: SoqlValue[] }
  | { kind: 'and' | 'or'; operands: SoqlCondition[] }
  | { kind: 'not'; operand: SoqlCondition }

/** The subset of SOQL the simulator understands. */
export interface ParsedSoql {
  /** Selected field paths (`Name`, `Account.Name`); empty for `SELECT COUNT()`. */
  fields: string[]
  /** `SELECT COUNT()`: the answer is `totalSize` with no records. */
  count: boolean
  entity: string
  where: SoqlCondition | undefined
  orderBy: Array<{ field: string; descending: boolean; nullsLast: boolean }>
  limit: number | undefined
  offset: number | undefined
}

/**
 * A statement the simulator cannot read. Salesforce answers these with 400 `MALFORMED_QUERY` and a
 * message that points at the row and column (sheet §3.4); `message` is shaped the same way.
 */
export class SoqlSyntaxError extends Error {
  override readonly name = 'SoqlSyntaxError'
  /** 1-based column of the offending token. */
  readonly column: number
  constructor(text: string, column: number, problem: string) {
    super(`\n${text}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\n${problem}`)
    this.column = column
  }
}

type TokenKind = 'word' | 'number' | 'string' | 'date' | 'datetime' | 'symbol'
interface Token {
  kind: TokenKind
  text: string
  /** 0-based offset in the statement. */
  at: number
  value?: SoqlValue
}

// The escapes the SOQL reference allows in string literals (sheet §3.4); `\_` and `\%` are kept
// escaped because they only mean something to LIKE. Any other backslash is an error.
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
const SYMBOL = /^(?:!=|<=|>=|<>|[=<>(),])/
const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'IN',
  'LIKE',
])

/**
 * Parses `SELECT fields|COUNT() FROM X [WHERE …] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], …]
 * [LIMIT n] [OFFSET n]`, where conditions combine `= != < > <= >= LIKE IN NOT IN` with AND, OR, NOT
 * and parentheses. Written independently of the connector's builder so the two check each other.
 */
export function parseSoql(text: string): ParsedSoql {
  const tokens = tokenize(text)
  let position = 0
  const peek = (): Token | undefined => tokens[position]
  const fail = (token: Token | undefined, problem?: string): never => {
    throw new SoqlSyntaxError(
      text,
      (token?.at ?? text.length) + 1,
      problem ?? (token === undefined ? 'unexpected end of query' : `unexpected token: '${token.text}'`),
    )
  }
  const next = (): Token => {
    const token = tokens[position]
    if (token === undefined) return fail(undefined)
    position++
    return token
  }
  const isKeyword = (token: Token | undefined, word: string): boolean =>
    token?.kind === 'word' && token.text.toUpperCase() === word
  const keyword = (word: string): boolean => {
    if (!isKeyword(peek(), word)) return false
    position++
    return true
  }
  const expectKeyword = (word: string): void => {
    if (!keyword(word)) fail(peek())
  }
  const symbol = (text: string): boolean => {
    if (peek()?.kind !== 'symbol' || peek()?.text !== text) return false
    position++
    return true
  }
  const expectSymbol = (text: string): void => {
    if (!symbol(text)) fail(peek())
  }
  const name = (): string => {
    const token = next()
    if (token.kind !== 'word' || RESERVED.has(token.text.toUpperCase())) return fail(token)
    return token.text
  }
  const literal = (): SoqlValue => {
    const token = next()
    if (token.value !== undefined) return token.value
    if (token.kind === 'word') {
      const upper = token.text.toUpperCase()
      if (upper === 'NULL') return null
      if (upper === 'TRUE') return true
      if (upper === 'FALSE') return false
    }
    return fail(token)
  }

  const comparison = (): SoqlCondition => {
    if (symbol('(')) {
      const inner = disjunction()
      expectSymbol(')')
      return inner
    }
    if (keyword('NOT')) return { kind: 'not', operand: comparison() }
    const field = name()
    const operator = peek()
    if (isKeyword(operator, 'NOT') && isKeyword(tokens[position + 1], 'IN')) {
      position += 2
      return { kind: 'in', field, negated: true, values: list() }
    }
    if (keyword('IN')) return { kind: 'in', field, negated: false, values: list() }
    if (keyword('LIKE')) {
      const value = literal()
      if (typeof value !== 'string') fail(tokens[position - 1], 'LIKE needs a string literal')
      return { kind: 'compare', field, operator: 'LIKE', value }
    }
    const op = next()
    if (op.kind !== 'symbol' || ['(', ')', ','].includes(op.text)) return fail(op)
    const normalized = (op.text === '<>' ? '!=' : op.text) as Exclude<SoqlOperator, 'IN' | 'NOT IN' | 'LIKE'>
    return { kind: 'compare', field, operator: normalized, value: literal() }
  }
  const list = (): SoqlValue[] => {
    expectSymbol('(')
    const values = [literal()]
    while (symbol(',')) values.push(literal())
    expectSymbol(')')
    return values
  }
  const conjunction = (): SoqlCondition => {
    const operands = [comparison()]
    while (keyword('AND')) operands.push(comparison())
    return operands.length === 1 ? (operands[0] as SoqlCondition) : { kind: 'and', operands }
  }
  const disjunction = (): SoqlCondition => {
    const operands = [conjunction()]
    while (keyword('OR')) operands.push(conjunction())
    return operands.length === 1 ? (operands[0] as SoqlCondition) : { kind: 'or', operands }
  }
  const integer = (): number => {
    const token = next()
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) return fail(token)
    return Number(token.text)
  }

  expectKeyword('SELECT')
  const fields: string[] = []
  let count = false
  if (isKeyword(peek(), 'COUNT') && tokens[position + 1]?.text === '(') {
    position += 2
    expectSymbol(')')
    count = true
  } else {
    fields.push(name())
    while (symbol(',')) fields.push(name())
  }
  expectKeyword('FROM')
  const entity = name()
  const where = keyword('WHERE') ? disjunction() : undefined
  const orderBy: ParsedSoql['orderBy'] = []
  if (keyword('ORDER')) {
    expectKeyword('BY')
    do {
      const field = name()
      const descending = keyword('DESC')
      if (!descending) keyword('ASC')
      let nullsLast = descending
      if (keyword('NULLS')) {
        if (keyword('LAST')) nullsLast = true
        else {
          expectKeyword('FIRST')
          nullsLast = false
        }
      }
      orderBy.push({ field, descending, nullsLast })
    } while (symbol(','))
  }
  const limit = keyword('LIMIT') ? integer() : undefined
  const offset = keyword('OFFSET') ? integer() : undefined
  if (peek() !== undefined) fail(peek())
  return { fields, count, entity, where, orderBy, limit, offset }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < text.length) {
    const rest = text.slice(index)
    const space = /^\s+/.exec(rest)
    if (space) {
      index += space[0].length
      continue
    }
    if (rest.startsWith("'")) {
      const [value, length] = stringLiteral(text, index)
      tokens.push({ kind: 'string', text: text.slice(index, index + length), at: index, value })
      index += length
      continue
    }
    const dateTime = DATETIME.exec(rest)
    if (dateTime) {
      const iso = dateTime[0]
      tokens.push({ kind: 'datetime', text: iso, at: index, value: { dateTime: Date.parse(iso) } })
      index += iso.length
      continue
    }
    const date = DATE.exec(rest)
    if (date) {
      tokens.push({ kind: 'date', text: date[0], at: index, value: { date: date[0] } })
      index += date[0].length
      continue
    }
    const number = NUMBER.exec(rest)
    if (number) {
      tokens.push({ kind: 'number', text: number[0], at: index, value: Number(number[0]) })
      index += number[0].length
      continue
    }
    const word = WORD.exec(rest) ?? SYMBOL.exec(rest)
    if (!word) throw new SoqlSyntaxError(text, index + 1, `unexpected token: '${rest.charAt(0)}'`)
    tokens.push({ kind: WORD.test(word[0]) ? 'word' : 'symbol', text: word[0], at: index })
    index += word[0].length
  }
  return tokens
}

// The unescaped value of the string literal opening at `start`, and the literal's length in the text.
function stringLiteral(text: string, start: number): [string, number] {
  let value = ''
  let index = start + 1
  while (index < text.length) {
    const char = text.charAt(index)
    if (char === "'") return [value, index + 1 - start]
    if (char !== '\\') {
      value += char
      index++
      continue
    }
    const escaped = text.charAt(index + 1)
    if (escaped === 'u' || escaped === 'U') {
      const hex = text.slice(index + 2, index + 6)
      if (!/^[0-9a-fA-F]{4}$/.test(hex))
        throw new SoqlSyntaxError(text, index + 1, 'Invalid string literal: bad unicode escape')
      value += String.fromCharCode(Number.parseInt(hex, 16))
      index += 6
    } else if (escaped === '_' || escaped === '%') {
      value += `\\${escaped}`
      index += 2
    } else {
      const unescaped = UNESCAPES[escaped]
      if (unescaped === undefined) {
        throw new SoqlSyntaxError(
          text,
          index + 1,
          `Invalid string literal '${text.slice(start, index + 2)}'. Illegal character sequence '\\${escaped}' in string literal.`,
        )
      }
      value += unescaped
      index += 2
    }
  }
  throw new SoqlSyntaxError(text, start + 1, 'unterminated string literal')
}
