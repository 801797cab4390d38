import { ConfigError } from '../errors/error-kinds.js'
import type { Logger } from '../logging/logger.js'
import type { JunctionEvents } from '../observability/junction-events.js'
import type { Redactor } from '../redaction/redactor.js'
import type { Handler } from './request.js'

/** What every middleware may use besides the request: who it works for and how to report. */
export interface PipelineContext {
  system: string
  /** The connection's name (e.g. `crm`). */
  connection: string
  logger: Logger
  redactor: Redactor
  events: JunctionEvents
}

/** Wraps the next handler: may change the request, the response, or retry. */
export type Middleware = (next: Handler, context: PipelineContext) => Handler

/** Where to put a middleware: at either end, or next to a named one. */
export type StackPosition = 'first' | 'last' | { before: string } | { after: string }

interface Entry {
  name: string
  middleware: Middleware
}

/**
 * An ordered, named list of middleware, outermost first (as in the AWS SDK v3).
 * Each connector assembles one; users add, remove and reorder by name.
 */
export class MiddlewareStack {
  readonly #entries: Entry[] = []
  // The last composition, reused until the stack changes: composing per request cost measurably.
  #resolved: { terminal: Handler; context: PipelineContext; handler: Handler } | undefined

  /** Adds `middleware` under a unique `name`; by default innermost, just above the transport. */
  add(name: string, middleware: Middleware, position: StackPosition = 'last'): this {
    if (this.has(name)) {
      throw new ConfigError({ message: `middleware "${name}" is already in the stack`, option: 'name' })
    }
    const entry = { name, middleware }
    this.#resolved = undefined
    if (position === 'first') this.#entries.unshift(entry)
    else if (position === 'last') this.#entries.push(entry)
    else {
      const target = 'before' in position ? position.before : position.after
      const index = this.#indexOf(target)
      this.#entries.splice('before' in position ? index : index + 1, 0, entry)
    }
    return this
  }

  /** Removes the named middleware; returns whether it was there. */
  remove(name: string): boolean {
    const index = this.#entries.findIndex((entry) => entry.name === name)
    if (index >= 0) this.#entries.splice(index, 1)
    this.#resolved = undefined
    return index >= 0
  }

  /** Swaps the named middleware for another, keeping its place. */
  replace(name: string, middleware: Middleware): this {
    const entry = this.#entries[this.#indexOf(name)]
    if (entry) entry.middleware = middleware
    this.#resolved = undefined
    return this
  }

  /** Whether a middleware of that name is in the stack. */
  has(name: string): boolean {
    return this.#entries.some((entry) => entry.name === name)
  }

  /** The names, outermost first. */
  names(): string[] {
    return this.#entries.map((entry) => entry.name)
  }

  /** An independent copy, for a connector that needs a variant of its own stack. */
  clone(): MiddlewareStack {
    const copy = new MiddlewareStack()
    for (const entry of this.#entries) copy.add(entry.name, entry.middleware)
    return copy
  }

  /** Composes the stack around `terminal` (the transport) into one handler; reused until the stack changes. */
  resolve(terminal: Handler, context: PipelineContext): Handler {
    const last = this.#resolved
    if (last !== undefined && last.terminal === terminal && last.context === context) return last.handler
    const handler = this.#entries.reduceRight<Handler>(
      (next, entry) => entry.middleware(next, context),
      terminal,
    )
    this.#resolved = { terminal, context, handler }
    return handler
  }

  #indexOf(name: string): number {
    const index = this.#entries.findIndex((entry) => entry.name === name)
    if (index < 0) {
      throw new ConfigError({
        message: `no middleware named "${name}" in the stack (have: ${this.names().join(', ') || 'none'})`,
        option: 'name',
      })
    }
    return index
  }
}
