import { soapParser } from './soap-xml.js'

/** What a SOAP fault says: `faultstring`, and the serialized ABAP exception's `Name` and `Text`. */
export interface SoapFault {
  faultCode: string | undefined
  faultString: string
  name: string | undefined
  text: string | undefined
}

/**
 * Reads a SOAP 1.1 fault from a body, or `undefined` when the body is not one. The detail element's
 * name and the faultcode on SOAP-RFC are UNVERIFIED (sheet §7.2), so any `Name` / `Text` under
 * `detail` is taken.
 */
export function readSoapFault(body: unknown): SoapFault | undefined {
  if (typeof body !== 'string' || !body.includes('Fault')) return undefined
  let parsed: unknown
  try {
    parsed = soapParser.parse(body)
  } catch {
    return undefined
  }
  const fault = field(field(field(parsed, 'Envelope'), 'Body'), 'Fault')
  if (fault === undefined) return undefined
  const detail = field(fault, 'detail')
  const exception =
    typeof detail === 'object' && detail !== null
      ? Object.values(detail as Record<string, unknown>)[0]
      : undefined
  return {
    faultCode: textOf(field(fault, 'faultcode')),
    faultString: textOf(field(fault, 'faultstring')) ?? 'SOAP fault',
    name: textOf(field(exception, 'Name')),
    text: textOf(field(exception, 'Text')),
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  const text = field(value, '#text')
  return typeof text === 'string' ? text : undefined
}
