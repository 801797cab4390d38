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
const which = process.argv[2]
const agent = new Agent()
const t = createTransport()
const client =
  which === 'raw'
    ? async () => (await request(url, { dispatcher: agent })).body.json()
    : () => t.send({ method: 'GET', url, headers: {}, responseType: 'json' })
async function run(n: number) {
  let rem = n
  const s = performance.now()
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (rem-- > 0) await client()
    }),
  )
  return (n / (performance.now() - s)) * 1000
}
await run(5000)
for (let i = 0; i < 3; i++) console.error(which, (await run(20000)).toFixed(0))
w.postMessage('x')
await t.close()
await agent.close()
