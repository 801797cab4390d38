import { randomUUID } from 'node:crypto'
import { XMLBuilder, XMLParser } from 'fast-xml-parser'
import { fromXmlTree, type RfcStructure, toXmlTree } from '../soap/rfc-values.js'
import type { SimService } from './sim-service.js'

/** A function module the SOAP endpoint runs: import parameters in, export/tables parameters out. */
export type SimFunction = (
  parameters: Record<string, unknown>,
  session: SoapSession,
) => Record<string, unknown>

/** What a stateful SOAP session holds: writes waiting for `BAPI_TRANSACTION_COMMIT`. */
export interface SoapSession {
  pending: Array<() => void>
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === 'item',
})
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: false,
})
const SESSION_COOKIE = 'sap-contextid'

/**
 * The generic SOAP-RFC handler (`/sap/bc/soap/rfc`, sheet §7): reads `urn:sap-com:document:sap:rfc:functions`
 * calls, answers `FM.Response` with tables as `<item>` rows, and a SOAP fault for an unknown function.
 * Write BAPIs stage their changes until `BAPI_TRANSACTION_COMMIT` in the same session (the
 * `sap-contextid` cookie); whether real SOAP-RFC keeps such a session is UNVERIFIED (sheet §7.2).
 */
export class SoapEndpoint {
  readonly #functions = new Map<string, SimFunction>()
  readonly #sessions = new Map<string, SoapSession>()

  constructor(
    products: () => SimService,
    orders: () => SimService,
    extra: Readonly<Record<string, SimFunction>>,
  ) {
    this.#functions.set('BAPI_MATERIAL_GET_DETAIL', (parameters) => materialDetail(products(), parameters))
    this.#functions.set('BAPI_SALESORDER_CREATEFROMDAT2', (parameters, session) =>
      createOrder(orders(), parameters, session),
    )
    this.#functions.set('BAPI_TRANSACTION_COMMIT', (_parameters, session) => {
      for (const apply of session.pending.splice(0)) apply()
      return { RETURN: bapiret('', '', '000', '') }
    })
    this.#functions.set('BAPI_TRANSACTION_ROLLBACK', (_parameters, session) => {
      session.pending.length = 0
      return { RETURN: bapiret('', '', '000', '') }
    })
    for (const [name, run] of Object.entries(extra)) this.#functions.set(name, run)
  }

  /** Answers one SOAP call: status, headers and the XML body. */
  handle(
    body: string,
    cookie: string | undefined,
  ): { status: number; headers: Record<string, string>; body: string } {
    const sessionId = /sap-contextid=([^;]+)/.exec(cookie ?? '')?.[1]
    const id = sessionId !== undefined && this.#sessions.has(sessionId) ? sessionId : randomUUID()
    const session = this.#sessions.get(id) ?? { pending: [] }
    this.#sessions.set(id, session)
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      'set-cookie': `${SESSION_COOKIE}=${id}; path=/sap/bc/soap/rfc`,
    }
    let call: [string, unknown] | undefined
    try {
      const parsed = parser.parse(body) as { Envelope?: { Body?: Record<string, unknown> } }
      call = Object.entries(parsed.Envelope?.Body ?? {})[0]
    } catch {
      call = undefined
    }
    if (call === undefined)
      return { status: 500, headers, body: fault('soap-env:Client', 'Envelope could not be read', undefined) }
    const name = call[0].replaceAll('_-', '/')
    const run = this.#functions.get(name)
    if (run === undefined)
      return {
        status: 500,
        headers,
        body: fault('soap-env:Client', 'FU_NOT_FOUND', {
          name: call[0],
          text: `Function module ${name} does not exist`,
        }),
      }
    const result = run(fromXmlTree(call[1]) as Record<string, unknown>, session)
    return {
      status: 200,
      headers,
      body: builder.build({
        'soap-env:Envelope': {
          '@xmlns:soap-env': 'http://schemas.xmlsoap.org/soap/envelope/',
          'soap-env:Header': '',
          'soap-env:Body': {
            [`rfc:${call[0]}.Response`]: {
              '@xmlns:rfc': 'urn:sap-com:document:sap:rfc:functions',
              ...toXmlTree(result as RfcStructure),
            },
          },
        },
      }) as string,
    }
  }
}

function materialDetail(products: SimService, parameters: Record<string, unknown>): Record<string, unknown> {
  const material = String(parameters.MATERIAL ?? '')
  const product = products.records('A_Product').find((record) => record.Product === material)
  if (product === undefined)
    return {
      MATERIAL_GENERAL_DATA: {},
      RETURN: bapiret('E', 'M3', '305', `Material ${material} does not exist`),
    }
  return {
    MATERIAL_GENERAL_DATA: {
      MATL_TYPE: product.ProductType ?? '',
      BASE_UOM: product.BaseUnit ?? '',
      MATL_GROUP: product.ProductGroup ?? '',
      DEL_FLAG: product.IsMarkedForDeletion === true ? 'X' : '',
    },
    RETURN: bapiret('S', 'M3', '800', `Material ${material} read`),
  }
}

function createOrder(
  orders: SimService,
  parameters: Record<string, unknown>,
  session: SoapSession,
): Record<string, unknown> {
  const header = (parameters.ORDER_HEADER_IN ?? {}) as Record<string, unknown>
  const partners = Array.isArray(parameters.ORDER_PARTNERS)
    ? (parameters.ORDER_PARTNERS as Record<string, unknown>[])
    : []
  const items = Array.isArray(parameters.ORDER_ITEMS_IN)
    ? (parameters.ORDER_ITEMS_IN as Record<string, unknown>[])
    : []
  const soldTo = partners.find((partner) => partner.PARTN_ROLE === 'AG')?.PARTN_NUMB
  const errors = []
  if (soldTo === undefined || soldTo === '')
    errors.push(bapiret('E', 'V4', '219', 'Sold-to party is missing'))
  if (items.length === 0) errors.push(bapiret('E', 'V1', '761', 'No items were entered'))
  if (errors.length > 0)
    return { SALESDOCUMENT: '', RETURN: [...errors, bapiret('E', 'V4', '248', 'Error in SALES_HEADER_IN')] }
  const existing = orders.records('A_SalesOrder').map((record) => Number(record.SalesOrder) || 0)
  const number = String(Math.max(4710, ...existing) + 1 + session.pending.length)
  session.pending.push(() => {
    orders.create('A_SalesOrder', {
      SalesOrder: number,
      SalesOrderType: String(header.DOC_TYPE ?? 'OR'),
      SalesOrganization: String(header.SALES_ORG ?? ''),
      DistributionChannel: String(header.DISTR_CHAN ?? ''),
      OrganizationDivision: String(header.DIVISION ?? ''),
      SoldToParty: String(soldTo),
      to_Item: items.map((item) => ({
        Material: String(item.MATERIAL ?? ''),
        RequestedQuantity: String(item.TARGET_QTY ?? '0'),
      })),
    })
  })
  return {
    SALESDOCUMENT: number,
    RETURN: [bapiret('S', 'V1', '311', `Standard Order ${number} has been saved`)],
  }
}

function bapiret(type: string, id: string, number: string, message: string): Record<string, string> {
  return {
    TYPE: type,
    ID: id,
    NUMBER: number,
    MESSAGE: message,
    LOG_NO: '',
    LOG_MSG_NO: '000000',
    MESSAGE_V1: '',
    MESSAGE_V2: '',
    MESSAGE_V3: '',
    MESSAGE_V4: '',
    PARAMETER: '',
    ROW: '0',
    FIELD: '',
    SYSTEM: 'SIMCLNT100',
  }
}

function fault(code: string, text: string, exception: { name: string; text: string } | undefined): string {
  return builder.build({
    'soap-env:Envelope': {
      '@xmlns:soap-env': 'http://schemas.xmlsoap.org/soap/envelope/',
      'soap-env:Body': {
        'soap-env:Fault': {
          faultcode: code,
          faultstring: text,
          ...(exception === undefined
            ? {}
            : {
                detail: {
                  [`rfc:${exception.name}.Exception`]: {
                    '@xmlns:rfc': 'urn:sap-com:document:sap:rfc:functions',
                    Name: text,
                    Text: exception.text,
                  },
                },
              }),
        },
      },
    },
  }) as string
}
