import type { ResponseHeaders } from '@junction/core'

/** One request inside a `$batch`, with a URL relative to the service root. */
export interface BatchPart {
  /** `Content-ID` (required in V4 changesets; `$<id>` refers to an entity created earlier). */
  contentId: string
  method: 'GET' | 'POST' | 'PATCH' | 'MERGE' | 'PUT' | 'DELETE'
  url: string
  headers: Readonly<Record<string, string>>
  body?: unknown
}

/** A top-level unit of a `$batch`: one retrieve, or a changeset (an atomic group of writes). */
export type BatchGroup =
  | { kind: 'single'; part: BatchPart }
  | { kind: 'changeset'; parts: readonly BatchPart[] }

/** The answer to one part: status, headers (lower-cased) and the body (JSON parsed when it is JSON). */
export interface BatchPartResponse {
  status: number
  headers: ResponseHeaders
  body: unknown
}

/** The answers to a group, in order: one per part, or one for a failed changeset as a whole. */
export type BatchGroupResponse = readonly BatchPartResponse[]
