/** True for values that carry no data: absent, `null`, `""` or only whitespace (ServiceNow's empty is `""`). */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

/**
 * Reads `path` from a record: the literal key first (ServiceNow's dot-walked `caller_id.email` is one key),
 * then the dot-separated segments. Only own properties are read, so `constructor` or `__proto__` in a path
 * never reaches the prototype.
 */
export function readPath(record: unknown, path: string): unknown {
  if (isRecordLike(record) && Object.hasOwn(record, path)) return record[path]
  let current: unknown = record
  for (const segment of path.split('.')) {
    if (!isRecordLike(current) || !Object.hasOwn(current, segment)) return undefined
    current = current[segment]
  }
  return current
}

/** Writes `value` at `segments`, creating plain objects on the way; keys come from mapping definitions. */
export function writePath(
  target: Record<string, unknown>,
  segments: readonly string[],
  value: unknown,
): void {
  let current = target
  for (const [index, segment] of segments.entries()) {
    if (index === segments.length - 1) {
      current[segment] = value
      return
    }
    const next = current[segment]
    if (isPlainRecord(next)) current = next
    else {
      const created: Record<string, unknown> = {}
      current[segment] = created
      current = created
    }
  }
}

/** Reads by exact segments (no literal-key lookup): used on canonical values, whose keys have no dots. */
export function readSegments(record: unknown, segments: ReadonlyArray<string | number>): unknown {
  let current: unknown = record
  for (const segment of segments) {
    if (!isRecordLike(current) || !Object.hasOwn(current, segment)) return undefined
    current = current[segment]
  }
  return current
}

/** Objects and arrays whose properties may be read. */
export function isRecordLike(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null
}

/** A plain object (not an array, a date or a class instance). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
