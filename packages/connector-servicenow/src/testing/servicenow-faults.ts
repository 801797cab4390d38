import type { Fault, FaultMatch } from '@junction/core/testing'

const HIBERNATING_PAGE = `<!DOCTYPE html>
<html><head><title>Instance Hibernating page</title></head>
<body><div class="instance-hibernating">
<h1>Your instance is hibernating</h1>
<p>Developer instances hibernate when not in use. Sign in to the developer portal to wake it up.</p>
</div></body></html>
`

const CANCELLED = 'Transaction cancelled: maximum execution time exceeded'

/** Faults a ServiceNow instance shows, for `sim.faults.next()` / `always()` (sheet §7.2, §8). */
export const serviceNowFaults = {
  /** A hibernating developer instance: 200 with an HTML page (sheet §7.2). */
  hibernating(match?: FaultMatch): Fault {
    return {
      match,
      status: 200,
      headers: { 'content-type': 'text/html;charset=UTF-8' },
      body: HIBERNATING_PAGE,
    }
  },
  /**
   * The transaction quota cutting a call (sheet §8.2). The HTTP status is not established (UNVERIFIED):
   * 500 by default, configurable.
   */
  transactionCancelled(match?: FaultMatch, status = 500): Fault {
    return {
      match,
      status,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: {
        error: {
          message: CANCELLED,
          detail: `${CANCELLED} Check logs for error trace or enable glide.rest.debug property to verify REST request processing`,
        },
        status: 'failure',
      },
    }
  },
  /** The quota cutting a large streamed page: a 200 whose JSON stops mid-way, the cancellation text in it. */
  cutShortPage(match?: FaultMatch): Fault {
    return {
      match,
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: `{"result":[{"number":"INC0010001","sys_id":"0a1b"},"${CANCELLED}"`,
    }
  },
  /** The API_INT semaphore pool and its queue are full: 429 without rate-limit headers (sheet §8.3, UNVERIFIED body). */
  semaphoresExhausted(match?: FaultMatch, retryAfter?: number): Fault {
    return {
      match,
      status: 429,
      ...(retryAfter === undefined ? {} : { retryAfter }),
      body: 'Too Many Requests',
    }
  },
  /** Too many requests queued on one session: GET 202 with an empty body (sheet §1.5). */
  sessionQueueFull(match?: FaultMatch): Fault {
    return { match, status: 202, body: '' }
  },
}
