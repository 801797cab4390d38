import type { Connector, EntityRecord } from '@junction/core'
import { afterEach } from 'vitest'
import { type SapConnector, sap } from '../sap-connector.js'
import type { SapOptions } from '../sap-options.js'
import { type SapSimulator, type SapSimulatorOptions, sapSimulator } from '../testing/sap-simulator.js'

/** The origin the in-process tests pretend the system lives at. */
export const ORIGIN = 'https://erp.example.com'

const opened: Array<Connector | SapSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

/** A simulator and a connector on one of its services, in-process, with every request's method and path logged. */
export function setUp(
  simulator: SapSimulatorOptions = {},
  connector: Partial<SapOptions> & { service?: string } = {},
): { sim: SapSimulator; erp: SapConnector; requests: string[] } {
  const sim = sapSimulator(simulator)
  const requests: string[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    requests.push(`${request.method} ${decodeURIComponent(request.path)}`)
    return dispatch(request, handler)
  })
  const { service = 'API_BUSINESS_PARTNER', ...rest } = connector
  const erp = sap({
    serviceRoot: `${ORIGIN}${sim.servicePaths[service]}`,
    client: '100',
    auth: sim.auth,
    dispatcher,
    retry: { baseMs: 1, throttleBaseMs: 1, capMs: 5 },
    ...rest,
  } as SapOptions)
  opened.push(erp, sim)
  return { sim, erp, requests }
}

/** Everything an async iterable yields. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

/** `count` business partners with keys from 1000000. */
export function partners(count: number): EntityRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    BusinessPartner: String(1_000_000 + index),
    BusinessPartnerCategory: index % 2 === 0 ? '1' : '2',
    BusinessPartnerFullName: `Partner ${index}`,
  }))
}

/** Registers something for closing after the test. */
export function track<T extends Connector | SapSimulator>(item: T): T {
  opened.push(item)
  return item
}
