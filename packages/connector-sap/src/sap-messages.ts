import { headerValue, type ResponseHeaders } from '@junction/core'

const V4_SEVERITY: Readonly<Record<number, string>> = { 1: 'success', 2: 'info', 3: 'warning', 4: 'error' }

/**
 * SAP's business messages on a successful answer, as warning texts `severity code: message`: the V2
 * `sap-message` header (one JSON object with `details`) and the V4 `sap-messages` header (a JSON array
 * with `numericSeverity`, 1–3 UNVERIFIED), sheet §5.3. A header that is not JSON is reported as is.
 */
export function sapMessages(headers: ResponseHeaders): string[] {
  const warnings: string[] = []
  const v2 = headerValue(headers, 'sap-message')
  if (v2 !== undefined) {
    const message = parse(v2)
    if (isObject(message)) {
      warnings.push(text(message))
      const details = message.details
      if (Array.isArray(details))
        for (const detail of details) if (isObject(detail)) warnings.push(text(detail))
    } else {
      warnings.push(v2)
    }
  }
  const v4 = headerValue(headers, 'sap-messages')
  if (v4 !== undefined) {
    const messages = parse(v4)
    if (Array.isArray(messages)) {
      for (const message of messages) if (isObject(message)) warnings.push(text(message))
    } else {
      warnings.push(v4)
    }
  }
  return warnings
}

function text(message: Record<string, unknown>): string {
  const severity =
    typeof message.severity === 'string'
      ? message.severity
      : (V4_SEVERITY[Number(message.numericSeverity)] ?? 'info')
  const code = typeof message.code === 'string' && message.code !== '' ? ` ${message.code}` : ''
  return `${severity}${code}: ${String(message.message ?? '')}`
}

function parse(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
