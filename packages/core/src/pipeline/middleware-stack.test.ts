import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { type Middleware, MiddlewareStack } from './middleware-stack.js'
import type { Handler, JunctionRequest } from './request.js'

const context = pipelineContext()
const request: JunctionRequest = { method: 'GET', url: 'https://example.test/x', headers: {} }

/** A middleware that appends its name to a trace header on the way in. */
const tracing =
  (name: string): Middleware =>
  (next) =>
  (req) =>
    next({ ...req, headers: { ...req.headers, trace: `${req.headers.trace ?? ''}>${name}` } })

const echoTrace: Handler = async <T>(req: JunctionRequest) => ({
  status: 200,
  headers: {},
  body: req.headers.trace as T,
  url: req.url,
})

async function traceThrough(stack: MiddlewareStack): Promise<unknown> {
  return (await stack.resolve(echoTrace, context)(request)).body
}

describe('MiddlewareStack', () => {
  it('runs middleware outermost first, in the order added', async () => {
    const stack = new MiddlewareStack().add('a', tracing('a')).add('b', tracing('b'))
    expect(await traceThrough(stack)).toBe('>a>b')
  })

  it('inserts before and after a named middleware', async () => {
    const stack = new MiddlewareStack().add('a', tracing('a')).add('c', tracing('c'))
    stack.add('b', tracing('b'), { after: 'a' }).add('z', tracing('z'), { before: 'a' })
    expect(stack.names()).toEqual(['z', 'a', 'b', 'c'])
    expect(await traceThrough(stack)).toBe('>z>a>b>c')
  })

  it('puts a middleware first when asked', () => {
    const stack = new MiddlewareStack().add('a', tracing('a')).add('first', tracing('first'), 'first')
    expect(stack.names()).toEqual(['first', 'a'])
  })

  it('removes a middleware by name and reports whether it was there', async () => {
    const stack = new MiddlewareStack().add('a', tracing('a')).add('b', tracing('b'))
    expect(stack.remove('a')).toBe(true)
    expect(stack.remove('a')).toBe(false)
    expect(await traceThrough(stack)).toBe('>b')
  })

  it('replaces a middleware in place', async () => {
    const stack = new MiddlewareStack().add('a', tracing('a')).add('b', tracing('b'))
    stack.replace('a', tracing('A'))
    expect(await traceThrough(stack)).toBe('>A>b')
  })

  it('rejects a duplicate name with a config error', () => {
    const stack = new MiddlewareStack().add('a', tracing('a'))
    expect(() => stack.add('a', tracing('a'))).toThrow(ConfigError)
  })

  it('names the missing middleware when inserting relative to one that is absent', () => {
    const stack = new MiddlewareStack().add('a', tracing('a'))
    expect(() => stack.add('b', tracing('b'), { before: 'nope' })).toThrow(/no middleware named "nope"/)
  })

  it('clones into an independent stack', () => {
    const stack = new MiddlewareStack().add('a', tracing('a'))
    const copy = stack.clone().add('b', tracing('b'))
    expect(stack.names()).toEqual(['a'])
    expect(copy.names()).toEqual(['a', 'b'])
  })

  it('composes once and recomposes after a change', async () => {
    let composed = 0
    const counting: Middleware = (next) => {
      composed++
      return next
    }
    const stack = new MiddlewareStack().add('counting', counting)
    await stack.resolve(echoTrace, context)(request)
    await stack.resolve(echoTrace, context)(request)
    expect(composed).toBe(1)
    stack.add('a', tracing('a'))
    expect(await traceThrough(stack)).toBe('>a')
    expect(composed).toBe(2)
  })
})
