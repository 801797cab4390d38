import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import type { JunctionEventMap } from '../observability/junction-events.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { createLimiter } from './limiter.js'
import { eventually, gatedWork } from './test-support/gated-handlers.js'
import { limitedStack } from './test-support/limited-stack.js'

describe('createLimiter', () => {
  it('never runs more than maxConcurrent calls at once', async () => {
    const context = pipelineContext()
    const work = gatedWork()
    const stack = limitedStack({
      handlers: [work.handler],
      limiter: createLimiter({ maxConcurrent: 3 }, context),
      context,
    })
    const calls = Array.from({ length: 12 }, (_, index) => stack.send(`/work/${index}`))
    await eventually(() => work.state.inFlight === 3)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(work.state.inFlight).toBe(3)
    work.release()
    await Promise.all(calls)
    expect(work.state.arrivals).toHaveLength(12)
    expect(work.state.maxInFlight).toBe(3)
    await stack.close()
  })

  it('runs an interactive call ahead of queued batch calls', async () => {
    const context = pipelineContext()
    const work = gatedWork()
    const limiter = createLimiter({ maxConcurrent: 1 }, context)
    const stack = limitedStack({ handlers: [work.handler], limiter, context })
    const first = stack.send('/work/first', { priority: 'batch' })
    await eventually(() => work.state.inFlight === 1)
    const batch = Array.from({ length: 5 }, (_, index) =>
      stack.send(`/work/batch-${index}`, { priority: 'batch' }),
    )
    const interactive = stack.send('/work/interactive', { priority: 'interactive' })
    await eventually(() => limiter.queued() === 6)
    work.release()
    await Promise.all([first, interactive, ...batch])
    expect(work.state.arrivals.slice(0, 3)).toEqual(['first', 'interactive', 'batch-0'])
    await stack.close()
  })

  it('emits throttle with the wait and the priority of a call it held back', async () => {
    const context = pipelineContext()
    const throttles: Array<JunctionEventMap['throttle']> = []
    context.events.on('throttle', (event) => throttles.push(event))
    const work = gatedWork()
    work.release()
    const stack = limitedStack({
      handlers: [work.handler],
      limiter: createLimiter({ minTimeMs: 30 }, context),
      context,
    })
    await Promise.all([stack.send('/work/a'), stack.send('/work/b', { priority: 'batch' })])
    const held = throttles.find((event) => event.priority === 7)
    expect(held).toMatchObject({ system: 'test', connection: 'test' })
    expect(held?.waitMs).toBeGreaterThanOrEqual(20)
    await stack.close()
  })

  it('rejects a queued call as ABORTED as soon as its signal aborts', async () => {
    const context = pipelineContext()
    const work = gatedWork()
    const stack = limitedStack({
      handlers: [work.handler],
      limiter: createLimiter({ maxConcurrent: 1 }, context),
      context,
    })
    const first = stack.send('/work/first')
    await eventually(() => work.state.inFlight === 1)
    const controller = new AbortController()
    const queued = stack.send('/work/queued', { signal: controller.signal })
    controller.abort()
    await expect(queued).rejects.toMatchObject({ code: 'ABORTED' })
    work.release()
    await first
    expect(work.state.arrivals).toEqual(['first'])
    await stack.close()
  })

  it('holds calls once the reservoir is spent', async () => {
    const context = pipelineContext()
    const work = gatedWork()
    work.release()
    const limiter = createLimiter({ reservoir: { amount: 2 } }, context)
    const stack = limitedStack({ handlers: [work.handler], limiter, context })
    await Promise.all([stack.send('/work/a'), stack.send('/work/b')])
    const controller = new AbortController()
    const third = stack.send('/work/c', { signal: controller.signal })
    await eventually(() => limiter.queued() === 1)
    controller.abort()
    await expect(third).rejects.toMatchObject({ code: 'ABORTED' })
    expect(work.state.arrivals).toEqual(['a', 'b'])
    await stack.close()
  })

  it('refuses minTimeMs and perSecond together, naming the option', () => {
    const build = () => createLimiter({ minTimeMs: 10, perSecond: 5 }, pipelineContext())
    expect(build).toThrow(ConfigError)
    expect(build).toThrow(expect.objectContaining({ option: 'perSecond' }))
  })
})
