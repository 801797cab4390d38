import { JunctionError } from '@junction/core'
import type { TriageOutcome } from './triage-handler.js'

/** Counts of a run, kept as deliveries settle. */
export interface TriageCounts {
  /** Messages put on the bus by the change feed (replays included). */
  published: number
  /** Handler runs, first deliveries and redeliveries. */
  deliveries: number
  /** Deliveries with `deliveryCount` > 1: the bus handing a message over again. */
  redeliveries: number
  /** Handler runs that threw, leaving the message for redelivery. */
  failures: number
  deadLetters: number
  outcomes: Record<TriageOutcome, number>
}

/** A run's counts, and a way to wait until every published message has settled. */
export class TriageTally {
  readonly counts: TriageCounts = {
    published: 0,
    deliveries: 0,
    redeliveries: 0,
    failures: 0,
    deadLetters: 0,
    outcomes: { noted: 0, recovered: 0, duplicate: 0, 'already-assigned': 0, gone: 0, deleted: 0 },
  }
  readonly #waiters = new Set<() => void>()
  // By message id: a message whose ack was lost and that is handled again still settles once.
  readonly #settled = new Set<string>()

  /** Messages acknowledged or dead-lettered: no longer anyone's business. */
  get settled(): number {
    return this.#settled.size
  }

  published(count: number): void {
    this.counts.published += count
    this.#changed()
  }

  delivered(deliveryCount: number): void {
    this.counts.deliveries++
    if (deliveryCount > 1) this.counts.redeliveries++
  }

  handled(messageId: string, outcome: TriageOutcome): void {
    this.counts.outcomes[outcome]++
    this.#settled.add(messageId)
    this.#changed()
  }

  failed(): void {
    this.counts.failures++
  }

  deadLettered(messageId: string): void {
    this.counts.deadLetters++
    this.#settled.add(messageId)
    this.#changed()
  }

  /** Resolves once every published message has settled; rejects after `timeoutMs` with the counts so far. */
  drained(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.settled < this.counts.published) return
        clearTimeout(timer)
        this.#waiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(check)
        reject(
          new JunctionError({
            code: 'TIMEOUT',
            message: `triage did not drain in ${timeoutMs} ms: ${this.settled} of ${this.counts.published} messages settled`,
            details: this.counts,
          }),
        )
      }, timeoutMs)
      this.#waiters.add(check)
      check()
    })
  }

  #changed(): void {
    for (const waiter of [...this.#waiters]) waiter()
  }
}
