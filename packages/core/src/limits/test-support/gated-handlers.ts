import { HttpResponse, http } from 'msw'

/** A `GET /work/:id` endpoint (any origin) that holds every request until `release()`, recording arrivals. */
export function gatedWork() {
  let open = false
  let waiting: Array<() => void> = []
  const state = { arrivals: [] as string[], inFlight: 0, maxInFlight: 0 }
  const handler = http.get('*/work/:id', async ({ params }) => {
    state.arrivals.push(String(params.id))
    state.inFlight += 1
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
    if (!open) await new Promise<void>((resolve) => waiting.push(resolve))
    state.inFlight -= 1
    return HttpResponse.json({ id: params.id })
  })
  return {
    handler,
    state,
    /** Lets every held and future request through. */
    release() {
      open = true
      for (const resolve of waiting) resolve()
      waiting = []
    },
  }
}

/** Resolves once `condition` holds, checking every 10 ms. */
export async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}
