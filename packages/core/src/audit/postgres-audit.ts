import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { ConfigError, ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { type AuditEvent, parseAuditEvent } from './audit-event.js'
import type { AuditSink } from './audit-sink.js'

/** What the sink needs of a `pg` client (structural, so core's types do not need `pg` installed). */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<unknown>
  release(error?: Error | boolean): void
}

/** What the sink needs of a `pg.Pool`. */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>
  end(): Promise<void>
}

/** Options for `postgresAudit`. */
export interface PostgresAuditOptions {
  /** A `pg.Pool` (left open on `close()`) or a connection string (the sink owns its pool). */
  connection: string | PgPoolLike
  /** The table, optionally schema-qualified (default `junction_audit`). */
  table?: string
  /** Create the table and its append-only triggers when missing (default true). */
  createTable?: boolean
  /** The most events in one INSERT (default 1000); whatever queued while a batch was in flight goes next. */
  maxBatch?: number
}

/** A PostgreSQL audit sink. */
export interface PostgresAuditSink extends AuditSink {
  /** The quoted, possibly schema-qualified table name. */
  readonly table: string
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/

const optionsSchema = z.object({
  connection: z.union([
    z.string().min(1),
    z.custom<PgPoolLike>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as PgPoolLike).connect === 'function' &&
        typeof (value as PgPoolLike).end === 'function',
      'a connection string or a pg.Pool',
    ),
  ]),
  table: z
    .string()
    .refine(
      (name) => name.split('.').length <= 2 && name.split('.').every((part) => IDENTIFIER.test(part)),
      'lowercase letters, digits and `_` (at most 40), optionally `schema.table`',
    )
    .default('junction_audit'),
  createTable: z.boolean().default(true),
  maxBatch: z.number().int().positive().max(10_000).default(1_000),
})

// The searchable fields get columns (name, type, NOT NULL); the whole event is kept as jsonb.
const COLUMNS = [
  ['id', 'text', true],
  ['time', 'timestamptz', true],
  ['kind', 'text', true],
  ['tenant', 'text', false],
  ['system', 'text', false],
  ['connection', 'text', false],
  ['operation', 'text', true],
  ['entity', 'text', false],
  ['actor_type', 'text', true],
  ['actor_id', 'text', true],
  ['outcome', 'text', true],
  ['error_code', 'text', false],
  ['model_name', 'text', false],
  ['model_version', 'text', false],
  ['correlation_id', 'text', false],
  ['trace_id', 'text', false],
  ['retention_class', 'text', false],
  ['event', 'jsonb', true],
] as const

// PostgreSQL text and jsonb cannot hold U+0000: it becomes U+FFFD rather than fail the whole batch.
const NUL = String.fromCharCode(0)
const JSON_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g
const text = (value: string | undefined): string | null => value?.replaceAll(NUL, '\ufffd') ?? null

const row = (event: AuditEvent): Array<string | null> => {
  let json: string
  try {
    json = JSON.stringify(event).replace(JSON_NUL, '$1\\ufffd')
  } catch (error) {
    throw new ValidationError({ message: 'invalid audit event: it cannot be written as JSON', cause: error })
  }
  return [
    text(event.id),
    event.time.toISOString(),
    event.kind,
    text(event.tenant),
    text(event.system),
    text(event.connection),
    text(event.operation),
    text(event.entity),
    event.actor.type,
    text(event.actor.id),
    event.outcome,
    text(event.errorCode),
    text(event.model?.name),
    text(event.model?.version),
    text(event.correlationId),
    text(event.traceId),
    text(event.retentionClass),
    json,
  ]
}

const quote = (name: string) =>
  name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.')

const setupSql = (table: string, bare: string): string[] => [
  // Serializes set-up across processes: concurrent CREATE OR REPLACE FUNCTION can fail otherwise.
  `SELECT pg_advisory_xact_lock(hashtext('junction_audit_setup'))`,
  `CREATE TABLE IF NOT EXISTS ${quote(table)} (
    seq bigserial PRIMARY KEY,
    ${COLUMNS.map(([name, type, required]) => `${name} ${type}${required ? ' NOT NULL' : ''}`).join(',\n    ')},
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id)
  )`,
  `CREATE INDEX IF NOT EXISTS "${bare}_tenant_time" ON ${quote(table)} (tenant, time)`,
  `CREATE INDEX IF NOT EXISTS "${bare}_correlation" ON ${quote(table)} (correlation_id)`,
  `CREATE OR REPLACE FUNCTION junction_audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit table %.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
       USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `DO $$ BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '${quote(table)}'::regclass AND tgname = '${bare}_append_only') THEN
       CREATE TRIGGER "${bare}_append_only" BEFORE UPDATE OR DELETE ON ${quote(table)}
         FOR EACH ROW EXECUTE FUNCTION junction_audit_reject_change();
     END IF;
     IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '${quote(table)}'::regclass AND tgname = '${bare}_no_truncate') THEN
       CREATE TRIGGER "${bare}_no_truncate" BEFORE TRUNCATE ON ${quote(table)}
         FOR EACH STATEMENT EXECUTE FUNCTION junction_audit_reject_change();
     END IF;
   END $$`,
]

// One statement per batch: parallel arrays unnested in order (WITH ORDINALITY keeps call order in `seq`).
const insertSql = (table: string): string => {
  const names = COLUMNS.map(([name]) => name)
  return `INSERT INTO ${quote(table)} (${names.join(', ')})
    SELECT ${names.join(', ')} FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
      WITH ORDINALITY AS batch(${names.join(', ')}, position)
    ORDER BY position
    ON CONFLICT (id) DO NOTHING`
}

interface Pending {
  readonly row: Array<string | null>
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

async function loadPool(connectionString: string): Promise<PgPoolLike> {
  let pg: { Pool: new (config: { connectionString: string }) => PgPoolLike }
  try {
    const module = await import('pg')
    pg = (module.default ?? module) as unknown as typeof pg
  } catch (error) {
    throw new ConfigError({
      message: 'postgresAudit needs the `pg` package (8.x): install it beside @junction/core',
      option: 'connection',
      cause: error,
    })
  }
  return new pg.Pool({ connectionString })
}

/**
 * An audit sink that inserts events into an append-only PostgreSQL table, in batches: writes that
 * arrive while a batch is in flight go out together as one multi-row INSERT (unnest) in one
 * transaction, and each write resolves when its batch commits. Re-sending an event (same `id`) is a
 * no-op, so a replay after a crash does not duplicate rows. `pg` (8.x, an optional peer) is imported
 * on first use, so core loads without it.
 *
 * The table's owner cannot be denied UPDATE or DELETE by REVOKE, so the sink installs triggers that
 * raise on UPDATE, DELETE and TRUNCATE. An owner can still drop or disable those triggers: for a
 * stronger guarantee, create the table with another role and grant the writer only INSERT and SELECT
 * (then pass `createTable: false`).
 */
export function postgresAudit(options: PostgresAuditOptions): PostgresAuditSink {
  const parsed = parseOptions(optionsSchema, options, 'postgresAudit')
  const table = parsed.table
  const bare = table.split('.').at(-1) ?? table
  const ownsPool = typeof parsed.connection === 'string'
  const insert = insertSql(table)
  const queue: Pending[] = []
  let pool: Promise<PgPoolLike> | undefined
  let ready: Promise<void> | undefined
  let draining: Promise<void> | undefined
  let closed: Promise<void> | undefined

  const getPool = (): Promise<PgPoolLike> => {
    const connection = parsed.connection
    pool ??= typeof connection === 'string' ? loadPool(connection) : Promise.resolve(connection)
    return pool
  }

  const transaction = async (statements: (client: PgClientLike) => Promise<void>): Promise<void> => {
    const client = await (await getPool()).connect()
    try {
      await client.query('BEGIN')
      await statements(client)
      await client.query('COMMIT')
      client.release()
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      client.release(true)
      throw error
    }
  }

  const setUp = (): Promise<void> => {
    if (!parsed.createTable) return Promise.resolve()
    ready ??= transaction(async (client) => {
      for (const statement of setupSql(table, bare)) await client.query(statement)
    }).catch((error: unknown) => {
      ready = undefined
      throw error
    })
    return ready
  }

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.splice(0, parsed.maxBatch)
      try {
        await setUp()
        const columns = COLUMNS.map((_, column) => batch.map((pending) => pending.row[column] ?? null))
        await transaction(async (client) => {
          await client.query(insert, columns)
        })
        for (const pending of batch) pending.resolve()
      } catch (error) {
        const failure =
          error instanceof JunctionError
            ? error
            : new JunctionError({
                code: 'AUDIT_WRITE_FAILED',
                message: `audit table ${table}: insert failed`,
                retryable: true,
                cause: error,
              })
        for (const pending of batch) pending.reject(failure)
      }
    }
    draining = undefined
  }

  const idle = async (): Promise<void> => {
    while (draining) await draining
  }

  return {
    table: quote(table),
    write(event) {
      if (closed) {
        return Promise.reject(
          new JunctionError({ code: 'AUDIT_CLOSED', message: `audit table ${table}: the sink is closed` }),
        )
      }
      let values: Array<string | null>
      try {
        values = row(parseAuditEvent(event))
      } catch (error) {
        return Promise.reject(error)
      }
      return new Promise((resolve, reject) => {
        queue.push({ row: values, resolve, reject })
        draining ??= drain()
      })
    },
    flush: idle,
    close() {
      closed ??= idle().finally(async () => {
        if (ownsPool && pool) await (await pool).end()
      })
      return closed
    },
  }
}
