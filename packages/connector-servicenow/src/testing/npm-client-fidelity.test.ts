import { Agent } from 'node:https'
import { createRequire } from 'node:module'
import { connect, type Server } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { generate } from 'selfsigned'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type ServiceNowSimulator, servicenowSimulator } from './servicenow-simulator.js'

/** The public client's constructor (`new ServiceNow(instance, user, password)`). */
type ClientConstructor = new (instance: string, user: string, password: string) => Client

// A maintained public ServiceNow client from npm (servicenow-rest-api, axios based), used unchanged;
// it ships no types, so it is loaded as the CommonJS module it is.
const ServiceNow = createRequire(import.meta.url)('servicenow-rest-api') as ClientConstructor

interface Client {
  setNetworkOptions(options: Record<string, unknown>): void
  getTableData(fields: string[], filters: string[], table: string, callback: (result: unknown) => void): void
  createNewTask(data: Record<string, string>, table: string, callback: (result: unknown) => void): void
}

// The client only speaks https to `<instance>` (a host with a dot is used as is), so the loopback
// simulator is put behind a TLS front with a throwaway certificate for 127.0.0.1, trusted through the
// client's own `setNetworkOptions` (its documented hook for axios options).
let sim: ServiceNowSimulator
let front: Server
let client: Client

beforeAll(async () => {
  sim = servicenowSimulator()
  const user = sim.tables.insert('sys_user', { name: 'Abel Tuter', user_name: 'abel.tuter' }, 'admin')
  sim.tables.insert(
    'incident',
    { number: 'INC0010001', short_description: 'VPN drops', state: '2', caller_id: user.sys_id },
    'admin',
  )
  sim.tables.insert(
    'incident',
    { number: 'INC0010002', short_description: 'Printer jam', state: '1' },
    'admin',
  )
  const loopback = await sim.listen()
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  })
  front = createTlsServer({ key: pems.private, cert: pems.cert }, (socket) => {
    const upstream = connect(loopback.port, '127.0.0.1')
    socket.pipe(upstream).pipe(socket)
    socket.on('error', () => upstream.destroy())
    upstream.on('error', () => socket.destroy())
  })
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
  const address = front.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  client = new ServiceNow(`127.0.0.1:${port}`, sim.auth.username, sim.auth.password)
  client.setNetworkOptions({ httpsAgent: new Agent({ ca: pems.cert, keepAlive: false }) })
  // The client logs every URL it calls.
  vi.spyOn(console, 'log').mockImplementation(() => undefined)
})

afterAll(async () => {
  vi.restoreAllMocks()
  await new Promise<void>((resolve) => front.close(() => resolve()))
  await sim.close()
})

const call = <T>(run: (callback: (result: T) => void) => void) => new Promise<T>((resolve) => run(resolve))

describe('servicenow-rest-api (npm) against the loopback simulator', () => {
  it('queries with fields and filters, getting display values', async () => {
    const result = await call<unknown>((done) =>
      client.getTableData(
        ['number', 'short_description', 'state', 'caller_id'],
        ['stateIN1,2', 'short_descriptionLIKEvpn'],
        'incident',
        done,
      ),
    )
    expect(result).toEqual([
      {
        number: 'INC0010001',
        short_description: 'VPN drops',
        state: 'In Progress',
        caller_id: {
          display_value: 'Abel Tuter',
          link: expect.stringMatching(/\/api\/now\/table\/sys_user\/[0-9a-f]{32}$/),
        },
      },
    ])
  })

  it('creates a record with display-value input, the reference given by name', async () => {
    const created = await call<unknown>((done) =>
      client.createNewTask(
        { short_description: 'Disk full', urgency: '1 - High', caller_id: 'Abel Tuter' },
        'incident',
        done,
      ),
    )
    expect(created).toMatchObject({
      short_description: 'Disk full',
      urgency: '1 - High',
      caller_id: { display_value: 'Abel Tuter' },
    })
    const stored = sim.tables.rows('incident').find((row) => row.short_description === 'Disk full')
    expect(stored).toMatchObject({
      urgency: '1',
      caller_id: sim.tables.rows('sys_user')[0]?.sys_id,
      number: 'INC0010003',
    })
  })

  it('gets the 401 envelope through the client for wrong credentials', async () => {
    const address = front.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const wrong = new ServiceNow(`127.0.0.1:${port}`, sim.auth.username, 'nope')
    const error = await call<{ response?: { status: number; data: unknown } }>((done) =>
      wrong.getTableData([], [], 'incident', done as (result: unknown) => void),
    )
    expect(error.response?.status).toBe(401)
    expect(error.response?.data).toEqual({
      error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
      status: 'failure',
    })
  })
})
