/**
 * Canonical JSON (RFC 8785 / JCS for the values JSON can hold): object keys sorted by UTF-16 code
 * units, no whitespace, numbers and strings as `JSON.stringify` writes them. `toJSON` is honoured
 * (Dates become ISO strings) and `undefined` members are left out, so a value and its JSON round
 * trip serialize to the same text: what the hash chain hashes on write and again on verify.
 */
export function canonicalJson(value: unknown): string {
  const text = encode(value)
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form')
  return text
}

function encode(input: unknown): string | undefined {
  const value = hasToJson(input) ? input.toJSON() : input
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value)
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt has no JSON form')
    case 'object': {
      // String building without intermediate arrays: this runs for every audit line written and verified.
      if (Array.isArray(value)) {
        let out = '['
        for (let index = 0; index < value.length; index++) {
          out += `${index === 0 ? '' : ','}${encode(value[index]) ?? 'null'}`
        }
        return `${out}]`
      }
      let out = '{'
      for (const key of Object.keys(value).sort()) {
        const item = encode((value as Record<string, unknown>)[key])
        if (item !== undefined) out += `${out === '{' ? '' : ','}${JSON.stringify(key)}:${item}`
      }
      return `${out}}`
    }
    default:
      return undefined
  }
}

const hasToJson = (value: unknown): value is { toJSON: () => unknown } =>
  typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function'
