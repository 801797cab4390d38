import { readFile } from 'node:fs/promises'
import { salesforce } from '@junction/connector-salesforce'
import { salesforceSimulator } from '@junction/connector-salesforce/testing'
import {
  type EntityRecord,
  type JunctionRequest,
  jsonlAudit,
  type MetricsRecorder,
  type Middleware,
  parseAuditEvent,
} from '@junction/core'

/** What the CRM basics scenario did, for the report and for its test. */
export interface CrmBasicsReport {
  serverUrl: string
  created: number
  failed: Array<{ index: number; code: string; systemCode: string | undefined }>
  openLeads: number
  /** Requests that reached the simulated org, by kind, counted on the wire side of the pipeline. */
  calls: { token: number; api: number; unauthorized: number }
  auditFile: string
  auditEvents: Array<{
    operation: string
    outcome: string
    recordCount: number | undefined
    latencyMs: number | undefined
  }>
}

const SEED: EntityRecord[] = Array.from({ length: 450 }, (_, i) => ({
  FirstName: `Lead${i}`,
  LastName: `Example${i}`,
  Company: `Company ${i % 37}`,
  Email: `lead${i}@example.com`,
  Status: i % 3 === 0 ? 'Working' : 'Open',
}))

/**
 * The smallest real end-to-end run: a simulated Salesforce org served on a loopback socket, the
 * Salesforce connector calling it through the whole pipeline (OAuth client credentials, error
 * mapping, the undici transport), and every operation written to a JSONL audit trail.
 */
export async function runCrmBasics(
  auditFile: string,
  log: (line: string) => void = () => {},
  metrics?: MetricsRecorder,
): Promise<CrmBasicsReport> {
  const sim = salesforceSimulator({ records: { Lead: SEED } })
  const server = await sim.listen()
  const audit = jsonlAudit(auditFile)
  const crm = salesforce({
    loginUrl: server.url,
    auth: sim.auth,
    audit,
    actor: 'svc-demo',
    ...(metrics === undefined ? {} : { metrics }),
  })
  const calls = { token: 0, api: 0, unauthorized: 0 }
  // Just above the transport, this sees every request that goes on the wire, token requests included.
  const countCalls: Middleware =
    (next) =>
    async <T>(request: JunctionRequest) => {
      const isToken = new URL(request.url).pathname.endsWith('/oauth2/token')
      if (isToken) calls.token++
      else calls.api++
      const response = await next<T>(request)
      if (!isToken && response.status === 401) calls.unauthorized++
      return response
    }
  crm.stack.add('count-calls', countCalls, { after: 'errors' })
  try {
    log(`simulated Salesforce listening on ${server.url}`)

    const results = await crm.create('Lead', [
      { LastName: 'Ng', Company: 'Acme', Email: 'ng@acme.example' },
      { LastName: 'Missing company' },
      { LastName: "O'Brien", Company: 'Back\\slash & Quote Ltd' },
    ])
    const failed = results.flatMap((r) =>
      r.ok ? [] : [{ index: r.index, code: r.error.code, systemCode: r.error.systemCode }],
    )
    log(
      `create: ${results.filter((r) => r.ok).length} created, ${failed.length} failed (${failed.map((f) => f.systemCode).join(', ')})`,
    )

    // Every session in the org expires: the next call meets a 401, refreshes once, replays once.
    sim.org.expireSessions()
    let openLeads = 0
    for await (const _ of crm.query('Lead', {
      where: { Status: 'Open' },
      select: ['Id', 'Email', 'Company'],
      pageSize: 200,
    })) {
      openLeads++
    }
    log(
      `query: ${openLeads} open leads over pages of 200; ${calls.unauthorized} expired session refreshed and replayed`,
    )

    const hostile = 'Back\\slash & Quote Ltd'
    for await (const lead of crm.query('Lead', { where: { Company: hostile }, select: ['Id', 'LastName'] })) {
      log(`query on a value with a backslash, escaped in one place: found ${String(lead.LastName)}`)
    }

    await audit.flush()
    const lines = (await readFile(auditFile, 'utf8')).trim().split('\n')
    const events = lines.map((line) => parseAuditEvent(JSON.parse(line)))
    log(`audit: ${events.length} events in ${auditFile}`)
    for (const line of lines) log(`  ${line}`)

    return {
      serverUrl: server.url,
      created: results.filter((r) => r.ok).length,
      failed,
      openLeads,
      calls,
      auditFile,
      auditEvents: events.map((e) => ({
        operation: e.operation,
        outcome: e.outcome,
        recordCount: e.recordCount,
        latencyMs: e.latencyMs,
      })),
    }
  } finally {
    await crm.close()
    await audit.close()
    await sim.close()
  }
}
