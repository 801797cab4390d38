import { randomUUID } from 'node:crypto'
import type { ODataFault } from './sim-fault.js'

/** A request as the simulator's OData endpoint sees it (from msw, or from inside a `$batch`). */
export interface SimRequest {
  method: string
  url: URL
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>
  body: string
}

/** What the endpoint answers. */
export interface SimResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Whether the client asked for JSON (`Accept` or `$format=json`). */
export function wantsJson(request: SimRequest): boolean {
  return request.url.searchParams.get('$format') === 'json' || (request.headers.accept ?? '').includes('json')
}

/** A JSON answer with Gateway's headers (sheet §1.3). */
export function jsonResponse(
  status: number,
  body: unknown,
  version: 'v2' | 'v4',
  extra: Record<string, string> = {},
  ieee754 = false,
): SimResponse {
  return {
    status,
    headers: {
      'content-type':
        version === 'v2'
          ? 'application/json; charset=utf-8'
          : `application/json;odata.metadata=minimal${ieee754 ? ';IEEE754Compatible=true' : ''};charset=utf-8`,
      ...(version === 'v2'
        ? { dataserviceversion: status >= 400 ? '1.0' : '2.0' }
        : { 'odata-version': '4.0' }),
      'cache-control': 'no-store, no-cache',
      ...extra,
    },
    body: JSON.stringify(body),
  }
}

/** The OData error body of the version (sheet §5.1 V2, §5.2 V4). */
export function errorResponse(fault: ODataFault, service: string, version: 'v2' | 'v4'): SimResponse {
  const transaction = randomUUID().replaceAll('-', '').toUpperCase()
  const timestamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
  const body =
    version === 'v2'
      ? {
          error: {
            code: fault.code,
            message: { lang: 'en', value: fault.message },
            innererror: {
              application: {
                component_id: '',
                service_namespace: '/SAP/',
                service_id: service,
                service_version: '0001',
              },
              transactionid: transaction,
              timestamp,
              Error_Resolution: {
                SAP_Transaction: 'Run transaction /IWFND/ERROR_LOG on SAP Gateway hub system',
                SAP_Note: 'See SAP Note 1797736 for error analysis',
              },
              errordetails: [
                { code: fault.code, message: fault.message, propertyref: '', severity: 'error', target: '' },
              ],
            },
          },
        }
      : {
          error: {
            code: fault.code,
            message: fault.message,
            '@SAP__common.ExceptionCategory':
              fault.status < 500 ? 'Client_Error' : 'Provider_Application_Error',
            details: [],
            innererror: {
              ErrorDetails: {
                '@SAP__common.TransactionId': transaction,
                '@SAP__common.Timestamp': timestamp,
              },
            },
          },
        }
  return jsonResponse(fault.status, body, version, fault.headers)
}
