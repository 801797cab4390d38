import { readFile } from 'node:fs/promises'
import { batchTarget, type SapConnector, type SapWrite, sap } from '@junction/connector-sap'
import { sapSimulator } from '@junction/connector-sap/testing'
import {
  type ApprovalGate,
  type ApprovalStatus,
  type AuditTrail,
  approvalGate,
  auditTrail,
  type InvalidRecord,
  isJunctionError,
  jsonlAudit,
  type MetricsRecorder,
  type Product,
  type QualityReport,
  qualityReport,
  type SalesOrder,
  type SyncProgress,
  sync,
  verifyAuditLog,
} from '@junction/core'
import { type DroppedRows, dropDuplicates, recordingResults, refusedByReason } from './data-quality.js'
import { type ProductDemand, productDemand } from './demand-history.js'
import { type DemandForecast, forecastDemand, MODEL_NAME, MODEL_VERSION } from './forecast-model.js'
import { historySink } from './history-sink.js'
import { ordersWithItems } from './orders-with-items.js'
import { type PlannerDecision, simulatedPlanner } from './planner.js'
import { runState } from './run-state.js'
import { countSapCalls, type SapCalls, sapCalls } from './sap-calls.js'
import { productFromSap, salesOrderFromSap, sameOrderKey } from './sap-mappings.js'
import { laterOrders, monthKey, monthStart, type SeedSize, seedSap } from './seed-data.js'

/** The service account the nightly job runs as (the actor of its audit events). */
export const SERVICE_ACCOUNT = 'svc-demand-forecast'

/** Who approves in this example: a script standing in for the planner (see `simulatedPlanner`). */
export const PLANNER = 'planner@example.com (simulated)'

/**
 * Where an approved forecast lands in SAP. The real home of a forecast is a planned independent
 * requirement (API_PLND_INDEP_RQMT_SRV, `PlannedIndepRqmt` + `to_PlndIndepRqmtItem`), which the
 * simulator does not serve; A_Product's `GrossWeight` is the decimal field (13,3) it does serve that
 * takes a quantity, so it stands in. Point this map at PlannedIndepRqmt against a real system.
 */
export const FORECAST_FIELD = 'GrossWeight'

/** How big a run is, where its audit trail goes, and where its state lives. */
export interface DemandForecastOptions {
  /** The JSONL audit trail; start from a new file, since verification starts at its first line. */
  auditFile: string
  /** Products in SAP (default 6); the last one is new, with two months of sales. */
  products?: number
  /** Months of sales history (default 6). */
  months?: number
  /** Clean sales orders per month (default 40). */
  ordersPerMonth?: number
  /** When the first night runs (default 02:00 UTC on the first day of the current month). */
  asOf?: Date
  /** Keep checkpoints, synced records and approval requests in Redis instead of memory. */
  redisUrl?: string
  /** The Redis key prefix (default one of the run's own); every key under it is deleted at the end. */
  redisKeyPrefix?: string
  log?: (line: string) => void
  /** Records every request of the run's SAP connectors. */
  metrics?: MetricsRecorder | undefined
}

/** One `sync` run, in short. */
export interface SyncSummary {
  entity: string
  /** Changes read from SAP. */
  read: number
  /** Records the sink stored. */
  written: number
  /** Records the transformer refused. */
  refused: number
  /** Whether the run started from a saved checkpoint. */
  resumed: boolean
}

/** One product's forecast and what became of it. */
export interface ForecastOutcome {
  product: string
  period: string
  quantity: string
  unit: string
  historyMonths: number
  /** The audit decision event holding the input snapshot, the model version and the output. */
  decisionEventId: string
  snapshotSha256: string
  /** The approval request's id. */
  requestId: string
  planner: PlannerDecision
  status: ApprovalStatus
  /** `FORECAST_FIELD` of the product as read back from SAP after the run. */
  inSap: string | null
}

/** What a run did, for the printed report, a demo, and the test. */
export interface DemandForecastReport {
  serverUrl: string
  state: 'memory' | 'redis'
  model: { name: string; version: string }
  seeded: { products: number; orders: number; plantedDirtyOrders: number }
  firstNight: {
    orders: SyncSummary
    products: SyncSummary
    /** The quality report over every sales order the night's sync transformed. */
    quality: QualityReport
    /** Orders kept out of the forecast, by reason. */
    dropped: DroppedRows[]
    cleanOrders: number
  }
  forecasts: ForecastOutcome[]
  approvals: {
    submitted: number
    approved: number
    rejected: number
    written: number
    /** `$batch` requests sent while every forecast was still pending (0: nothing is written before approval). */
    batchCallsWhilePending: number
  }
  secondNight: {
    /** Orders entered in SAP during the day. */
    newOrders: number
    orders: SyncSummary
    /** Products SAP changed since the first night (the ones the forecasts were written to). */
    products: SyncSummary
    /** The error code when the planner tries to approve a rejected forecast after all, if one was rejected. */
    reapprovingRejected: string | undefined
  }
  sap: SapCalls
  audit: {
    file: string
    events: number
    byKind: Record<string, number>
    verified: boolean
    failure: string | undefined
  }
}

const DEFAULT_SIZE: SeedSize = { products: 6, months: 6, ordersPerMonth: 40 }
const HOUR_MS = 3_600_000

const firstOfThisMonth = () => new Date(monthStart(new Date()).getTime() + 2 * HOUR_MS)

const toProductUpdate = (forecast: DemandForecast): SapWrite => ({
  op: 'update',
  id: forecast.product,
  values: { [FORECAST_FIELD]: forecast.quantity },
})

const summary = (progress: SyncProgress): SyncSummary => ({
  entity: progress.entity,
  read: progress.read,
  written: progress.written,
  refused: progress.invalid,
  resumed: progress.resumedFrom !== undefined,
})

/**
 * The ERP case end to end, against a simulated SAP system on a loopback socket. First night: sync the
 * changed sales orders (with their items) and products into canonical records, clean them guided by the
 * quality report, forecast next month per product, record each forecast as an audit decision with its
 * input snapshot and model version, and submit it to an approval gate; the (simulated) planner approves
 * or rejects each one, and approved ones are written to SAP through `$batch`. Second night: the syncs
 * resume from their checkpoints and read only what changed. Last, the audit trail is verified.
 */
export async function runDemandForecast(options: DemandForecastOptions): Promise<DemandForecastReport> {
  const log = options.log ?? (() => {})
  const size: SeedSize = {
    products: options.products ?? DEFAULT_SIZE.products,
    months: options.months ?? DEFAULT_SIZE.months,
    ordersPerMonth: options.ordersPerMonth ?? DEFAULT_SIZE.ordersPerMonth,
  }
  const asOf = options.asOf ?? firstOfThisMonth()
  const seed = seedSap(size, asOf)
  // The simulator's clock stamps every change SAP makes; the run moves it from night to night.
  let clock = asOf.getTime()
  const sim = sapSimulator({
    entitySets: { A_Product: seed.products, A_SalesOrder: seed.orders, A_SalesOrderItem: seed.items },
    now: () => clock,
  })
  const server = await sim.listen()
  const audit = jsonlAudit(options.auditFile)
  const state = runState(options.redisUrl, options.redisKeyPrefix)
  const connect = (name: string, service: string, extra: { openEnd?: 'keep' } = {}): SapConnector =>
    sap({
      name,
      serviceRoot: `${server.url}${sim.servicePaths[service]}`,
      client: '100',
      auth: sim.auth,
      audit,
      actor: SERVICE_ACCOUNT,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      ...extra,
    })
  // Order dates of 9999-12-31 are kept as dates, so the mapping can name them rather than see a gap.
  const orders = connect('sap-orders', 'API_SALES_ORDER_SRV', { openEnd: 'keep' })
  const products = connect('sap-products', 'API_PRODUCT_SRV')
  const calls = sapCalls()
  countSapCalls(orders, calls)
  countSapCalls(products, calls)

  try {
    log(
      `simulated SAP on ${server.url}: ${seed.products.length} products, ${seed.orders.length} sales orders`,
    )
    const trail = auditTrail(audit, {
      actor: { type: 'service', id: SERVICE_ACCOUNT },
      system: 'sap',
      retentionClass: 'sox-7y',
    })
    const orderHistory = historySink<SalesOrder>(state.state.namespace('sales-orders'))
    const catalog = historySink<Product>(state.state.namespace('products'))
    const gate = approvalGate<DemandForecast>({
      store: state.state,
      audit: trail,
      targets: [batchTarget(products, { entitySet: 'A_Product', map: toProductUpdate, name: 'sap' })],
    })

    const nightlySync = async () => {
      const refused: InvalidRecord[] = []
      const recorder = recordingResults(salesOrderFromSap)
      const orderSync = await sync({
        source: ordersWithItems(orders),
        entity: 'A_SalesOrder',
        transform: recorder.transformer,
        sink: orderHistory,
        checkpoints: state.checkpoints,
        onInvalid: (record) => refused.push(record),
      })
      const productSync = await sync({
        source: products,
        entity: 'A_Product',
        transform: productFromSap,
        sink: catalog,
        checkpoints: state.checkpoints,
      })
      return { orderSync, productSync, refused, results: recorder.results }
    }

    // First night.
    const first = await nightlySync()
    const quality = qualityReport(first.results, { keys: sameOrderKey, fields: salesOrderFromSap.fields })
    const cleaned = dropDuplicates(await orderHistory.all())
    const dropped = [...refusedByReason(first.refused), ...(cleaned.dropped ? [cleaned.dropped] : [])]
    log(
      `night 1: ${first.orderSync.read} sales orders read, ${first.orderSync.written} stored, ` +
        `${first.orderSync.invalid} refused; ${first.productSync.written} products`,
    )
    for (const rows of dropped)
      log(`  dropped ${rows.orders.length} × ${rows.reason} (${rows.orders.join(', ')})`)

    const period = monthKey(asOf)
    const demand = productDemand(
      cleaned.kept,
      await catalog.all(),
      monthStart(asOf, -size.months),
      monthStart(asOf),
    )
    const submitted = await submitForecasts(demand, period, trail, gate)
    const batchCallsWhilePending = calls.batch
    log(
      `forecast ${period}: ${submitted.length} forecasts submitted for approval, ${batchCallsWhilePending} written`,
    )
    const decided = await decideAsPlanner(gate, submitted, log)

    // Second night: what SAP changed during the day, and nothing else.
    clock += 10 * HOUR_MS
    const later = laterOrders(seed, 2, new Date(clock))
    sim.service('API_SALES_ORDER_SRV').seed('A_SalesOrder', later.orders)
    sim.service('API_SALES_ORDER_SRV').seed('A_SalesOrderItem', later.items)
    clock += 14 * HOUR_MS
    const second = await nightlySync()
    log(
      `night 2: resumed from the checkpoints: ${second.orderSync.read} sales orders read (entered today), ` +
        `${second.productSync.read} products read (changed by the write-back)`,
    )
    const rejected = decided.find((entry) => entry.status === 'rejected')
    let reapprovingRejected: string | undefined
    if (rejected !== undefined) {
      try {
        await gate.approve(rejected.requestId, { by: PLANNER, note: 'changed my mind' })
        reapprovingRejected = 'approved'
      } catch (error) {
        if (!isJunctionError(error)) throw error
        reapprovingRejected = error.code
      }
      log(`  approving the rejected ${rejected.forecast.product} forecast now: ${reapprovingRejected}`)
    }

    const forecasts: ForecastOutcome[] = []
    for (const { forecast, decisionEventId, requestId, snapshotSha256, planner, status } of decided) {
      // Read back through the connector, as one would check a real system.
      const value = (await products.get('A_Product', forecast.product))?.[FORECAST_FIELD]
      forecasts.push({
        product: forecast.product,
        period: forecast.period,
        quantity: forecast.quantity,
        unit: forecast.unit,
        historyMonths: forecast.basis.months,
        decisionEventId,
        snapshotSha256,
        requestId,
        planner,
        status,
        inSap: value === undefined || value === null ? null : String(value),
      })
    }

    await audit.flush()
    const head = await audit.head()
    const verification = await verifyAuditLog(options.auditFile, { head: head.hash })
    const lines = (await readFile(options.auditFile, 'utf8')).trim().split('\n')
    const byKind: Record<string, number> = {}
    for (const line of lines) {
      const kind = String((JSON.parse(line) as { kind: unknown }).kind)
      byKind[kind] = (byKind[kind] ?? 0) + 1
    }
    log(
      `audit: ${lines.length} events in ${options.auditFile}, chain ${verification.ok ? 'verified' : 'BROKEN'}`,
    )

    return {
      serverUrl: server.url,
      state: state.kind,
      model: { name: MODEL_NAME, version: MODEL_VERSION },
      seeded: {
        products: seed.products.length,
        orders: seed.orders.length,
        plantedDirtyOrders: Object.keys(seed.dirty).length,
      },
      firstNight: {
        orders: summary(first.orderSync),
        products: summary(first.productSync),
        quality,
        dropped,
        cleanOrders: cleaned.kept.length,
      },
      forecasts,
      approvals: {
        submitted: submitted.length,
        approved: decided.filter((entry) => entry.planner.decision === 'approve').length,
        rejected: decided.filter((entry) => entry.status === 'rejected').length,
        written: decided.filter((entry) => entry.status === 'written').length,
        batchCallsWhilePending,
      },
      secondNight: {
        newOrders: later.orders.length,
        orders: summary(second.orderSync),
        products: summary(second.productSync),
        reapprovingRejected,
      },
      sap: { ...calls },
      audit: {
        file: options.auditFile,
        events: verification.lines,
        byKind,
        verified: verification.ok,
        failure: verification.ok
          ? undefined
          : `${verification.failure.reason} at line ${verification.failure.line}`,
      },
    }
  } finally {
    await orders.close()
    await products.close()
    await audit.close()
    await state.close()
    await sim.close()
  }
}

interface Submitted {
  forecast: DemandForecast
  decisionEventId: string
  requestId: string
  snapshotSha256: string
}

interface Decided extends Submitted {
  planner: PlannerDecision
  status: ApprovalStatus
}

/**
 * Forecasts each product, records the forecast as a pending audit decision (input snapshot, record
 * ids, model version, output) and submits it to the gate as a request of its own, so the planner
 * decides each product separately. Nothing is written here.
 */
async function submitForecasts(
  demand: readonly ProductDemand[],
  period: string,
  trail: AuditTrail,
  gate: ApprovalGate<DemandForecast>,
): Promise<Submitted[]> {
  const submitted: Submitted[] = []
  for (const product of demand) {
    const forecast = forecastDemand(product.history, period)
    const decision = await trail.decision({
      model: MODEL_NAME,
      version: MODEL_VERSION,
      input: {
        period,
        history: product.history,
        snapshot: { sha256: product.snapshotSha256, lines: product.lines.length },
      },
      output: forecast,
      operation: 'forecast',
      entity: 'A_Product',
      recordIds: product.orders,
      outcome: 'pending',
    })
    const request = await gate.submit({
      records: [forecast],
      requestedBy: SERVICE_ACCOUNT,
      decisionId: decision.id,
      entity: 'A_Product',
      note: `${forecast.product} ${period}: ${forecast.quantity} ${forecast.unit}`,
    })
    submitted.push({
      forecast,
      decisionEventId: decision.id,
      requestId: request.id,
      snapshotSha256: product.snapshotSha256,
    })
  }
  return submitted
}

/** The simulated planner's pass over the pending requests: approve (the gate writes) or reject. */
async function decideAsPlanner(
  gate: ApprovalGate<DemandForecast>,
  submitted: readonly Submitted[],
  log: (line: string) => void,
): Promise<Decided[]> {
  const decided: Decided[] = []
  for (const entry of submitted) {
    const { forecast, requestId } = entry
    const planner = simulatedPlanner(forecast)
    let status: ApprovalStatus
    if (planner.decision === 'approve') {
      const { request, result } = await gate.approve(requestId, { by: PLANNER, note: planner.note })
      for (const outcome of result.targets.flatMap((target) => target.results))
        if (!outcome.ok) log(`  ${forecast.product}: SAP refused the write: ${outcome.error.code}`)
      status = request.status
    } else {
      status = (await gate.reject(requestId, { by: PLANNER, note: planner.note })).status
    }
    log(`  ${forecast.product}: ${forecast.quantity} ${forecast.unit} → ${status} (${planner.note})`)
    decided.push({ ...entry, planner, status })
  }
  return decided
}
