import { JunctionError, type JunctionResponse, TransportError, ValidationError } from '@junction/core'
import { cookieHeader } from '../csrf/cookie-header.js'
import type { SapContext } from '../sap-context.js'
import { fromXmlTree, functionElement, type RfcStructure, toXmlTree } from './rfc-values.js'
import { RFC_NAMESPACE, SOAP_NAMESPACE, soapBuilder, soapParser } from './soap-xml.js'

/** One BAPIRET2 row of a `RETURN` parameter. */
export interface BapiMessage {
  /** S, E, W, I or A. */
  type: string
  id: string
  number: string
  message: string
  field?: string | undefined
}

/** How to call a function module over SOAP-RFC. */
export interface BapiCallOptions {
  /**
   * Call `BAPI_TRANSACTION_COMMIT` (`WAIT=X`) after success, or `…_ROLLBACK` after an E/A message, in
   * the same session (the cookies of the first call). Over stateless SOAP-RFC a separate commit may
   * commit nothing (sheet §7.2): UNVERIFIED; a wrapper that commits inside is the safe choice.
   */
  commit?: boolean
  /** A read-only function may be sent again after a transient failure (default false). */
  idempotent?: boolean
}

/** A function module's exporting, changing and tables parameters, and its `RETURN` messages. */
export interface BapiResult {
  values: Record<string, unknown>
  messages: readonly BapiMessage[]
}

/**
 * Calls an RFC-enabled function module through the generic SOAP handler (`/sap/bc/soap/rfc`,
 * namespace `urn:sap-com:document:sap:rfc:functions`, sheet §7). `RETURN` rows of type E or A are a
 * `BAPI_ERROR` even though the HTTP status is 200 (BAPIs report business errors that way); a SOAP
 * fault is a `SOAP_FAULT` (mapped with the other SAP errors).
 */
export async function callBapi(
  ctx: SapContext,
  name: string,
  parameters: RfcStructure,
  options: BapiCallOptions = {},
): Promise<BapiResult> {
  let element: string
  try {
    element = functionElement(name)
  } catch (error) {
    throw new ValidationError({
      message: `sap: ${(error as Error).message}`,
      system: 'sap',
      operation: 'bapi',
    })
  }
  const first = await send(ctx, element, parameters, undefined, options.idempotent ?? false)
  const result = readResult(first.body, element)
  const failed = result.messages.filter((message) => message.type === 'E' || message.type === 'A')
  if (options.commit === true) {
    const session = cookieHeader(first.headers)
    if (failed.length > 0) await send(ctx, 'BAPI_TRANSACTION_ROLLBACK', {}, session, false)
    else {
      const commit = await send(ctx, 'BAPI_TRANSACTION_COMMIT', { WAIT: 'X' }, session, false)
      const committed = readResult(commit.body, 'BAPI_TRANSACTION_COMMIT')
      const commitFailed = committed.messages.filter(
        (message) => message.type === 'E' || message.type === 'A',
      )
      if (commitFailed.length > 0)
        throw bapiError('BAPI_TRANSACTION_COMMIT', commitFailed, committed.messages)
    }
  }
  if (failed.length > 0) throw bapiError(name, failed, result.messages)
  return result
}

async function send(
  ctx: SapContext,
  element: string,
  parameters: RfcStructure,
  cookie: string | undefined,
  idempotent: boolean,
): Promise<JunctionResponse<string>> {
  const xml = soapBuilder.build({
    'soapenv:Envelope': {
      '@xmlns:soapenv': SOAP_NAMESPACE,
      '@xmlns:urn': RFC_NAMESPACE,
      'soapenv:Header': '',
      'soapenv:Body': { [`urn:${element}`]: toXmlTree(parameters) },
    },
  }) as string
  return ctx.request<string>({
    method: 'POST',
    url: `${new URL(ctx.options.serviceRoot).origin}${ctx.options.soapPath}`,
    headers: { accept: 'text/xml', soapaction: '""', ...(cookie === undefined ? {} : { cookie }) },
    body: { type: 'xml', value: xml, contentType: 'text/xml; charset=utf-8' },
    responseType: 'text',
    idempotent,
  })
}

function readResult(body: string, element: string): BapiResult {
  let parsed: unknown
  try {
    parsed = soapParser.parse(body)
  } catch {
    throw malformed(element, 'is not XML')
  }
  const soapBody = (parsed as { Envelope?: { Body?: Record<string, unknown> } }).Envelope?.Body
  // `FM.Response` or `FMResponse`, depending on the release (sheet §7.2).
  const response = soapBody?.[`${element}.Response`] ?? soapBody?.[`${element}Response`]
  if (response === undefined) throw malformed(element, `has no ${element}.Response`)
  const values = (fromXmlTree(response) ?? {}) as Record<string, unknown>
  return { values: typeof values === 'object' ? values : {}, messages: returnMessages(values.RETURN) }
}

// RETURN is a structure (BAPIRET2) or a table of them; an all-blank structure means no message.
function returnMessages(value: unknown): BapiMessage[] {
  const rows = Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]
  return rows
    .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
    .map((row) => ({
      type: String(row.TYPE ?? '').trim(),
      id: String(row.ID ?? ''),
      number: String(row.NUMBER ?? ''),
      message: String(row.MESSAGE ?? ''),
      field: typeof row.FIELD === 'string' && row.FIELD !== '' ? row.FIELD : undefined,
    }))
    .filter((message) => message.type !== '' || message.message !== '')
}

function bapiError(
  name: string,
  failed: readonly BapiMessage[],
  messages: readonly BapiMessage[],
): JunctionError {
  const first = failed[0] as BapiMessage
  return new JunctionError({
    code: 'BAPI_ERROR',
    message: `sap: ${name} returned ${first.type} ${first.id}/${first.number}: ${first.message}`,
    system: 'sap',
    operation: 'bapi',
    status: 200,
    systemCode: `${first.id}/${first.number}`,
    details: { messages },
  })
}

function malformed(element: string, problem: string): TransportError {
  return new TransportError({
    code: 'MALFORMED_RESPONSE',
    message: `sap: the SOAP answer to ${element} ${problem}`,
    system: 'sap',
    operation: 'bapi',
  })
}
