import { Redis, ReplyError } from 'ioredis'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { TransportError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { redisConnectionOptions } from '../stores/redis-connection.js'
import { storeClosed } from '../stores/store-arguments.js'
import type { IdFormat } from './id-format.js'
import {
  checkCanonicalId,
  type IdentityConflict,
  type IdentityEntity,
  type LinkChange,
  type LinkResult,
  type SystemRef,
  toEntity,
} from './identity-link.js'
import type { IdentityStore, JournalEntry } from './identity-store.js'
import { type IdentityStoreOptions, RefKeys, refList } from './identity-store-options.js'
import { APPLY_SCRIPT, RESOLVE_SCRIPT, UNLINK_SCRIPT } from './redis-identity-scripts.js'

const DRIVER = 'redis identity'

/** Refs per script call in a batch resolve: bounds how long one call holds Redis. */
const RESOLVE_CHUNK = 500

/** Options for `redisIdentityStore`: give either a `client` to share or a `url` to connect to. */
export interface RedisIdentityStoreOptions extends IdentityStoreOptions {
  /** An ioredis client to share; the store never quits it. */
  client?: Redis
  /** A `redis://` or `rediss://` URL; the store opens its own connection and quits it on `close()`. */
  url?: string
  /** Prepended to every key (default `junction:identity:`); on Redis Cluster give it a hash tag. */
  keyPrefix?: string
}

/** Round trips and commands sent so far, so a caller (or a test) can see that batches are pipelined. */
export interface RedisIdentityStats {
  roundTrips: number
  commands: number
}

/** The Redis identity store, with its wire counters. */
export interface RedisIdentityStore extends IdentityStore {
  readonly stats: Readonly<RedisIdentityStats>
}

const optionsSchema = redisConnectionOptions({
  keyPrefix: z.string().min(1).default('junction:identity:'),
  idFormats: z
    .record(
      z.string(),
      z.custom<IdFormat>((value) => typeof value === 'function'),
    )
    .optional(),
})

const failure = (operation: string, error: unknown): JunctionError => {
  if (error instanceof JunctionError) return error
  const reason = error instanceof Error ? error.message : String(error)
  if (error instanceof ReplyError) {
    return new JunctionError({
      code: 'STORE_FAILED',
      message: `${DRIVER} store ${operation}: the server refused the command (${reason})`,
      system: 'redis',
      operation,
      cause: error,
    })
  }
  return new TransportError({
    code: 'CONNECTION_FAILED',
    message: `${DRIVER} store ${operation}: ${reason}`,
    system: 'redis',
    operation,
    retryable: true,
    cause: error,
  })
}

const none = (value: string | undefined): string => value ?? ''
const some = (value: string): string | undefined => (value === '' ? undefined : value)

const linksOf = (fields: readonly string[]): SystemRef[] => {
  const links: SystemRef[] = []
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const field = fields[index] ?? ''
    links.push({ system: field.slice(0, field.indexOf(':')), id: fields[index + 1] ?? '' })
  }
  return links
}

/**
 * Creates the distributed identity store on ioredis (design: `redis-identity-scripts.ts`). Every
 * change is one Lua script, so conflict checks and writes are atomic across processes; a batch
 * resolve is one pipeline of script calls, `RESOLVE_CHUNK` refs each: one round trip.
 */
export function redisIdentityStore(target: string | RedisIdentityStoreOptions): RedisIdentityStore {
  const options = parseOptions(
    optionsSchema,
    typeof target === 'string' ? { url: target } : target,
    'redisIdentityStore',
  )
  const owned = options.client === undefined
  const client = options.client ?? new Redis(options.url ?? '')
  if (owned) client.on('error', () => undefined)
  const prefix = options.keyPrefix
  const keys = new RefKeys(options.idFormats)
  const stats: RedisIdentityStats = { roundTrips: 0, commands: 0 }
  let closed = false

  const call = async <T>(operation: string, commands: number, run: () => Promise<T>): Promise<T> => {
    if (closed) throw storeClosed(DRIVER, operation)
    stats.roundTrips++
    stats.commands += commands
    try {
      return await run()
    } catch (error) {
      throw failure(operation, error)
    }
  }

  const apply = async (
    operation: string,
    changes: readonly LinkChange[],
    journalId: string | undefined,
  ): Promise<LinkResult> => {
    const keyed = keys.changes(changes, operation)
    if (keyed.length === 0 && journalId === undefined) return { ok: true, applied: [] }
    const args = [prefix, none(journalId)]
    for (const { ref, from, to } of keyed) args.push(ref.system, ref.key, ref.id, none(from), none(to))
    const reply = (await call(operation, 1, () => client.eval(APPLY_SCRIPT, 0, args))) as [
      number,
      Array<string | number>,
    ]
    if (reply[0] === 0) {
      const flat = reply[1] as string[]
      const conflicts: IdentityConflict[] = []
      for (let index = 0; index + 3 < flat.length; index += 4) {
        conflicts.push({
          ref: { system: flat[index] ?? '', id: flat[index + 1] ?? '' },
          heldBy: some(flat[index + 2] ?? ''),
          claimedBy: some(flat[index + 3] ?? ''),
        })
      }
      return { ok: false, conflicts }
    }
    const applied = (reply[1] as number[]).flatMap((index) => {
      const change = keyed[index]
      return change === undefined
        ? []
        : [{ ref: { system: change.ref.system, id: change.ref.id }, from: change.from, to: change.to }]
    })
    return { ok: true, applied }
  }

  const resolveMany = async (
    operation: string,
    refs: readonly SystemRef[],
  ): Promise<Array<IdentityEntity | undefined>> => {
    const keyed = refs.map((ref) => keys.keyed(ref, operation))
    if (keyed.length === 0) return []
    const chunks: string[][] = []
    for (let start = 0; start < keyed.length; start += RESOLVE_CHUNK) {
      const args = [prefix]
      for (const ref of keyed.slice(start, start + RESOLVE_CHUNK)) args.push(ref.system, ref.key)
      chunks.push(args)
    }
    const replies = await call(operation, chunks.length, async () => {
      if (chunks.length === 1) return [await client.eval(RESOLVE_SCRIPT, 0, chunks[0] ?? [])]
      const pipeline = client.pipeline()
      for (const args of chunks) pipeline.eval(RESOLVE_SCRIPT, 0, args)
      const results = (await pipeline.exec()) ?? []
      return results.map(([error, value]) => {
        if (error) throw error
        return value
      })
    })
    const result: Array<IdentityEntity | undefined> = []
    for (const reply of replies as Array<Array<string | number | string[]>>) {
      const entities = new Map<string, IdentityEntity>()
      for (let index = 0; index + 1 < reply.length; index += 2) {
        const canonicalId = reply[index] as string
        const fields = reply[index + 1]
        if (canonicalId === '') {
          result.push(undefined)
          continue
        }
        let entity = entities.get(canonicalId)
        if (entity === undefined || Array.isArray(fields)) {
          entity = toEntity(canonicalId, linksOf(Array.isArray(fields) ? fields : []))
          entities.set(canonicalId, entity)
        }
        result.push(entity)
      }
    }
    return result
  }

  return {
    stats,
    async resolve(ref) {
      return (await resolveMany('resolve', [ref]))[0]
    },
    async resolveMany(refs) {
      return resolveMany('resolveMany', refs)
    },
    async idsOf(canonicalId) {
      const key = `${prefix}entity:${checkCanonicalId(canonicalId, 'idsOf')}`
      const flat = await call('idsOf', 1, () => client.hgetall(key))
      return linksOf(Object.entries(flat).flat())
    },
    async link(canonicalId, refs) {
      checkCanonicalId(canonicalId, 'link')
      return apply(
        'link',
        refList(refs).map((ref) => ({ ref, from: undefined, to: canonicalId })),
        undefined,
      )
    },
    async unlink(ref) {
      const keyed = keys.keyed(ref, 'unlink')
      const reply = await call('unlink', 1, () =>
        client.eval(UNLINK_SCRIPT, 0, prefix, keyed.system, keyed.key),
      )
      return some(String(reply))
    },
    async apply(changes, journalId) {
      if (journalId !== undefined) checkCanonicalId(journalId, 'apply')
      return apply('apply', changes, journalId)
    },
    async journal(journalId) {
      const text = await call('journal', 1, () => client.hget(`${prefix}journal`, journalId))
      if (text === null) return undefined
      const parsed: unknown = JSON.parse(text)
      // cjson encodes an empty change set as `{}`.
      const rows = Array.isArray(parsed) ? (parsed as Array<[string, string, string, string]>) : []
      const entry: JournalEntry = {
        id: journalId,
        changes: rows.map(([system, id, from, to]) => ({
          ref: { system, id },
          from: some(from),
          to: some(to),
        })),
      }
      return entry
    },
    async close() {
      if (closed) return
      closed = true
      if (owned) await client.quit().catch(() => client.disconnect())
    },
  }
}
