import { describe, expect, it } from 'vitest'
import { contactSchema } from '../canonical/contact.js'
import { convert } from './convert.js'
import { defineMapping } from './define-mapping.js'
import { qualityReport } from './quality-report.js'

const contactFromCrm = defineMapping({
  to: contactSchema,
  fields: {
    name: 'Name',
    email: ['Email', convert.email],
    phone: 'Phone',
    address: { postcode: ['Zip', convert.trim] },
  },
})

// 10 records: e-mail missing in 4 (40%), phone in 2, postcode in 2, name in 1 (which fails the record);
// one invalid e-mail (fails too); two pairs of duplicate e-mails once normalized.
const batch = [
  { Name: 'Ann', Email: 'a@x.com', Phone: '1', Zip: 'N1' },
  { Name: 'Bob', Email: '', Phone: '2', Zip: 'N2' },
  { Name: 'Cat', Email: ' A@X.com ', Phone: '', Zip: '' },
  { Name: '', Email: 'd@x.com', Phone: '4', Zip: 'N4' },
  { Name: 'Eve', Email: null, Phone: '5', Zip: 'N5' },
  { Name: 'Fay', Email: 'not-an-email', Phone: '6', Zip: 'N6' },
  { Name: 'Gus', Email: 'g@x.com', Phone: null, Zip: 'N7' },
  { Name: 'Hal', Email: '   ', Phone: '8', Zip: null },
  { Name: 'Ivy', Email: 'g@x.com', Phone: '9', Zip: 'N9' },
  { Name: 'Jon', Phone: '10', Zip: 'N10' },
]
const results = batch.map((record) => contactFromCrm.transform(record))

describe('qualityReport', () => {
  it('counts records that transformed, failed and came through clean', () => {
    expect(qualityReport(results).records).toEqual({ total: 10, ok: 8, failed: 2, clean: 2 })
  })

  it('gives the missing-value count and rate per field', () => {
    expect(qualityReport(results).missing).toEqual({
      'address.postcode': { count: 2, rate: 0.2 },
      email: { count: 4, rate: 0.4 },
      name: { count: 1, rate: 0.1 },
      phone: { count: 2, rate: 0.2 },
    })
  })

  it('counts invalid values by field and by code', () => {
    expect(qualityReport(results).invalid).toEqual({
      byField: { email: { invalid_format: 1 } },
      byCode: { invalid_format: 1 },
    })
  })

  it('finds duplicates by key fields, ignoring case and surrounding spaces', () => {
    expect(qualityReport(results, { keys: ['email'] }).duplicates).toEqual({
      groups: 2,
      records: 2,
      unkeyed: 4,
      examples: [{ indexes: [0, 2] }, { indexes: [6, 8] }],
    })
  })

  it('finds duplicates by a key function', () => {
    // Postcode area: six of the records that transformed start with "N"; two have no postcode.
    const report = qualityReport(results, { keys: (contact) => contact.address?.postcode?.charAt(0) })
    expect(report.duplicates).toMatchObject({ groups: 1, records: 5, unkeyed: 2 })
  })

  it('treats a key function that throws as no key', () => {
    const report = qualityReport(results, {
      keys: () => {
        throw new Error('bad key')
      },
    })
    expect(report.duplicates).toMatchObject({ groups: 0, unkeyed: 8 })
  })

  it('limits the listed duplicate groups but not the counts', () => {
    const report = qualityReport(results, { keys: ['email'], maxDuplicateGroups: 1 })
    expect(report.duplicates).toMatchObject({ groups: 2, examples: [{ indexes: [0, 2] }] })
  })

  it('lists the requested fields even when nothing is missing', () => {
    expect(qualityReport([], { fields: contactFromCrm.fields }).missing).toEqual({
      'address.postcode': { count: 0, rate: 0 },
      email: { count: 0, rate: 0 },
      name: { count: 0, rate: 0 },
      phone: { count: 0, rate: 0 },
    })
  })

  it('is plain JSON', () => {
    const report = qualityReport(results, { keys: ['email'] })
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })
})

describe('qualityReport on nested lists', () => {
  it('folds list positions so one field is one row', () => {
    const results = [
      {
        ok: false as const,
        issues: [{ path: ['lines', 0, 'quantity'], code: 'invalid_format', message: 'x' }],
      },
      {
        ok: false as const,
        issues: [{ path: ['lines', 3, 'quantity'], code: 'invalid_format', message: 'x' }],
      },
    ]
    expect(qualityReport(results).invalid.byField).toEqual({ 'lines.*.quantity': { invalid_format: 2 } })
  })
})
