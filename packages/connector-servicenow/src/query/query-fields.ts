// Operators as they follow a field name in an encoded query, longest first (sheet §2.4).
const OPERATOR =
  /^([a-z0-9_.]+?)(?:ISNOTEMPTY|ISEMPTY|EMPTYSTRING|ANYTHING|NOT LIKE|NOTLIKE|NOT IN|STARTSWITH|ENDSWITH|BETWEEN|SAMEAS|NSAMEAS|LIKE|IN|!=|>=|<=|=|>|<|ON|DYNAMIC|INSTANCEOF|RELATIVE|MORETHAN|LESSTHAN|DATEPART)/

/** The field names an encoded query filters and sorts on (for the schema check), best effort for raw text. */
export function queryFields(text: string): string[] {
  const fields: string[] = []
  for (let part of text.split('^')) {
    if (part.startsWith('ORDERBYDESC')) fields.push(part.slice(11))
    else if (part.startsWith('ORDERBY')) fields.push(part.slice(7))
    else {
      if (part.startsWith('NQ') || part.startsWith('OR')) part = part.slice(2)
      const match = OPERATOR.exec(part)
      if (match?.[1]) fields.push(match[1])
    }
  }
  return fields
}
