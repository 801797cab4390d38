import { jsonlAudit } from '@junction/core'
import { runAcmeErp } from '../custom-connector/run-acme-erp.js'
import { runCustomer360 } from '../customer-360/run-customer-360.js'
import { runDemandForecast } from '../demand-forecast/run-demand-forecast.js'
import { runTriage } from '../incident-triage/run-triage.js'
import { runLeadScoring } from '../lead-scoring/run-lead-scoring.js'
import { runCrmBasics } from './crm-basics.js'
import type { Scenario } from './scenario.js'

/** The examples the demo runs, in order. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'crm-basics',
    title: 'Salesforce: OAuth, a refused record, an expired session, paging, escaping',
    async run({ auditFile, log, metrics }) {
      const report = await runCrmBasics(auditFile, log, metrics)
      return {
        records: report.created + report.openLeads,
        summary: `${report.created} leads created (${report.failed.length} refused), ${report.openLeads} read, ${report.calls.unauthorized} expired session renewed`,
      }
    },
  },
  {
    name: 'lead-scoring',
    title: 'Salesforce: leads scored, written back by upsert, served from cache at 300 ms a call',
    async run({ auditFile, log, metrics, redisUrl }) {
      const report = await runLeadScoring({ auditFile, log, metrics, redisUrl })
      const { cacheEvents, latencyMs } = report.endpoint
      const written = report.scoring.written.updated + report.scoring.written.created
      return {
        records: report.scoring.read + written,
        summary: `${report.scoring.scored} leads scored, ${written} upserted; ${report.endpoint.requests} CRM calls, p95 ${latencyMs.p95.toFixed(1)} ms, ${(cacheEvents.hitRate * 100).toFixed(1)}% from cache`,
        cache: { hits: cacheEvents.hits, misses: cacheEvents.misses },
      }
    },
  },
  {
    name: 'incident-triage',
    title: 'ServiceNow: change feed → bus → classifier → assignment and work note',
    async run({ auditFile, log, metrics, redisUrl }) {
      const report = await runTriage({ auditFile, log, metrics, redisUrl })
      return {
        records: report.counts.published + report.notesWritten,
        summary: `${report.triaged} incidents triaged, ${report.notesWritten} work notes, ${report.counts.redeliveries} redeliveries, no duplicate note`,
      }
    },
  },
  {
    name: 'demand-forecast',
    title: 'SAP: nightly sync → cleaning → forecast → approval → $batch write-back',
    async run({ auditFile, log, metrics, redisUrl }) {
      const report = await runDemandForecast({ auditFile, log, metrics, ...(redisUrl ? { redisUrl } : {}) })
      const synced = [report.firstNight.orders, report.firstNight.products, report.secondNight.orders]
      return {
        records: synced.reduce((sum, run) => sum + run.read, 0) + report.approvals.written,
        summary: `${report.firstNight.orders.read} orders synced, ${report.forecasts.length} forecasts, ${report.approvals.approved} approved and written through $batch, ${report.approvals.rejected} rejected`,
      }
    },
  },
  {
    name: 'customer-360',
    title: 'Salesforce + SAP + ServiceNow: one customer view by entity resolution',
    async run({ auditFile, metrics, redisUrl }) {
      const audit = jsonlAudit(auditFile)
      const report = await runCustomer360({
        metrics,
        audit,
        // A fresh namespace per run: the example's own default key prefix keeps links across reruns.
        ...(redisUrl ? { redisUrl, keyPrefix: `junction:demo:${process.pid}:${Date.now()}:` } : {}),
      }).finally(() => audit.close())
      const read = Object.values(report.read).reduce((sum, count) => sum + count, 0)
      return {
        records: read,
        summary: `${read} records from three systems, ${report.customers.length} customers, ${report.links.length} links explained, ${report.conflicts.length} conflict`,
      }
    },
  },
  {
    name: 'custom-connector',
    title: 'A legacy ERP through a connector written in one file',
    async run({ auditFile, log, metrics }) {
      const audit = jsonlAudit(auditFile)
      const report = await runAcmeErp(log, { metrics, audit }).finally(() => audit.close())
      const upserted = report.upserted.created + report.upserted.updated
      return {
        records: report.initialChanges + report.ulmCustomers.length + upserted + report.changesSince.length,
        summary: `${report.initialChanges} changes synced, ${upserted} customers upserted, ${report.changesSince.length} changes on the second sync`,
      }
    },
  },
]
