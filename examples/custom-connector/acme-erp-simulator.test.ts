import { afterEach, describe, expect, it } from 'vitest'
import { type AcmeErpSimulator, acmeErpSimulator } from './acme-erp-simulator.js'

describe('the ACME ERP simulator', () => {
  let sim: AcmeErpSimulator | undefined
  afterEach(async () => {
    await sim?.close()
  })

  const call = async (method: string, path: string, body?: unknown, key = 'acme-test-key') => {
    sim ??= acmeErpSimulator({
      seed: { customers: [{ customer_no: 'C-1', name: 'One', since: '01.02.2020' }] },
    })
    const { url } = await sim.listen()
    const response = await fetch(`${url}/api/v2${path}`, {
      method,
      headers: { 'x-acme-key': key, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  it('answers a wrong API key with 401 and err 10', async () => {
    expect(await call('GET', '/customers', undefined, 'wrong')).toEqual({
      status: 401,
      body: { err: 10, msg: 'invalid or missing API key' },
    })
  })

  it('answers a PUT to a missing row with status 200 and err 21, as the real one does', async () => {
    expect(await call('PUT', '/customers/424242', { name: 'X' })).toEqual({
      status: 200,
      body: { err: 21, msg: 'record not found' },
    })
  })

  it('refuses a date in another format with status 200 and err 30 naming the field', async () => {
    const answer = await call('POST', '/customers', { customer_no: 'C-2', name: 'Two', since: '2020-02-01' })
    expect(answer).toEqual({ status: 200, body: { err: 30, msg: 'field since must be a date DD.MM.YYYY' } })
  })

  it('pages with a total and the server time, and filters by modified_since', async () => {
    const { body } = await call('GET', '/customers?offset=0&limit=1&modified_since=01.01.2000')
    expect(body).toMatchObject({ total: 1, offset: 0, limit: 1, rows: [{ id: 1001, customer_no: 'C-1' }] })
    expect(body.server_time).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/)
    expect((await call('GET', '/customers?modified_since=01.01.2999')).body.total).toBe(0)
    expect(await call('GET', '/customers?modified_since=yesterday')).toMatchObject({
      status: 400,
      body: { err: 11 },
    })
  })

  it('answers a method the API does not have with 405 and err 12', async () => {
    expect(await call('PATCH', '/customers/1001', { name: 'X' })).toMatchObject({
      status: 405,
      body: { err: 12 },
    })
  })
})
