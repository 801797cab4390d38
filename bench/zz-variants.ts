import { Worker } from 'node:worker_threads'
import { Agent, request } from 'undici'
import { createTransport } from '../packages/core/src/transport/transport.js'
const SERVER = `
const { createServer } = require('node:http')
const { parentPort } = require('node:worker_threads')
const body = JSON.stringify({ records: Array.from({ length: 10 }, (_, i) => ({ Id: 'x' + i, Name: 'Account ' + i, Industry: 'Manufacturing' })) })
const server = createServer((q, r) => { q.resume(); r.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); r.end(body) })
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port))
parentPort.on('message', () => process.exit(0))
`
const w = new Worker(SERVER, { eval: true })
const port: number = await new Promise((r) => w.once('message', r))
const url = `http://127.0.0.1:${port}/x`
const agent = new Agent()
const t = createTransport()
const clients: Record<string, () => Promise<unknown>> = {
  raw: async () => (await request(url, { dispatcher: agent })).body.json(),
  rawHeaders: async () => (await request(url, { dispatcher: agent, headers: { 'user-agent': 'junction', 'accept-encoding': 'gzip, deflate, br' } })).body.json(),
  rawSignal: async () => { const c = new AbortController(); const timer = setTimeout(() => c.abort(), 60000); try { return await (await request(url, { dispatcher: agent, signal: c.signal })).body.json() } finally { clearTimeout(timer) } },
  ours: () => t.send({ method: 'GET', url, headers: {}, responseType: 'json' }),
}
async function run(client: () => Promise<unknown>, n: number) { let rem = n; const s = performance.now(); await Promise.all(Array.from({ length: 32 }, async () => { while (rem-- > 0) await client() })); return performance.now() - s }
const names = (process.argv[2] ?? 'raw,rawHeaders,rawSignal,ours').split(',')
for (const n of names) await run(clients[n]!, 3000)
const tot: Record<string, number> = {}
for (let i = 0; i < 4; i++) { for (const n of (i % 2 ? [...names].reverse() : names)) tot[n] = (tot[n] ?? 0) + await run(clients[n]!, 10000) }
const base = tot.raw!
for (const n of names) console.error(n.padEnd(12), (40000 / tot[n]! * 1000).toFixed(0), 'rps', (base / tot[n]!).toFixed(3))
w.postMessage('x'); await t.close(); await agent.close()
