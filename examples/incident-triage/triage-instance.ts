import {
  type ServiceNowSimulator,
  servicenowSimulator,
  type TableSpec,
} from '@junction/connector-servicenow/testing'
import type { EntityRecord } from '@junction/core'
import { groupRows, SEED_INCIDENTS } from './seed-incidents.js'

/**
 * The simulated instance: resolver groups in `sys_user_group` and the seeded incidents, with the
 * `assignment_group` reference column the reference sheet lists on incident (§4).
 */
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
  return servicenowSimulator({
    schemas: {
      incident: incidentWithAssignmentGroup(),
      sys_user_group: {
        display: 'name',
        columns: { name: { label: 'Name' }, description: { label: 'Description' } },
      },
    },
    tables: { sys_user_group: groups, incident: incidents },
  })
}

// Workaround: the simulator's built-in incident table has no `assignment_group` column, and its
// `schemas` option replaces a built-in table's spec (number prefix, journals and all) instead of adding
// columns to it as its doc says. So the built-in spec is read from a default instance and extended.
function incidentWithAssignmentGroup(): TableSpec {
  const builtIn = servicenowSimulator().tables.spec('incident')
  return {
    ...builtIn,
    columns: {
      ...builtIn.columns,
      assignment_group: { type: 'reference', reference: 'sys_user_group', label: 'Assignment group' },
    },
  }
}
