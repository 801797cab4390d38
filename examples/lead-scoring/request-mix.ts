import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'

/** How the CRM's calls spread over the leads. */
export interface RequestMixOptions {
  /** The leads' 18-character ids. */
  ids: readonly string[]
  requests: number
  /** Zipf exponent: the k-th most viewed lead is asked for in proportion to 1/k^s. */
  zipfExponent: number
  /** The share of calls that use the 15-character form of the id (older integrations do). */
  shortIdShare: number
  rng: RandomGenerator
}

/**
 * A reproducible sequence of lead ids to ask for: popularity follows a Zipf law over the leads, whose
 * ranks are a seeded shuffle (so the most viewed lead is not simply the first created).
 */
export function requestMix(options: RequestMixOptions): string[] {
  const { ids, rng } = options
  if (ids.length === 0) return []
  const ranked = [...ids]
  for (let i = ranked.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i)
    ;[ranked[i], ranked[j]] = [ranked[j] as string, ranked[i] as string]
  }
  // The cumulative distribution over ranks, sampled by binary search.
  const cumulative: number[] = []
  let total = 0
  for (let rank = 1; rank <= ranked.length; rank++) {
    total += 1 / rank ** options.zipfExponent
    cumulative.push(total)
  }
  return Array.from({ length: options.requests }, () => {
    const target = uniformFloat64(rng) * total
    let low = 0
    let high = cumulative.length - 1
    while (low < high) {
      const middle = (low + high) >> 1
      if ((cumulative[middle] as number) > target) high = middle
      else low = middle + 1
    }
    const id = ranked[low] as string
    return uniformFloat64(rng) < options.shortIdShare ? id.slice(0, 15) : id
  })
}
