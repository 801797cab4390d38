/**
 * ServiceNow benchmark, on the loopback simulator (`servicenowSimulator().listen()`):
 *
 * 1. Reading 100k incidents with keyset paging (the connector's default: `sys_id>last^ORDERBYsys_id`)
 *    against offset paging (`Link` rel="next", `ORDERBYsys_id`), while a writer keeps inserting
 *    incidents through the Table API and deleting seeded ones. Records/s; rows lost (present from
 *    start to end, never seen) and rows duplicated (seen more than once).
 * 2. Writing 5,000 incidents through the Import Set API (`insertMultiple`, 200 a call, then the
 *    per-row outcome read from `sys_import_set_row`) against the Table API one POST per record: calls and time.
 *
 * The simulator runs in this process (its handlers are in-memory tables), so the figures include its
 * own work; both sides of each comparison pay it alike. The reads run in alternating rounds (keyset
 * first, then offset first, …) and report medians, so that load from other processes falls on both.
 * Progress goes to stderr; the last stdout line is one JSON result.
 */
import { servicenow } from '../packages/connector-servicenow/src/index.js'
import { servicenowSimulator } from '../packages/connector-servicenow/src/testing/index.js'

const ROWS = Number(process.env.SN_BENCH_ROWS ?? 100_000)
const WRITES = Number(process.env.SN_BENCH_WRITES ?? 5_000)
const PAGE = 1_000
const ROUNDS = Number(process.env.SN_BENCH_ROUNDS ?? 3)

const log = (line: string) => process.stderr.write(`${line}\n`)

interface ReadFigures {
  records: number
  seconds: number
  perSecond: number
  lost: number
  duplicated: number
  insertedMeanwhile: number
  deletedMeanwhile: number
}

async function readWhileInserting(paging: 'keyset' | 'offset', rows = ROWS): Promise<ReadFigures> {
  const seed = Array.from({ length: rows }, (_, index) => ({
    number: `INC${String(index).padStart(7, '0')}`,
    short_description: `Seeded incident ${index}`,
    state: String((index % 3) + 1),
  }))
  const sim = servicenowSimulator({ tables: { incident: seed } })
  const server = await sim.listen()
  const reader = servicenow({ baseUrl: server.url, auth: sim.auth, paging, pageSize: PAGE })
  const writer = servicenow({ baseUrl: server.url, auth: sim.auth })
  const before = new Set(sim.tables.rows('incident').map((row) => String(row.sys_id)))
  const seen = new Map<string, number>()
  let reading = true
  let inserted = 0
  let deleted = 0
  const seeded = [...before]
  const writing = (async () => {
    while (reading) {
      const [created] = await writer.create('incident', [{ short_description: 'inserted during the read' }])
      if (created?.ok) inserted++
      // Deterministic victims spread over the key range: every 97th seeded row.
      const victim = seeded[(deleted * 97) % seeded.length]
      const [removed] = victim === undefined ? [] : await writer.delete('incident', [victim])
      if (removed?.ok) deleted++
    }
  })()
  const started = performance.now()
  for await (const record of reader.query('incident', { select: ['number', 'short_description'] })) {
    const id = String(record.sys_id)
    seen.set(id, (seen.get(id) ?? 0) + 1)
  }
  const seconds = (performance.now() - started) / 1000
  reading = false
  await writing
  const after = new Set(sim.tables.rows('incident').map((row) => String(row.sys_id)))
  await Promise.all([reader.close(), writer.close(), sim.close()])
  const records = [...seen.values()].reduce((total, count) => total + count, 0)
  return {
    records,
    seconds,
    perSecond: records / seconds,
    lost: [...before].filter((id) => after.has(id) && !seen.has(id)).length,
    duplicated: [...seen.values()].reduce((total, count) => total + (count - 1), 0),
    insertedMeanwhile: inserted,
    deletedMeanwhile: deleted,
  }
}

interface WriteFigures {
  seconds: number
  calls: number
  ok: number
}

async function writeRows(mode: 'import' | 'table'): Promise<WriteFigures> {
  const sim = servicenowSimulator({ insertMultipleKeys: 'name' })
  const server = await sim.listen()
  const itsm = servicenow({ baseUrl: server.url, auth: sim.auth })
  const started = performance.now()
  const results =
    mode === 'import'
      ? await itsm.importRows(
          'u_incident_import',
          Array.from({ length: WRITES }, (_, index) => ({
            u_number: `INC9${String(index).padStart(6, '0')}`,
            u_short_description: `Imported ${index}`,
          })),
          { mode: 'multiple', chunkSize: 200, pollIntervalMs: 5 },
        )
      : await itsm.create(
          'incident',
          Array.from({ length: WRITES }, (_, index) => ({
            number: `INC9${String(index).padStart(6, '0')}`,
            short_description: `Created ${index}`,
          })),
        )
  const seconds = (performance.now() - started) / 1000
  const figures = { seconds, calls: sim.calls.length, ok: results.filter((result) => result.ok).length }
  if (sim.tables.count('incident') !== WRITES)
    throw new Error(`${mode}: expected ${WRITES} incidents, found ${sim.tables.count('incident')}`)
  await Promise.all([itsm.close(), sim.close()])
  return figures
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits))

// A short read of each kind first, so that neither measured run pays the JIT warm-up.
await readWhileInserting('keyset', 5_000)
await readWhileInserting('offset', 5_000)
log(
  `reading ${ROWS.toLocaleString('en')} incidents, ${PAGE} a page, while a writer inserts and deletes, ${ROUNDS} rounds…`,
)
const runs: Record<'keyset' | 'offset', ReadFigures[]> = { keyset: [], offset: [] }
for (let index = 0; index < ROUNDS; index++) {
  const order: Array<'keyset' | 'offset'> = index % 2 === 0 ? ['keyset', 'offset'] : ['offset', 'keyset']
  for (const paging of order) {
    const figures = await readWhileInserting(paging)
    runs[paging].push(figures)
    log(
      `  ${paging}: ${round(figures.perSecond, 0)} records/s, ${figures.lost} lost, ${figures.duplicated} duplicated (${figures.insertedMeanwhile} inserted, ${figures.deletedMeanwhile} deleted meanwhile)`,
    )
  }
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
const summary = (paging: 'keyset' | 'offset') => ({
  perSecond: median(runs[paging].map((run) => run.perSecond)),
  lost: median(runs[paging].map((run) => run.lost)),
  duplicated: median(runs[paging].map((run) => run.duplicated)),
  insertedMeanwhile: median(runs[paging].map((run) => run.insertedMeanwhile)),
  deletedMeanwhile: median(runs[paging].map((run) => run.deletedMeanwhile)),
})
const keyset = summary('keyset')
const offset = summary('offset')
log(
  `keyset, median: ${round(keyset.perSecond, 0)} records/s, ${keyset.lost} lost, ${keyset.duplicated} duplicated`,
)
log(
  `offset, median: ${round(offset.perSecond, 0)} records/s, ${offset.lost} lost, ${offset.duplicated} duplicated`,
)
log(`keyset / offset throughput: ${round(keyset.perSecond / offset.perSecond, 2)}x`)

log(`writing ${WRITES.toLocaleString('en')} incidents…`)
const imported = await writeRows('import')
log(`insertMultiple: ${imported.calls} calls, ${round(imported.seconds, 2)} s, ${imported.ok} ok`)
const posted = await writeRows('table')
log(`Table API one by one: ${posted.calls} calls, ${round(posted.seconds, 2)} s, ${posted.ok} ok`)
log(
  `Table API / insertMultiple: ${round(posted.calls / imported.calls, 1)}x the calls, ${round(posted.seconds / imported.seconds, 1)}x the time`,
)

console.log(
  JSON.stringify({
    bench: 'servicenow',
    rows: ROWS,
    page_size: PAGE,
    rounds: ROUNDS,
    keyset_records_per_s: round(keyset.perSecond, 0),
    keyset_lost: keyset.lost,
    keyset_duplicated: keyset.duplicated,
    keyset_inserted_meanwhile: keyset.insertedMeanwhile,
    keyset_deleted_meanwhile: keyset.deletedMeanwhile,
    offset_records_per_s: round(offset.perSecond, 0),
    offset_lost: offset.lost,
    offset_duplicated: offset.duplicated,
    offset_inserted_meanwhile: offset.insertedMeanwhile,
    offset_deleted_meanwhile: offset.deletedMeanwhile,
    keyset_over_offset: round(keyset.perSecond / offset.perSecond, 2),
    writes: WRITES,
    insert_multiple_calls: imported.calls,
    insert_multiple_s: round(imported.seconds, 2),
    table_api_calls: posted.calls,
    table_api_s: round(posted.seconds, 2),
  }),
)
