import { spawn } from 'node:child_process'
import { EventEmitter as EE } from 'node:events'
import { Agent, request } from 'undici'
import { collectBody } from '../packages/core/src/transport/read-body.js'
import { createTransport } from '../packages/core/src/transport/transport.js'

const F = { tooLarge: () => new Error('x'), failed: (e: unknown) => e as Error }
const SERVER = `
const { createServer } = require('node:http')
const body = JSON.stringify({ records: Array.from({ length: 10 }, (_, i) => ({ Id: 'x' + i, Name: 'Account ' + i, Industry: 'Manufacturing' })) })
const server = createServer((q, r) => { q.resume(); r.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); r.end(body) })
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`
const w = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
const port: number = await new Promise((r) => w.stdout.once('data', (d) => r(Number(String(d).trim()))))
const url = `http://127.0.0.1:${port}/x`
const agent = new Agent()
const t = createTransport()
const clients: Record<string, () => Promise<unknown>> = {
  raw: async () => (await request(url, { dispatcher: agent })).body.json(),
  rawHeaders: async () =>
    (
      await request(url, {
        dispatcher: agent,
        headers: { 'user-agent': 'junction', 'accept-encoding': 'gzip, deflate, br' },
      })
    ).body.json(),
  rawSignal: async () => {
    const c = new AbortController()
    const timer = setTimeout(() => c.abort(), 60000)
    try {
      return await (await request(url, { dispatcher: agent, signal: c.signal })).body.json()
    } finally {
      clearTimeout(timer)
    }
  },
  rawCollect: async () =>
    JSON.parse((await collectBody((await request(url, { dispatcher: agent })).body, 1e9, F)).toString()),
  rawBytes: async () =>
    JSON.parse(Buffer.from(await (await request(url, { dispatcher: agent })).body.bytes()).toString()),
  rawEmitter: async () => {
    const e = new EE() as EE & { aborted: boolean }
    e.aborted = false
    const timer = setTimeout(() => e.emit('abort'), 60000)
    try {
      return await (await request(url, { dispatcher: agent, signal: e })).body.json()
    } finally {
      clearTimeout(timer)
    }
  },
  rawTimer: async () => {
    const timer = setTimeout(() => {}, 60000)
    try {
      return await (await request(url, { dispatcher: agent })).body.json()
    } finally {
      clearTimeout(timer)
    }
  },
  ours: () => t.send({ method: 'GET', url, headers: {}, responseType: 'json' }),
}
const cpu: Record<string, number> = {}
let current = ''
async function run(client: () => Promise<unknown>, n: number) {
  let rem = n
  const c0 = process.cpuUsage()
  const s = performance.now()
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (rem-- > 0) await client()
    }),
  )
  const c = process.cpuUsage(c0)
  cpu[current] = (cpu[current] ?? 0) + c.user + c.system
  return performance.now() - s
}
const names = (process.argv[2] ?? 'raw,rawHeaders,rawSignal,ours').split(',')
for (const n of names) {
  current = 'warm'
  await run(clients[n]!, 3000)
}
const tot: Record<string, number> = {}
for (let i = 0; i < 4; i++) {
  for (const n of i % 2 ? [...names].reverse() : names) {
    current = n
    tot[n] = (tot[n] ?? 0) + (await run(clients[n]!, 10000))
  }
}
const base = tot.raw!
for (const n of names)
  console.error(
    n.padEnd(12),
    ((40000 / tot[n]!) * 1000).toFixed(0),
    'rps',
    (base / tot[n]!).toFixed(3),
    'cpu us/req',
    (cpu[n]! / 40000).toFixed(1),
    'cpu ratio',
    (cpu.raw! / cpu[n]!).toFixed(3),
  )
w.kill()
await t.close()
await agent.close()
