import { TimeoutError, TransportError, ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import type { JunctionRequest } from '../pipeline/request.js'
import type { CallDeadline } from './call-deadline.js'
import { isDecodeFailure } from './decompress-body.js'
import { byteSnippet, callOrigin, describeCall } from './failure-details.js'

/** What the transport knew when a call failed. */
export interface FailureContext {
  request: JunctionRequest
  deadline: CallDeadline
  /** The status, when the failure came while reading the body. */
  status?: number | undefined
  /** Body bytes that had arrived before the failure. */
  received?: readonly Buffer[] | undefined
}

const TIMEOUTS: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers arrived in time',
  UND_ERR_BODY_TIMEOUT: 'the response body stalled',
  ETIMEDOUT: 'the connection timed out',
}

const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
])

const RESETS = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
])

// OpenSSL's certificate verification results, as Node reports them in `error.code`.
const CERTIFICATE_FAILURES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
])

const INVALID_REQUEST = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_URL'])

/**
 * Turns whatever undici, Node or zlib threw into the transport's typed error: timeouts and aborts
 * into `TimeoutError`, connection, reset and TLS failures into `TransportError`; the original error
 * is kept as `cause`, and messages carry the method and path but never the query string.
 */
export function mapUndiciError(error: unknown, context: FailureContext): JunctionError {
  if (error instanceof JunctionError) return error
  const { request, deadline } = context
  const fields = {
    ...callOrigin(request),
    status: context.status,
    snippet: context.received === undefined ? undefined : byteSnippet(context.received),
    cause: error,
  }
  const call = describeCall(request)

  if (deadline.cause === 'deadline') {
    return new TimeoutError({
      ...fields,
      code: 'DEADLINE_EXCEEDED',
      message: `${call} did not complete within its ${deadline.timeoutMs} ms deadline`,
    })
  }
  if (deadline.cause === 'caller') {
    // An operation-level `AbortSignal.timeout` is a deadline too, just one the caller set.
    const timedOut =
      deadline.callerReason instanceof DOMException && deadline.callerReason.name === 'TimeoutError'
    return new TimeoutError({
      ...fields,
      code: timedOut ? 'DEADLINE_EXCEEDED' : 'ABORTED',
      message: timedOut ? `${call} ran out of the caller's time budget` : `${call} was aborted by the caller`,
    })
  }
  if (isDecodeFailure(error)) {
    return new TransportError({
      ...fields,
      code: 'MALFORMED_RESPONSE',
      message: `${call}: the compressed response body does not decode`,
      retryable: true,
    })
  }

  const code = errorCode(error)
  const timeout = code === undefined ? undefined : TIMEOUTS[code]
  if (code !== undefined && timeout !== undefined) {
    return new TimeoutError({ ...fields, code: 'TIMEOUT', message: `${call}: ${timeout} (${code})` })
  }
  if (code === undefined) {
    return new TransportError({
      ...fields,
      code: 'CONNECTION_FAILED',
      message: `${call} failed: ${error instanceof Error ? error.name : 'unknown error'}`,
    })
  }
  if (CONNECT_FAILURES.has(code)) {
    return new TransportError({
      ...fields,
      code: 'CONNECTION_FAILED',
      message: `${call}: could not connect (${code})`,
      retryable: true,
    })
  }
  if (RESETS.has(code)) {
    return new TransportError({
      ...fields,
      code: 'CONNECTION_RESET',
      message: `${call}: the connection closed before the response was complete (${code})`,
      retryable: true,
    })
  }
  if (isTlsFailure(code)) {
    return new TransportError({ ...fields, code: 'TLS_FAILED', message: `${call}: TLS failed (${code})` })
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new TransportError({
      ...fields,
      code: 'RESPONSE_TOO_LARGE',
      message: `${call}: the response exceeded the dispatcher's size limit`,
    })
  }
  if (INVALID_REQUEST.has(code)) {
    return new ValidationError({ ...fields, message: `${call} cannot be sent: undici refused it (${code})` })
  }
  return new TransportError({ ...fields, code: 'CONNECTION_FAILED', message: `${call} failed (${code})` })
}

function isTlsFailure(code: string): boolean {
  return (
    CERTIFICATE_FAILURES.has(code) ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code === 'UND_ERR_PRX_TLS'
  )
}

/**
 * The first code found on the error, its `cause`, or the errors of an AggregateError (Node's
 * happy-eyeballs connect reports one per address tried).
 */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'UND_ERR') return code
  const nested = [
    (error as { cause?: unknown }).cause,
    ...(error instanceof AggregateError ? (error.errors as unknown[]) : []),
  ]
  for (const inner of nested) {
    const found = errorCode(inner, depth + 1)
    if (found !== undefined) return found
  }
  return typeof code === 'string' ? code : undefined
}
