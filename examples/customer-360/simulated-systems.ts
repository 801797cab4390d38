import { type SalesforceConnector, salesforce } from '@junction/connector-salesforce'
import { salesforceSimulator } from '@junction/connector-salesforce/testing'
import { type SapConnector, sap } from '@junction/connector-sap'
import { sapSimulator } from '@junction/connector-sap/testing'
import { type ServiceNowConnector, servicenow } from '@junction/connector-servicenow'
import { servicenowSimulator } from '@junction/connector-servicenow/testing'
import type { AuditSink, MetricsRecorder } from '@junction/core'
import type { SystemSeeds } from './seed/system-records.js'

/** The three simulated systems on loopback sockets, and a connector to each. */
export interface SimulatedSystems {
  readonly urls: { readonly salesforce: string; readonly sap: string; readonly servicenow: string }
  readonly crm: SalesforceConnector
  readonly erp: SapConnector
  readonly itsm: ServiceNowConnector
  /** Closes the connectors, then the servers. */
  close(): Promise<void>
}

/** What a caller such as the demo may hand every connector: a metrics recorder and an audit sink. */
export interface ConnectorObservers {
  metrics?: MetricsRecorder | undefined
  audit?: AuditSink | undefined
}

/** Starts the Salesforce, SAP and ServiceNow simulators seeded with `seeds`, each on its own loopback port. */
export async function startSimulatedSystems(
  seeds: SystemSeeds,
  observers: ConnectorObservers = {},
): Promise<SimulatedSystems> {
  const observed = {
    ...(observers.metrics === undefined ? {} : { metrics: observers.metrics }),
    ...(observers.audit === undefined ? {} : { audit: observers.audit }),
  }
  const crmSim = salesforceSimulator({
    records: { Account: seeds.accounts },
    fields: { Account: { DunsNumber: {}, VAT_Number__c: {}, BillingStreet: {}, BillingPostalCode: {} } },
  })
  const erpSim = sapSimulator({
    entitySets: {
      A_BusinessPartner: seeds.businessPartners,
      A_BusinessPartnerAddress: seeds.businessPartnerAddresses,
    },
  })
  const itsmSim = servicenowSimulator({
    schemas: {
      core_company: {
        display: 'name',
        columns: { u_vat_number: { label: 'VAT number' }, u_duns: { label: 'D-U-N-S number' } },
      },
    },
    tables: { core_company: seeds.companies },
  })
  const sims = [crmSim, erpSim, itsmSim]
  try {
    const [crmServer, erpServer, itsmServer] = await Promise.all([
      crmSim.listen(),
      erpSim.listen(),
      itsmSim.listen(),
    ])
    const crm = salesforce({
      loginUrl: crmServer.url,
      auth: crmSim.auth,
      actor: 'svc-customer-360',
      ...observed,
    })
    const erp = sap({
      serviceRoot: `${erpServer.url}${erpSim.servicePaths.API_BUSINESS_PARTNER}`,
      client: '100',
      auth: erpSim.auth,
      actor: 'svc-customer-360',
      ...observed,
    })
    const itsm = servicenow({
      baseUrl: itsmServer.url,
      auth: itsmSim.auth,
      actor: 'svc-customer-360',
      ...observed,
    })
    return {
      urls: { salesforce: crmServer.url, sap: erpServer.url, servicenow: itsmServer.url },
      crm,
      erp,
      itsm,
      async close() {
        await Promise.all([crm.close(), erp.close(), itsm.close()])
        await Promise.all(sims.map((sim) => sim.close()))
      },
    }
  } catch (error) {
    await Promise.all(sims.map((sim) => sim.close()))
    throw error
  }
}
