import { type ServiceNowSimulator, servicenowSimulator } from '@junction/connector-servicenow/testing'
import type { EntityRecord } from '@junction/core'
import { groupRows, SEED_INCIDENTS } from './seed-incidents.js'

/** The simulated instance: resolver groups in `sys_user_group` and the seeded incidents. */
export function triageInstance(): ServiceNowSimulator {
  const groups = groupRows()
  const groupId = (name: string) => String(groups.find((group) => group.name === name)?.sys_id)
  const incidents: EntityRecord[] = SEED_INCIDENTS.map((seed) => ({
    number: seed.number,
    short_description: seed.short_description,
    description: seed.description,
    assignment_group: seed.assignedBy === undefined ? '' : groupId(seed.assignedBy.group),
    ...(seed.assignedBy === undefined
      ? {}
      : { sys_created_by: seed.assignedBy.user, sys_updated_by: seed.assignedBy.user }),
  }))
  return servicenowSimulator({ tables: { sys_user_group: groups, incident: incidents } })
}
