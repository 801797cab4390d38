/** One condition of an encoded query. */
export interface EncodedCondition {
  field: string
  operator: '=' | '!=' | '>' | '>=' | '<' | '<=' | 'ISEMPTY' | 'ISNOTEMPTY'
  value: string
}

/** The subset of `sysparm_query` the simulator evaluates: ANDed conditions and sort keys. */
export interface ParsedEncodedQuery {
  conditions: EncodedCondition[]
  orderBy: Array<{ field: string; descending: boolean }>
}

/** Encoded-query syntax the simulator does not implement (`^OR`, `^NQ`, `LIKE`…): it answers 400, so a test sees it. */
export class EncodedQueryNotSupported extends Error {
  override readonly name = 'EncodedQueryNotSupported'
}

const CONDITION = /^([A-Za-z0-9_.]+?)(ISNOTEMPTY|ISEMPTY|!=|>=|<=|=|>|<)(.*)$/s

/**
 * Parses `field=value^field>value^fieldISEMPTY^ORDERBYfield^ORDERBYDESCfield`, splitting on every
 * `^` as the instance does (a value cannot hide one: that is the injection the connector prevents).
 * Written independently of the connector's builder so the two check each other.
 */
export function parseEncodedQuery(text: string): ParsedEncodedQuery {
  const parsed: ParsedEncodedQuery = { conditions: [], orderBy: [] }
  for (const part of text.split('^')) {
    if (part === '' || part === 'EQ') continue
    if (part.startsWith('ORDERBYDESC')) {
      parsed.orderBy.push({ field: part.slice('ORDERBYDESC'.length), descending: true })
    } else if (part.startsWith('ORDERBY')) {
      parsed.orderBy.push({ field: part.slice('ORDERBY'.length), descending: false })
    } else if (part.startsWith('OR') || part.startsWith('NQ')) {
      throw new EncodedQueryNotSupported(`the simulator does not implement ^${part.slice(0, 2)}`)
    } else {
      const match = CONDITION.exec(part)
      if (match === null) throw new EncodedQueryNotSupported(`the simulator cannot read "${part}"`)
      const [, field = '', operator = '=', value = ''] = match
      if ((operator === 'ISEMPTY' || operator === 'ISNOTEMPTY') && value !== '') {
        throw new EncodedQueryNotSupported(`the simulator cannot read "${part}"`)
      }
      parsed.conditions.push({ field, operator: operator as EncodedCondition['operator'], value })
    }
  }
  return parsed
}
