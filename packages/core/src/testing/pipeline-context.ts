import { silentLogger } from '../logging/logger.js'
import { JunctionEvents } from '../observability/junction-events.js'
import type { PipelineContext } from '../pipeline/middleware-stack.js'
import { Redactor } from '../redaction/redactor.js'

/** A pipeline context for testing a middleware on its own: silent logger, no secrets, fresh events. */
export function pipelineContext(overrides: Partial<PipelineContext> = {}): PipelineContext {
  return {
    system: 'test',
    connection: 'test',
    logger: silentLogger,
    redactor: new Redactor(),
    events: new JunctionEvents(),
    ...overrides,
  }
}
