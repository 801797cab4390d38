import type { PipelineContext } from '../pipeline/middleware-stack.js'

/** What a limiter reports through: the connection it limits, its events and its logger. */
export type LimiterContext = Pick<PipelineContext, 'system' | 'connection' | 'events' | 'logger'>
