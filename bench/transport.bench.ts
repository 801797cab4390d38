/**
 * Transport overhead benchmark: raw undici `request()` against `createTransport().send`, both
 * sending the same headers and reading and JSON-parsing a ~1 KB body from a keep-alive loopback
 * server at a fixed concurrency.
 * The server runs in a worker thread so that it does not share the clients' event loop.
 * Progress goes to stderr; the last stdout line is one JSON result.
 */
import { Agent, request } from 'undici'
import { createTransport } from '../packages/core/src/transport/transport.js'
import { alternatingRounds, runConcurrently, startJsonServer } from './support/loopback-bench.js'

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

  const { elapsed, requests, ratios } = await alternatingRounds(
    { raw, ours },
    { rounds: ROUNDS, perRound: REQUESTS_PER_ROUND, budgetMs: BUDGET_MS, concurrency: CONCURRENCY },
  )

  await transport.close()
  await agent.close()
  server.stop()

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
