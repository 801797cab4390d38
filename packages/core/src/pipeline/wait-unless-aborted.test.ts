import { describe, expect, it } from 'vitest'
import { waitUnlessAborted } from './wait-unless-aborted.js'

const aborted = () => new Error('stopped waiting')

describe('waitUnlessAborted', () => {
  it('resolves with the promise when nothing aborts', async () => {
    await expect(waitUnlessAborted(Promise.resolve(7), new AbortController().signal, aborted)).resolves.toBe(
      7,
    )
  })

  it('rejects at once when the signal aborts first, leaving the shared work running', async () => {
    const controller = new AbortController()
    let finish: (value: number) => void = () => {}
    const shared = new Promise<number>((resolve) => {
      finish = resolve
    })
    const waiting = waitUnlessAborted(shared, controller.signal, aborted)
    controller.abort()
    await expect(waiting).rejects.toThrow('stopped waiting')
    finish(1)
    await expect(shared).resolves.toBe(1)
  })

  it('rejects without waiting when the signal is already aborted', async () => {
    await expect(waitUnlessAborted(new Promise(() => {}), AbortSignal.abort(), aborted)).rejects.toThrow(
      'stopped waiting',
    )
  })

  it('passes the promise through when there is no signal', async () => {
    const promise = Promise.resolve('same')
    expect(waitUnlessAborted(promise, undefined, aborted)).toBe(promise)
  })
})
