import type {
  AuditSink,
  Change,
  EntityRecord,
  JunctionRequest,
  MetricsRecorder,
  Middleware,
} from '@junction/core'
import { acmeErp } from './acme-erp-connector.js'
import { acmeErpSimulator } from './acme-erp-simulator.js'

/** What a caller such as the demo may hand the connector: a metrics recorder and an audit sink. */
export interface AcmeErpObservers {
  metrics?: MetricsRecorder
  audit?: AuditSink
}

/** What the scenario did, for the printout and for its test. */
export interface AcmeErpReport {
  serverUrl: string
  /** Changes read on the first sync, from the beginning. */
  initialChanges: number
  /** Customers in Ulm, as Junction hands them out. */
  ulmCustomers: EntityRecord[]
  upserted: {
    created: number
    updated: number
    failed: Array<{ index: number; code: string; systemCode?: string }>
  }
  invoice: EntityRecord | undefined
  /** The error of an update to a row someone has open in the ERP (a business error with status 200). */
  lockedUpdate: { code: string; systemCode: string | undefined } | undefined
  /** Changes read on the second sync, from the first sync's last cursor. */
  changesSince: Array<Pick<Change, 'id' | 'kind'> & { customerNo: unknown }>
  /** Requests that reached the ERP, by method and path. */
  calls: string[]
}

const SEED = {
  customers: [
    {
      customer_no: 'C-100',
      name: 'Müller Maschinenbau GmbH',
      city: 'Ulm',
      since: '14.03.2011',
      credit_limit: '25000,00',
    },
    {
      customer_no: 'C-101',
      name: 'Bäckerei Schmid',
      city: 'Freiburg',
      since: '02.09.2015',
      credit_limit: '1500,00',
    },
    {
      customer_no: 'C-102',
      name: 'Ulmer Stahlhandel KG',
      city: 'Ulm',
      since: '30.11.2019',
      credit_limit: '80000,50',
    },
  ],
  invoices: [
    {
      invoice_no: 'R-2026-0001',
      customer_no: 'C-100',
      invoice_date: '03.11.2026',
      due_date: '03.12.2026',
      amount: '12480,00',
      currency: 'EUR',
    },
  ],
}

/**
 * A short scenario against the simulated ACME ERP on a loopback socket: a first sync of the customers'
 * changes, a query, an upsert through the ERP's import, an invoice written with ISO dates and a decimal
 * amount, a write to a locked row, and a second sync that reads only what changed since the first.
 */
export async function runAcmeErp(
  log: (line: string) => void = () => {},
  observed: AcmeErpObservers = {},
): Promise<AcmeErpReport> {
  const sim = acmeErpSimulator({ seed: SEED })
  const server = await sim.listen()
  const erp = acmeErp({ baseUrl: `${server.url}/api/v2`, apiKey: sim.apiKey, ...observed })
  const calls: string[] = []
  const countCalls: Middleware = (next) => (request: JunctionRequest) => {
    calls.push(`${request.method} ${new URL(request.url).pathname}`)
    return next(request)
  }
  erp.stack.add('count-calls', countCalls, { after: 'errors' })
  try {
    log(`simulated ACME ERP listening on ${server.url}/api/v2`)

    let cursor: string | undefined
    let initialChanges = 0
    for await (const change of erp.changes('customers')) {
      initialChanges++
      cursor = change.cursor
    }
    log(`first sync: ${initialChanges} customer changes, checkpoint ${cursor}`)

    const ulmCustomers: EntityRecord[] = []
    for await (const customer of erp.query('customers', {
      where: { city: 'Ulm' },
      select: ['customer_no', 'name', 'credit_limit'],
    })) {
      ulmCustomers.push(customer)
    }
    log(
      `customers in Ulm: ${ulmCustomers.map((c) => `${c.customer_no} (credit limit ${c.credit_limit})`).join(', ')}`,
    )

    const results = await erp.upsert(
      'customers',
      [
        { customer_no: 'C-101', name: 'Bäckerei Schmid & Söhne', credit_limit: '2000.00' },
        { customer_no: 'C-103', name: 'Konstanzer Fähren AG', city: 'Konstanz', since: '2026-11-24' },
        { customer_no: 'C-104', name: 'Weingut Haller', since: '31.12.2026' },
        { customer_no: 'C-105', name: '' },
      ],
      { externalId: 'customer_no' },
    )
    const upserted = {
      created: results.filter((r) => r.ok && r.created).length,
      updated: results.filter((r) => r.ok && r.created === false).length,
      failed: results.flatMap((r) =>
        r.ok
          ? []
          : [
              {
                index: r.index,
                code: r.error.code,
                ...(r.error.systemCode ? { systemCode: r.error.systemCode } : {}),
              },
            ],
      ),
    }
    log(
      `upsert by customer_no: ${upserted.created} created, ${upserted.updated} updated, ` +
        `${upserted.failed.map((f) => `record ${f.index} refused (${f.code}${f.systemCode ? `, ERP err ${f.systemCode}` : ', before sending'})`).join(', ')}`,
    )

    const [created] = await erp.create('invoices', [
      {
        invoice_no: 'R-2026-0002',
        customer_no: 'C-103',
        invoice_date: '2026-11-24',
        due_date: '2026-12-24',
        amount: '980.40',
        currency: 'EUR',
      },
    ])
    const invoice = created?.ok && created.id ? await erp.get('invoices', created.id) : undefined
    const stored = created?.ok ? sim.data.row('invoices', Number(created.id)) : undefined
    log(
      `invoice ${invoice?.invoice_no}: Junction wrote ${invoice?.invoice_date} / ${invoice?.amount}, the ERP holds ${stored?.invoice_date} / ${stored?.amount}`,
    )

    sim.data.lock('customers', 1001)
    const [locked] = await erp.update('customers', [{ id: '1001', values: { city: 'Neu-Ulm' } }])
    const lockedUpdate =
      locked && !locked.ok ? { code: locked.error.code, systemCode: locked.error.systemCode } : undefined
    log(
      `update of a row open in someone's screen: ${lockedUpdate?.code} (ERP err ${lockedUpdate?.systemCode}, sent with status 200)`,
    )

    const changesSince: AcmeErpReport['changesSince'] = []
    for await (const change of erp.changes('customers', { cursor })) {
      changesSince.push({ id: change.id, kind: change.kind, customerNo: change.record?.customer_no })
    }
    log(`second sync from the checkpoint: ${changesSince.map((c) => `${c.kind} ${c.customerNo}`).join(', ')}`)

    return {
      serverUrl: server.url,
      initialChanges,
      ulmCustomers,
      upserted,
      invoice,
      lockedUpdate,
      changesSince,
      calls,
    }
  } finally {
    await erp.close()
    await sim.close()
  }
}
