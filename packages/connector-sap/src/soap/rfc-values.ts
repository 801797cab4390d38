/** A value of an RFC parameter: a scalar, a structure, or a table (rows of structures). */
export type RfcValue = string | number | boolean | Date | null | RfcStructure | readonly RfcStructure[]

/** An ABAP structure: field name to value. */
export interface RfcStructure {
  readonly [field: string]: RfcValue
}

/**
 * The XML builder's tree for a parameter list (sheet §7.2): structures nest, table rows are `<item>`
 * elements, ABAP booleans are `X` or blank, dates `YYYY-MM-DD` (UNVERIFIED for every DATS field).
 */
export function toXmlTree(values: RfcStructure): Record<string, unknown> {
  const tree: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(values)) tree[name] = xmlValue(value)
  return tree
}

function xmlValue(value: RfcValue): unknown {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? 'X' : ''
  if (typeof value === 'number') return String(value)
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'string') return value
  if (Array.isArray(value))
    return value.length === 0 ? '' : { item: value.map((row) => toXmlTree(row as RfcStructure)) }
  return toXmlTree(value as RfcStructure)
}

/** A parsed response element as plain data: text stays text, `<item>` lists become arrays. */
export function fromXmlTree(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node ?? ''
  const entries = Object.entries(node as Record<string, unknown>)
  if (entries.length === 1 && entries[0]?.[0] === 'item') {
    const items = entries[0][1]
    return (Array.isArray(items) ? items : [items]).map(fromXmlTree)
  }
  return Object.fromEntries(
    entries.filter(([name]) => name !== '#text').map(([name, value]) => [name, fromXmlTree(value)]),
  )
}

/** An RFC function name as an XML element: `/BIC/FM` is written `_-BIC_-FM` (sheet §7.2). */
export function functionElement(name: string): string {
  if (!/^[A-Za-z0-9_/]+$/.test(name)) throw new Error(`"${name}" is not an RFC function name`)
  return name.toUpperCase().replaceAll('/', '_-')
}
