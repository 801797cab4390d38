const REDACTED = '[REDACTED]'

// Keys whose values are secrets wherever they appear: headers, bodies, options, error details.
const SECRET_KEY =
  /pass(word|phrase)?$|secret|token|authorization|api[-_]?key|private[-_]?key|assertion|cookie|signature|credential/i

// Shapes of secrets that can appear in free text even when the value was never registered.
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=!-]+/g, `$1 ${REDACTED}`],
  [
    /("?(?:access_token|refresh_token|id_token|client_secret|password|assertion|api_key|apikey)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
    `$1${REDACTED}`,
  ],
  // Salesforce session ids: a 15-character org id, `!`, then the token.
  [/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g, REDACTED],
]

// Shorter values are too likely to collide with ordinary text to replace blindly.
const MIN_SECRET_LENGTH = 4

/** Removes secrets from text, headers, values and errors before they reach a log, an error or an event. */
export class Redactor {
  readonly #sources: Array<() => Iterable<string>> = []

  /** `sources` report the secrets to scrub, asked each time so rotated tokens are covered. */
  constructor(...sources: Array<() => Iterable<string>>) {
    this.#sources.push(...sources)
  }

  /** Adds a source of secrets, e.g. an auth provider's current credentials. */
  addSource(source: () => Iterable<string>): void {
    this.#sources.push(source)
  }

  /** `text` with every known secret and secret-shaped token replaced by `[REDACTED]`. */
  text(text: string): string {
    let result = text
    for (const source of this.#sources) {
      for (const secret of source()) {
        if (secret.length >= MIN_SECRET_LENGTH && result.includes(secret)) {
          result = result.split(secret).join(REDACTED)
        }
      }
    }
    for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement)
    return result
  }

  /** A deep copy of `value` with secret-named keys masked and every string scrubbed. */
  value(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
    if (typeof value === 'string') return this.text(value)
    if (value === null || typeof value !== 'object') return value
    if (value instanceof Date) return value
    if (seen.has(value)) return '[Circular]'
    seen.add(value)
    if (Array.isArray(value)) return value.map((item) => this.value(item, seen))
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        SECRET_KEY.test(key) && item !== null && item !== undefined && item !== ''
          ? REDACTED
          : this.value(item, seen),
      ]),
    )
  }

  /** Scrubs an error in place (message, stack, snippet, details, the whole cause chain) and returns it. */
  error<E>(error: E): E {
    const seen = new Set<unknown>()
    let current: unknown = error
    while (current instanceof Error && !seen.has(current)) {
      seen.add(current)
      const target = current as Error & { snippet?: unknown; details?: unknown }
      rewrite(target, 'message', (value) => (typeof value === 'string' ? this.text(value) : value))
      rewrite(target, 'stack', (value) => (typeof value === 'string' ? this.text(value) : value))
      rewrite(target, 'snippet', (value) => (typeof value === 'string' ? this.text(value) : value))
      rewrite(target, 'details', (value) => (value === undefined ? value : this.value(value)))
      current = target.cause
    }
    return error
  }
}

// Some errors (DOMException) expose read-only accessors; those are left as they are.
function rewrite(target: object, key: string, change: (value: unknown) => unknown): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key)
  if (descriptor === undefined || !('value' in descriptor) || !descriptor.writable) return
  Reflect.set(target, key, change(descriptor.value))
}
