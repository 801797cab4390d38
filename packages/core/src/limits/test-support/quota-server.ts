import { HttpResponse, http } from 'msw'

/**
 * A `GET /api/:id` endpoint (any origin) that counts calls against a quota of `limit` per hour and
 * reports it in `X-RateLimit-*` headers; a call past the quota gets 429, as a real server would.
 */
export function quotaServer(options: { limit: number; used?: number; resetInMs?: number }) {
  const state = { served: 0, refused: 0, used: options.used ?? 0 }
  const resetAt = Math.ceil((Date.now() + (options.resetInMs ?? 3_600_000)) / 1000)
  const headers = () => ({
    'x-ratelimit-limit': String(options.limit),
    'x-ratelimit-remaining': String(Math.max(0, options.limit - state.used)),
    'x-ratelimit-reset': String(resetAt),
  })
  const handler = http.get('*/api/:id', async ({ params }) => {
    if (state.used >= options.limit) {
      state.refused += 1
      return HttpResponse.json({ error: 'rate limited' }, { status: 429, headers: headers() })
    }
    state.used += 1
    state.served += 1
    // A little latency, so that several calls are in flight when a report comes back.
    await new Promise((resolve) => setTimeout(resolve, 5))
    return HttpResponse.json({ id: params.id }, { headers: headers() })
  })
  return { handler, state }
}
