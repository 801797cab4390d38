/** A `sys_rate_limit_rules` record (sheet §8.1): so many requests per hour for matching calls. */
export interface RateLimitRuleOptions {
  /** Requests allowed per window. */
  limit: number
  /** Which calls count: method and a path pattern (default: every /api/ call). */
  method?: string
  path?: RegExp
  /** The window, default one hour. */
  windowMs?: number
  /** The rule's sys_id, sent as `X-RateLimit-Rule`. */
  sysId?: string
  /** The API's name in the 429 detail (default "Table API"). */
  apiName?: string
}

/** Counts calls against one rule and says what headers (and whether a 429) each call gets. */
export class RateLimitRule {
  readonly #options: RateLimitRuleOptions
  readonly #now: () => number
  #windowStart: number | undefined
  #used = 0

  constructor(options: RateLimitRuleOptions, now: () => number) {
    this.#options = options
    this.#now = now
  }

  /** Headers for a matching call, and whether it is over the limit; undefined when the rule does not apply. */
  check(
    method: string,
    pathname: string,
  ): { headers: Record<string, string>; exceeded: boolean } | undefined {
    const { method: ruleMethod, path = /^\/api\//, limit } = this.#options
    if (ruleMethod !== undefined && ruleMethod.toUpperCase() !== method.toUpperCase()) return undefined
    if (!path.test(pathname)) return undefined
    const windowMs = this.#options.windowMs ?? 3_600_000
    const now = this.#now()
    if (this.#windowStart === undefined || now >= this.#windowStart + windowMs) {
      this.#windowStart = now
      this.#used = 0
    }
    this.#used++
    const resetAt = this.#windowStart + windowMs
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)),
      'x-ratelimit-rule': this.#options.sysId ?? 'd4f1c0a1b2c3d4e5f60718293a4b5c6d',
    }
    if (this.#used <= limit) return { headers, exceeded: false }
    headers['retry-after'] = String(Math.max(1, Math.ceil((resetAt - now) / 1000)))
    return { headers, exceeded: true }
  }

  /** The 429 detail text. */
  detail(): string {
    return `Rate limit of ${this.#options.limit} requests per hour for ${this.#options.apiName ?? 'Table API'} exceeded`
  }
}
