import { describe, expect, it } from 'vitest'
import { contactSchema } from '../canonical/contact.js'
import { convert } from './convert.js'
import { defineMapping } from './define-mapping.js'
import { qualityReport } from './quality-report.js'
import type { Transformer, TransformResult } from './transformer.js'

/** A small seeded generator, so a failing junk value can be reproduced. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const hostile: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'NaN',
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  1e21,
  -1e-7,
  2 ** 64,
  123456789012345678901234567890n,
  true,
  Symbol('junk'),
  () => 'fn',
  [],
  [[[]]],
  {},
  Object.create(null),
  new Date('garbage'),
  new Date(8.64e15),
  '/Date(-99999999999999999)/',
  '/Date(1709281800000+9999)/',
  'PT99H',
  '9999-99-99 99:99:99',
  '\u0000\uffff\ud800',
  'x'.repeat(100_000),
  '9'.repeat(5000),
  `1e${'9'.repeat(6)}`,
  { value: { value: 'nested' } },
  { display_value: 1, value: 2 },
  { results: 'not a list' },
  {
    toString: () => {
      throw new Error('toString')
    },
  },
  {
    get value() {
      throw new Error('getter')
    },
  },
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('proxy get')
      },
      getPrototypeOf: () => {
        throw new Error('proto')
      },
    },
  ),
  new Proxy([], {
    get: () => {
      throw new Error('proxy list')
    },
  }),
]

function junk(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * 10)
  switch (pick) {
    case 0:
      return hostile[Math.floor(next() * hostile.length)]
    case 1:
      return (next() - 0.5) * 10 ** Math.floor(next() * 40)
    case 2:
      return String.fromCharCode(
        ...Array.from({ length: Math.floor(next() * 30) }, () => Math.floor(next() * 0xffff)),
      )
    case 3:
      return `/Date(${Math.floor((next() - 0.5) * 1e17)}${next() > 0.5 ? '+' : '-'}${Math.floor(next() * 99999)})/`
    case 4:
      return `${Math.floor(next() * 10000)}-${Math.floor(next() * 20)}-${Math.floor(next() * 40)} ${Math.floor(next() * 30)}:00:00`
    case 5:
      return 'aAzZ09-_'.repeat(3).slice(0, Math.floor(next() * 20))
    case 6:
      return depth > 2 ? null : Array.from({ length: Math.floor(next() * 4) }, () => junk(next, depth + 1))
    case 7:
      return depth > 2
        ? {}
        : {
            value: junk(next, depth + 1),
            display_value: junk(next, depth + 1),
            results: junk(next, depth + 1),
          }
    case 8:
      return `${next() > 0.5 ? '-' : ''}${'0'.repeat(Math.floor(next() * 5))}${Math.floor(next() * 1e9)}.${Math.floor(next() * 1e6)}e${Math.floor((next() - 0.5) * 2000)}`
    default:
      return next() > 0.5
  }
}

const converters: Transformer<unknown, unknown>[] = [
  convert.picklist(['A', 'B']),
  convert.multiPicklist(['A', 'B'], { ignoreCase: true }),
  convert.each(convert.decimal),
  convert.sapDate({ openEnd: 'keep', edmType: 'DateTimeOffset' }),
]
for (const entry of Object.values(convert)) if (typeof entry === 'object') converters.push(entry)
const inverses = converters.flatMap((entry) => (entry.inverse ? [entry.inverse] : []))

const mapping = defineMapping({
  to: contactSchema,
  fields: {
    sourceIds: { salesforce: ['Id', convert.salesforceId] },
    name: ['Name', convert.snValue, convert.trim],
    email: ['Email', convert.email],
    updatedAt: ['Changed', convert.sapDateTime],
    address: { postcode: (r) => (r.Address as { Zip: string }).Zip.trim() },
  },
  inverse: {},
})

function wellFormed(result: TransformResult<unknown>): boolean {
  if (result.ok) return true
  return (
    result.issues.length > 0 &&
    result.issues.every(
      (issue) =>
        typeof issue.code === 'string' && typeof issue.message === 'string' && Array.isArray(issue.path),
    )
  )
}

function neverThrows(transformer: Transformer<unknown, unknown>, values: readonly unknown[]): void {
  for (const value of values) {
    let result: TransformResult<unknown> | undefined
    expect(() => {
      result = transformer.transform(value)
    }, `${transformer.name} threw`).not.toThrow()
    expect(result && wellFormed(result), `${transformer.name} returned a malformed result`).toBe(true)
  }
}

describe('converters on empty values', () => {
  it('typed converters answer "" and null with an issue, never a made-up value', () => {
    const typed = [
      convert.decimal,
      convert.int64,
      convert.integer,
      convert.boolean,
      convert.guid,
      convert.email,
    ]
    const dates = [
      convert.sapDateTime,
      convert.sapTime,
      convert.snDateTime,
      convert.snDate,
      convert.sfDate,
      convert.sfDateTime,
    ]
    for (const entry of [...typed, ...dates, convert.salesforceId, convert.sysId, convert.picklist(['A'])]) {
      for (const empty of ['', null]) {
        expect(entry.transform(empty).ok, `${entry.name}(${JSON.stringify(empty)})`).toBe(false)
      }
    }
  })
})

describe('converters and mappings on junk', () => {
  const next = random(20261124)
  const values = [...hostile, ...Array.from({ length: 400 }, () => junk(next))]

  it('every converter returns a value or issues for hostile and random values, never a throw', () => {
    expect(converters).toHaveLength(25)
    for (const entry of converters) neverThrows(entry, values)
  })

  it('every converter inverse does the same', () => {
    for (const entry of inverses) neverThrows(entry, values)
  })

  it('a mapping and its inverse never throw on junk records', () => {
    const records = values.map((value) => ({
      Id: value,
      Name: value,
      Email: value,
      Changed: value,
      Address: value,
    }))
    neverThrows(mapping, [...values, ...records])
    neverThrows(mapping.inverse, [...values, ...records])
  })

  it('a quality report over junk results is still plain JSON', () => {
    const results = values.map((value) => mapping.transform({ Name: value, Email: value }))
    const report = qualityReport(results, { keys: ['email'] })
    expect(report.records.total).toBe(values.length)
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })
})
