import type { ConnectorContext } from '@junction/core'
import type { z } from 'zod'
import type { servicenowOptionsShape } from './servicenow-options.js'

/** The adapter's parsed options. */
export type ServiceNowSettings = z.output<z.ZodObject<typeof servicenowOptionsShape>>

/** Per-connection state: the columns learned by `describe`, by table. */
export interface ServiceNowState {
  schemas: Map<string, ReadonlySet<string>>
}

/** What every operation of this adapter is handed. */
export type ServiceNowContext = ConnectorContext<ServiceNowSettings, ServiceNowState>
