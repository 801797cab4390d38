import { describe, expect, it } from 'vitest'
import { CallDeadline } from './call-deadline.js'

const aborted = (deadline: CallDeadline) => new Promise((resolve) => deadline.once('abort', resolve))

describe('CallDeadline', () => {
  it('aborts with cause deadline when the time runs out', async () => {
    const deadline = new CallDeadline(undefined, 20)
    await aborted(deadline)
    expect(deadline.cause).toBe('deadline')
  })

  it("aborts with cause caller and the caller's reason when the caller aborts", () => {
    const controller = new AbortController()
    const deadline = new CallDeadline(controller.signal, 60_000)
    controller.abort('user cancelled')
    expect(deadline.aborted).toBe(true)
    expect(deadline).toMatchObject({ cause: 'caller', callerReason: 'user cancelled' })
  })

  it('starts aborted when the caller signal already is', () => {
    const deadline = new CallDeadline(AbortSignal.abort(), 60_000)
    expect(deadline.aborted).toBe(true)
    expect(deadline.cause).toBe('caller')
  })

  it('stops listening to the caller once cleared', () => {
    const controller = new AbortController()
    const deadline = new CallDeadline(controller.signal, 60_000)
    deadline.clear()
    controller.abort()
    expect(deadline.aborted).toBe(false)
  })

  it('calls a once listener a single time and not after it is removed', () => {
    const first = new CallDeadline(undefined, 60_000)
    const calls: string[] = []
    first.once('abort', () => calls.push('kept'))
    const dropped = () => calls.push('dropped')
    first.once('abort', dropped)
    first.removeListener('abort', dropped)
    first.abort('deadline', new Error('late'))
    first.abort('deadline', new Error('late again'))
    expect(calls).toEqual(['kept'])
  })

  it('notifies every listener, not only the first', () => {
    const deadline = new CallDeadline(undefined, 60_000)
    const calls: number[] = []
    deadline.once('abort', () => calls.push(1))
    deadline.once('abort', () => calls.push(2))
    deadline.on('abort', () => calls.push(3))
    deadline.abort('caller', undefined)
    expect(calls).toEqual([1, 2, 3])
  })
})
