import type { SystemRef } from '@junction/core'
import type { Customer360Report } from './customer-360-report.js'
import type { MergedCustomer, MergedField } from './identity/merged-customer.js'
import type { Claimant } from './identity/resolve-identities.js'

const SYSTEMS = ['salesforce', 'sap', 'servicenow'] as const

const ref = (value: SystemRef): string => `${value.system} ${value.id}`

const address = (customer: MergedCustomer['customer']): string | undefined => {
  const parts = customer.billingAddress
  if (parts === undefined) return undefined
  return [parts.street, parts.city, parts.postcode, parts.country].filter(Boolean).join(', ')
}

const fieldValue = (customer: MergedCustomer['customer'], field: MergedField): string | undefined =>
  field === 'billingAddress' ? address(customer) : customer[field]

const LABELS: Readonly<Record<MergedField, string>> = {
  name: 'name',
  legalName: 'legal name',
  taxId: 'tax id',
  duns: 'DUNS',
  phone: 'phone',
  website: 'website',
  billingAddress: 'address',
}

const claimantText = (report: Customer360Report, claimant: Claimant | undefined): string => {
  if (claimant === undefined) return 'no entity'
  const named = report.customers.find((customer) => customer.canonicalId === claimant.canonicalId)
  if (named === undefined) return `${claimant.canonicalId} (${claimant.links.map(ref).join(', ')})`
  const ids = SYSTEMS.flatMap((system) =>
    named.ids[system] === undefined ? [] : [`${system} ${named.ids[system]}`],
  )
  return `${named.customer.name} (${ids.join(', ')})`
}

/** The report as text: the merged view, the explanation of each link, the conflicts. */
export function formatReport(report: Customer360Report): string[] {
  const lines: string[] = []
  const spread = [1, 2, 3].map(
    (count) => report.customers.filter((customer) => Object.keys(customer.ids).length === count).length,
  )
  lines.push(
    `Customer 360: Salesforce ${report.urls.salesforce}, SAP ${report.urls.sap}, ServiceNow ${report.urls.servicenow}; identity links in ${report.store}`,
    `read: ${report.read.salesforce} Salesforce accounts, ${report.read.sap} SAP business partners, ${report.read.servicenow} ServiceNow companies`,
  )
  for (const refused of report.refused) {
    const issues = refused.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    lines.push(`  refused ${ref(refused.ref)}: ${issues.join('; ')}`)
  }

  lines.push(
    '',
    `merged view: ${report.customers.length} customers (${spread[2]} in three systems, ${spread[1]} in two, ${spread[0]} in one)`,
  )
  for (const merged of report.customers) {
    const ids = SYSTEMS.map((system) => `${system} ${merged.ids[system] ?? '-'}`).join(' | ')
    lines.push(`  ${merged.customer.name}  [${merged.canonicalId}]`, `    ids: ${ids}`)
    const fields = (Object.keys(LABELS) as MergedField[]).flatMap((field) => {
      const value = fieldValue(merged.customer, field)
      const source = merged.sources[field]
      return value === undefined || source === undefined
        ? []
        : [`${LABELS[field]} "${value}" (${source.system})`]
    })
    lines.push(`    ${fields.join(' · ')}`)
  }

  lines.push('', `links: ${report.links.length} matches acted on, strongest first`)
  for (const link of report.links) {
    const rules = link.match.explanations.map(
      (explanation) =>
        `${explanation.rule} ${explanation.confidence} [${explanation.compared[0]} = ${explanation.compared[1]}]` +
        (explanation.similarity === undefined ? '' : ` similarity ${explanation.similarity}`),
    )
    lines.push(
      `  ${ref(link.match.a)} ↔ ${ref(link.match.b)}  ${link.match.confidence}  ${link.outcome}: ${rules.join(' + ')}`,
    )
  }

  lines.push('', `conflicts: ${report.conflicts.length}`)
  for (const conflict of report.conflicts) {
    const evidence = conflict.match.explanations
      .map((explanation) => `${explanation.rule} ${explanation.compared[0]} (${explanation.confidence})`)
      .join(' + ')
    lines.push(
      conflict.kind === 'held-by-another-entity'
        ? `  ${ref(conflict.contested)} is claimed by ${claimantText(report, conflict.claimedBy)} ` +
            `(match ${ref(conflict.match.a)} ↔ ${ref(conflict.match.b)} on ${evidence}), ` +
            `but held by ${claimantText(report, conflict.heldBy)} on stronger evidence: not merged`
        : `  ${ref(conflict.contested)} matches ${claimantText(report, conflict.claimedBy)} on ${evidence}, ` +
            `which already holds a ${conflict.contested.system} record: not merged`,
    )
  }
  for (const ambiguous of report.ambiguous) {
    lines.push(`  ambiguous: ${ref(ambiguous.ref)} matched ${ambiguous.candidates.map(ref).join(' and ')}`)
  }

  lines.push(
    '',
    `matching compared ${report.stats.comparisons} candidate pairs instead of ${report.stats.crossProduct}; ` +
      `${report.stats.linkChanges} link changes, ${report.stats.auditEvents} identity audit events`,
  )
  return lines
}
