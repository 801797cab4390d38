import { describe, expect, it } from 'vitest'
import { type JunctionEventMap, JunctionEvents } from './junction-events.js'

const retry: JunctionEventMap['retry'] = {
  system: 'crm',
  connection: 'main',
  operation: 'query',
  entity: 'Account',
  attempt: 1,
  delayMs: 5,
  reason: 'SERVICE_UNAVAILABLE',
}

describe('JunctionEvents', () => {
  it('delivers an event to every listener in the order they subscribed', () => {
    const events = new JunctionEvents()
    const seen: string[] = []
    events.on('retry', () => seen.push('first'))
    events.on('retry', () => seen.push('second'))
    events.emit('retry', retry)
    expect(seen).toEqual(['first', 'second'])
  })

  it('stops delivering to a listener once it unsubscribes', () => {
    const events = new JunctionEvents()
    let calls = 0
    const off = events.on('retry', () => calls++)
    events.emit('retry', retry)
    off()
    off()
    events.emit('retry', retry)
    expect(calls).toBe(1)
    expect(events.has('retry')).toBe(false)
  })

  it('delivers to a once listener a single time', () => {
    const events = new JunctionEvents()
    let calls = 0
    events.once('retry', () => calls++)
    events.emit('retry', retry)
    events.emit('retry', retry)
    expect(calls).toBe(1)
  })

  it('hands what a listener throws to onListenerError and still reaches the next listener', () => {
    const thrown: unknown[] = []
    const events = new JunctionEvents((error) => thrown.push(error))
    const seen: number[] = []
    events.on('retry', () => {
      throw new Error('listener bug')
    })
    events.on('retry', (event) => seen.push(event.attempt))
    events.emit('retry', retry)
    expect(seen).toEqual([1])
    expect(thrown).toMatchObject([{ message: 'listener bug' }])
  })

  it('applies a subscription made during an emit from the next emit on', () => {
    const events = new JunctionEvents()
    let late = 0
    events.on('retry', () => {
      events.on('retry', () => late++)
    })
    events.emit('retry', retry)
    expect(late).toBe(0)
    events.emit('retry', retry)
    expect(late).toBe(1)
  })

  it('says whether an event has listeners', () => {
    const events = new JunctionEvents()
    expect(events.has('cache')).toBe(false)
    events.once('cache', () => {})
    expect(events.has('cache')).toBe(true)
  })
})
