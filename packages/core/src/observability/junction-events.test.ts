import { describe, expect, it } from 'vitest'
import { JunctionEvents } from './junction-events.js'

const origin = { system: 'demo', connection: 'demo' }

describe('JunctionEvents', () => {
  it('delivers an event to every listener', () => {
    const events = new JunctionEvents()
    const seen: number[] = []
    events.on('retry', (event) => seen.push(event.attempt))
    events.on('retry', (event) => seen.push(event.attempt * 10))
    events.emit('retry', { ...origin, attempt: 2, delayMs: 100, reason: 'SERVICE_UNAVAILABLE' })
    expect(seen).toEqual([2, 20])
  })

  it('stops delivering after unsubscribing', () => {
    const events = new JunctionEvents()
    const seen: string[] = []
    const off = events.on('limiter:restored', (event) => seen.push(event.connection))
    off()
    events.emit('limiter:restored', origin)
    expect(seen).toEqual([])
  })

  it('reports a throwing listener and still reaches the others', () => {
    const failures: string[] = []
    const events = new JunctionEvents((_error, event) => failures.push(event))
    const seen: string[] = []
    events.on('breaker', () => {
      throw new Error('listener bug')
    })
    events.on('breaker', (event) => seen.push(event.state))
    events.emit('breaker', { ...origin, key: 'demo', state: 'open' })
    expect(failures).toEqual(['breaker'])
    expect(seen).toEqual(['open'])
  })

  it('says whether an event has listeners', () => {
    const events = new JunctionEvents()
    expect(events.has('cache')).toBe(false)
    events.once('cache', () => {})
    expect(events.has('cache')).toBe(true)
  })
})
