import { type EntityRecord, ValidationError } from '@junction/core'
import type { LeadFeatures } from './lead-model.js'

/** The Lead fields the scoring job selects: the model's inputs, the record's keys. */
export const FEATURE_FIELDS = [
  'Id',
  'ScoreKey__c',
  'NumberOfEmployees',
  'AnnualRevenue',
  'LeadSource',
  'Title',
  'Industry',
  'Email',
] as const

const text = (record: EntityRecord, field: string): string | null => {
  const value = record[field]
  if (value === null || value === undefined || value === '') return null
  if (typeof value !== 'string') throw badField(record, field, 'a string')
  return value
}

const number = (record: EntityRecord, field: string): number | null => {
  const value = record[field]
  if (value === null || value === undefined) return null
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badField(record, field, 'a number')
  return value
}

const badField = (record: EntityRecord, field: string, expected: string): ValidationError =>
  new ValidationError({
    message: `lead ${String(record.Id)}: ${field} should be ${expected}`,
    entity: 'Lead',
    details: [{ path: [field], problem: `expected ${expected}` }],
  })

/** A Salesforce Lead's fields as the model's input; a field of the wrong type is a `ValidationError`. */
export function leadFeatures(record: EntityRecord): LeadFeatures {
  return {
    employees: number(record, 'NumberOfEmployees'),
    annualRevenue: number(record, 'AnnualRevenue'),
    leadSource: text(record, 'LeadSource'),
    title: text(record, 'Title'),
    industry: text(record, 'Industry'),
    email: text(record, 'Email'),
  }
}
