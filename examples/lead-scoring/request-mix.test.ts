import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { describe, expect, it } from 'vitest'
import { requestMix } from './request-mix.js'

const ids = Array.from({ length: 50 }, (_, i) => `00Q5g00000${String(i).padStart(5, '0')}AAA`)
const mix = (seed: number, shortIdShare = 0) =>
  requestMix({ ids, requests: 2_000, zipfExponent: 1.1, shortIdShare, rng: xoroshiro128plus(seed) })

describe('the request mix', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(mix(7)).toEqual(mix(7))
    expect(mix(7)).not.toEqual(mix(8))
  })

  it('asks only for the given leads, the most popular far more often than the least', () => {
    const counts = new Map<string, number>()
    for (const id of mix(7)) counts.set(id, (counts.get(id) ?? 0) + 1)
    const sorted = [...counts.values()].sort((a, b) => b - a)

    expect([...counts.keys()].every((id) => ids.includes(id))).toBe(true)
    expect(sorted[0]).toBeGreaterThan(10 * (sorted.at(-1) ?? 0))
  })

  it('names some leads by their 15-character id when asked to', () => {
    const short = mix(7, 0.5).filter((id) => id.length === 15)

    expect(short.length).toBeGreaterThan(800)
    expect(short.length).toBeLessThan(1_200)
  })
})
