/**
 * Transport overhead benchmark: raw undici `request()` against `createTransport().send`, both
 * sending the same headers and reading and JSON-parsing a ~1 KB body from a keep-alive loopback
 * server at a fixed concurrency.
 * The server runs in a worker thread so that it does not share the clients' event loop.
 * Progress goes to stderr; the last stdout line is one JSON result.
 */
import { Agent, request } from 'undici'
import { createTransport } from '../packages/core/src/transport/transport.js'
import { runConcurrently, startJsonServer } from './support/json-server.js'

const CONCURRENCY = 32
// Many short rounds, alternating which client goes first, so that load from other processes
// falls on both clients alike.
const ROUNDS = 20
const REQUESTS_PER_ROUND = 4_000
const WARMUP_REQUESTS = 10_000
const BUDGET_MS = 50_000

type Client = () => Promise<unknown>

function run(client: Client, requests: number): Promise<number> {
  return runConcurrently(client, requests, CONCURRENCY)
}

async function main(): Promise<void> {
  const server = await startJsonServer()
  const { url, bytes } = server
  process.stderr.write(`server on ${url}, body ${bytes} bytes, concurrency ${CONCURRENCY}\n`)

  const agent = new Agent()
  // Direct like the raw Agent, even where the environment names a proxy.
  const transport = createTransport({ proxy: false })
  // The same request on the wire from both: the transport's default headers, sent by raw undici too.
  const headers = { 'user-agent': 'junction', 'accept-encoding': 'gzip, deflate, br' }
  const raw: Client = async () => {
    const response = await request(url, { dispatcher: agent, headers })
    return response.body.json()
  }
  const ours: Client = () => transport.send({ method: 'GET', url, headers: {}, responseType: 'json' })

  await run(raw, WARMUP_REQUESTS)
  await run(ours, WARMUP_REQUESTS)

  const elapsed = { raw: 0, ours: 0 }
  const requests = { raw: 0, ours: 0 }
  const ratios: number[] = []
  const deadline = performance.now() + BUDGET_MS
  for (let round = 0; round < ROUNDS && performance.now() < deadline; round++) {
    const order: Array<keyof typeof elapsed> = round % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw']
    const rates: Record<string, number> = {}
    for (const name of order) {
      const ms = await run(name === 'raw' ? raw : ours, REQUESTS_PER_ROUND)
      elapsed[name] += ms
      requests[name] += REQUESTS_PER_ROUND
      rates[name] = (REQUESTS_PER_ROUND / ms) * 1000
    }
    ratios.push((rates.ours ?? 0) / (rates.raw ?? 1))
    process.stderr.write(
      `round ${round + 1}: raw ${rates.raw?.toFixed(0)} req/s, ours ${rates.ours?.toFixed(0)} req/s, ` +
        `ratio ${((rates.ours ?? 0) / (rates.raw ?? 1)).toFixed(3)}\n`,
    )
  }

  await transport.close()
  await agent.close()
  server.stop()

  ratios.sort((a, b) => a - b)
  process.stderr.write(`median round ratio ${ratios[Math.floor(ratios.length / 2)]?.toFixed(3)}\n`)
  const rawRps = (requests.raw / elapsed.raw) * 1000
  const oursRps = (requests.ours / elapsed.ours) * 1000
  process.stdout.write(
    `${JSON.stringify({
      bench: 'transport',
      ratio: Math.round((oursRps / rawRps) * 100) / 100,
      raw_rps: Math.round(rawRps),
      ours_rps: Math.round(oursRps),
      requests: requests.raw + requests.ours,
      concurrency: CONCURRENCY,
      node: process.version,
    })}\n`,
  )
}

await main()
