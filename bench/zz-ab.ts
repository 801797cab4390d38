import { Worker } from 'node:worker_threads'
import { EventEmitter } from 'node:events'
import { Agent, request } from 'undici'
import { createTransport } from '../packages/core/src/transport/transport.js'
const SERVER = `
const { createServer } = require('node:http')
const { parentPort } = require('node:worker_threads')
const body = JSON.stringify({ records: Array.from({ length: 10 }, (_, i) => ({ Id: 'x' + i, Name: 'Account ' + i, Industry: 'Manufacturing', AnnualRevenue: 100000 })) })
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
const H = { 'user-agent': 'junction', 'accept-encoding': 'gzip, deflate, br' }
class Mini { aborted = false; reason: unknown; l: (() => void) | undefined; on(_e: string, l: () => void) { this.l = l; return this } once(_e: string, l: () => void) { this.l = l; return this } removeListener(_e: string, l: () => void) { if (this.l === l) this.l = undefined; return this } }
class OnEmitter extends EventEmitter { aborted = false; reason: unknown; override once(e: string, l: (...a: unknown[]) => void) { return this.on(e, l) } }
const clients: Record<string, () => Promise<unknown>> = {
  raw: async () => (await request(url, { dispatcher: agent })).body.json(),
  rawHeaders: async () => (await request(url, { dispatcher: agent, headers: H })).body.json(),
  rawSignal: async () => { const e = new EventEmitter(); const timer = setTimeout(() => e.emit('abort'), 60000); try { return await (await request(url, { dispatcher: agent, signal: e, headers: H })).body.json() } finally { clearTimeout(timer) } },
  rawTimer: async () => { const timer = setTimeout(() => {}, 60000); try { return await (await request(url, { dispatcher: agent, headers: H })).body.json() } finally { clearTimeout(timer) } },
  rawEmitter: async () => { const e = new EventEmitter(); return (await request(url, { dispatcher: agent, signal: e, headers: H })).body.json() },
  rawAbortSignal: async () => { const c = new AbortController(); return (await request(url, { dispatcher: agent, signal: c.signal, headers: H })).body.json() },
  rawMini: async () => { const e = new Mini(); return (await request(url, { dispatcher: agent, signal: e as unknown as EventEmitter, headers: H })).body.json() },
  rawOnEmitter: async () => { const e = new OnEmitter(); return (await request(url, { dispatcher: agent, signal: e, headers: H })).body.json() },
  ours: () => t.send({ method: 'GET', url, headers: {}, responseType: 'json' }),
}
async function run(client: () => Promise<unknown>, n: number) { let rem = n; const s = performance.now(); await Promise.all(Array.from({ length: 32 }, async () => { while (rem-- > 0) await client() })); return performance.now() - s }
const [a, b] = process.argv[2]!.split(',') as [string, string]
await run(clients[a]!, 5000); await run(clients[b]!, 5000)
const tot = { a: 0, b: 0 }; const ratios: number[] = []
for (let i = 0; i < 40; i++) { const ta = i % 2 ? await run(clients[a]!, 2000) : 0; const tb = await run(clients[b]!, 2000); const ta2 = i % 2 ? ta : await run(clients[a]!, 2000); tot.a += ta2; tot.b += tb; ratios.push(ta2 / tb) }
ratios.sort((x, y) => x - y)
console.error(`${b} vs ${a}: total ratio ${(tot.a / tot.b).toFixed(3)} median ${ratios[20]!.toFixed(3)}`)
w.postMessage('x'); await t.close(); await agent.close()
