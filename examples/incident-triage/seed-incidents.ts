import type { EntityRecord } from '@junction/core'
import { ASSIGNMENT_GROUPS, type AssignmentGroup } from './classifier.js'

/** A seeded incident and the group a correct triage sends it to (`undefined`: left alone). */
export interface SeedIncident {
  number: string
  short_description: string
  description: string
  /** The group a person already assigned, which triage must leave alone. */
  assignedBy?: { group: AssignmentGroup; user: string }
  expected: AssignmentGroup | undefined
}

/** The incidents the simulated instance starts with. */
export const SEED_INCIDENTS: readonly SeedIncident[] = [
  {
    number: 'INC0010001',
    short_description: 'VPN drops every ten minutes',
    description: 'Home office, since the client update.',
    expected: 'Network',
  },
  {
    number: 'INC0010002',
    short_description: 'Laptop battery swollen',
    description: 'The touchpad is lifting.',
    expected: 'Hardware',
  },
  {
    number: 'INC0010003',
    short_description: 'Account locked after password change',
    description: 'Cannot log in anywhere.',
    expected: 'Identity and Access',
  },
  {
    number: 'INC0010004',
    short_description: 'Outlook keeps asking for the mailbox password',
    description: '',
    expected: 'Email and Collaboration',
  },
  {
    number: 'INC0010005',
    short_description: 'Reporting database deadlocks at night',
    description: 'SQL jobs fail with deadlock errors.',
    expected: 'Database',
  },
  {
    number: 'INC0010006',
    short_description: 'Printer on floor 3 out of toner',
    description: '',
    expected: 'Hardware',
  },
  {
    number: 'INC0010007',
    short_description: 'Wi-Fi in meeting room B is slow',
    description: 'High latency on every call.',
    expected: 'Network',
  },
  {
    number: 'INC0010008',
    short_description: 'MFA prompt never arrives',
    description: 'SSO sign-in stuck.',
    expected: 'Identity and Access',
  },
  {
    number: 'INC0010009',
    short_description: 'Coffee machine makes a strange noise',
    description: '',
    expected: 'Service Desk',
  },
  {
    number: 'INC0010010',
    short_description: 'Teams calendar invites missing',
    description: 'Email invites arrive, the calendar stays empty.',
    expected: 'Email and Collaboration',
  },
  {
    number: 'INC0010011',
    short_description: 'Postgres replication lag on the orders cluster',
    description: '',
    expected: 'Database',
  },
  {
    number: 'INC0010012',
    short_description: 'DNS does not resolve intranet names',
    description: 'Firewall change last night?',
    expected: 'Network',
  },
  {
    number: 'INC0010013',
    short_description: 'Oracle tablespace full',
    description: 'Already with the DBA team.',
    assignedBy: { group: 'Database', user: 'beth.anglin' },
    expected: undefined,
  },
  {
    number: 'INC0010014',
    short_description: 'Second monitor flickers',
    description: 'Only when docked; new dock.',
    expected: 'Hardware',
  },
]

/** `sys_user_group` rows for every group the model routes to, with stable sys_ids. */
export function groupRows(): EntityRecord[] {
  return ASSIGNMENT_GROUPS.map((name, index) => ({
    sys_id: `${String(index + 1).padStart(2, '0')}${'a'.repeat(30)}`,
    name,
    description: `${name} resolver group`,
  }))
}
