/**
 * The SAP simulator on a loopback server in a worker thread, so that it does not share the event
 * loop of the connector being measured. Seeded with `partners` business partners; posts
 * `{ url, servicePaths, auth }` once listening, and stops on 'stop'.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { sapSimulator } from '../../packages/connector-sap/src/testing/sap-simulator.js'

const { partners, maxPageSize } = workerData as { partners: number; maxPageSize: number }
const day = Date.UTC(2024, 2, 1)
const sim = sapSimulator({
  maxPageSize,
  entitySets: {
    A_BusinessPartner: Array.from({ length: partners }, (_, index) => ({
      BusinessPartner: String(1_000_000 + index),
      BusinessPartnerCategory: index % 3 === 0 ? '2' : '1',
      BusinessPartnerFullName: `Partner ${index}`,
      FirstName: `First ${index}`,
      LastName: `Last ${index}`,
      CreationDate: `/Date(${day})/`,
      LastChangeDate: `/Date(${day})/`,
      LastChangeTime: 'PT08H30M00S',
    })),
  },
})
const server = await sim.listen()
parentPort?.postMessage({ url: server.url, servicePaths: sim.servicePaths, auth: sim.auth })
parentPort?.on('message', async (message: string) => {
  if (message !== 'stop') return
  await sim.close()
  process.exit(0)
})
