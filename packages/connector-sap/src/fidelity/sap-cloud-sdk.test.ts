import { executeHttpRequest } from '@sap-cloud-sdk/http-client'
import { afterEach, describe, expect, it } from 'vitest'
import { type SapSimulator, sapSimulator } from '../testing/sap-simulator.js'

// A client no one here wrote: the SAP Cloud SDK's generic HTTP client, with its own CSRF handling
// (HEAD on the request URL, cookies merged into one header), against the simulator on a real socket.
const opened: SapSimulator[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()))
})

async function destination() {
  const sim = sapSimulator()
  opened.push(sim)
  const server = await sim.listen()
  return {
    sim,
    destination: {
      url: `${server.url}${sim.servicePaths.API_SALES_ORDER_SRV}`,
      authentication: 'BasicAuthentication' as const,
      username: sim.auth.username,
      password: sim.auth.password,
      sapClient: '100',
    },
  }
}

describe('SAP Cloud SDK @sap-cloud-sdk/http-client against the simulator on loopback', () => {
  it('creates a sales order with CSRF fetching on', async () => {
    const { sim, destination: target } = await destination()
    const response = await executeHttpRequest(
      target,
      {
        method: 'post',
        url: '/A_SalesOrder',
        data: {
          SalesOrderType: 'OR',
          SoldToParty: '17100001',
          to_Item: [{ Material: 'FG-100', RequestedQuantity: '5' }],
        },
      },
      { fetchCsrfToken: true },
    )
    expect(response.status).toBe(201)
    expect(response.headers.location).toMatch(/A_SalesOrder\('4711'\)$/)
    expect(response.data.d).toMatchObject({ SalesOrder: '4711', SoldToParty: '17100001' })
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrderItem')).toHaveLength(1)
  })

  it('is refused with x-csrf-token: Required when it skips the token', async () => {
    const { destination: target } = await destination()
    const error = await executeHttpRequest(
      target,
      { method: 'post', url: '/A_SalesOrder', data: { SalesOrderType: 'OR' } },
      { fetchCsrfToken: false },
    ).catch((caught: { response?: { status: number; headers: Record<string, string> } }) => caught)
    expect(error.response?.status).toBe(403)
    expect(error.response?.headers['x-csrf-token']).toBe('Required')
  })
})
