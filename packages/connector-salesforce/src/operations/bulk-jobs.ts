import { setTimeout as sleep } from 'node:timers/promises'
import { JunctionError, TimeoutError } from '@junction/core'
import { call, type SalesforceContext } from '../salesforce-context.js'
import { jobInfoSchema, readBody } from '../salesforce-responses.js'

/** A Bulk API 2.0 job's status, as polling reads it. */
export type JobInfo = ReturnType<typeof jobInfoSchema.parse>

const FINISHED = new Set(['JobComplete', 'Failed', 'Aborted'])

/**
 * Polls `jobs/{kind}/{id}` every `pollIntervalMs` until the job finishes or `pollTimeoutMs` passes.
 * A timeout is a `TimeoutError` naming the job: it keeps running on Salesforce and its results can be
 * fetched later (jsforce's polling timeouts on jobs that had succeeded are a common complaint).
 */
export async function waitForJob(
  ctx: SalesforceContext,
  kind: 'ingest' | 'query',
  id: string,
): Promise<JobInfo> {
  const { pollIntervalMs, pollTimeoutMs } = ctx.options.bulk
  const deadline = Date.now() + pollTimeoutMs
  for (;;) {
    const info = readBody(jobInfoSchema, await call(ctx, { path: `jobs/${kind}/${id}` }))
    if (FINISHED.has(info.state)) return info
    if (Date.now() + pollIntervalMs > deadline) {
      throw new TimeoutError({
        code: 'TIMEOUT',
        retryable: false,
        message: `salesforce bulk ${kind} job ${id} is still ${info.state} after ${pollTimeoutMs} ms; it keeps running`,
        system: 'salesforce',
        details: { jobId: id, state: info.state },
      })
    }
    await sleep(pollIntervalMs, undefined, { signal: ctx.signal })
  }
}

/** The error for a job that ended `Failed` or `Aborted`. */
export function jobFailed(kind: 'ingest' | 'query', info: JobInfo): JunctionError {
  return new JunctionError({
    code: 'BAD_REQUEST',
    message: `salesforce bulk ${kind} job ${info.id} ended ${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''}`,
    system: 'salesforce',
    systemCode: info.state,
    retryable: false,
    details: { jobId: info.id, state: info.state },
  })
}
