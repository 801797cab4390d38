import { z } from 'zod'
import { canonicalEntity, entityRefSchema } from './canonical-entity.js'

/** Lifecycle states shared by ticketing systems (ServiceNow: 1 New … 8 Canceled). */
export const incidentStates = ['new', 'in_progress', 'on_hold', 'resolved', 'closed', 'canceled'] as const

/** An IT or service incident (ServiceNow `incident`, Salesforce Case). */
export const incidentSchema = canonicalEntity({
  number: z.string().min(1),
  shortDescription: z.string().min(1),
  description: z.string().optional(),
  state: z.enum(incidentStates).optional(),
  /** 1 (critical) to 5 (planning), ServiceNow's scale. */
  priority: z.number().int().min(1).max(5).optional(),
  impact: z.number().int().min(1).max(3).optional(),
  urgency: z.number().int().min(1).max(3).optional(),
  category: z.string().optional(),
  caller: entityRefSchema.optional(),
  customer: entityRefSchema.optional(),
  assignedTo: entityRefSchema.optional(),
  assignmentGroup: entityRefSchema.optional(),
  openedAt: z.date().optional(),
  resolvedAt: z.date().optional(),
  closedAt: z.date().optional(),
})

/** A canonical incident. */
export type Incident = z.infer<typeof incidentSchema>
