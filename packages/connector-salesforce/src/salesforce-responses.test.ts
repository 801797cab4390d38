import { describe, expect, it } from 'vitest'
import { toRecord } from './salesforce-responses.js'

const attributes = (type: string) => ({ type, url: `/services/data/v62.0/sobjects/${type}/x` })

describe('toRecord', () => {
  it('drops attributes from the record and from nested parent records', () => {
    expect(
      toRecord({
        attributes: attributes('Contact'),
        LastName: 'Lee',
        Account: { attributes: attributes('Account'), Name: 'Acme' },
      }),
    ).toEqual({ LastName: 'Lee', Account: { Name: 'Acme' } })
  })

  it('keeps a subquery envelope and drops attributes from its records', () => {
    const record = toRecord({
      attributes: attributes('Account'),
      Name: 'Acme',
      Contacts: {
        totalSize: 3,
        done: false,
        nextRecordsUrl: '/services/data/v62.0/query/01gxx-2',
        records: [{ attributes: attributes('Contact'), LastName: 'A' }],
      },
    })
    expect(record).toEqual({
      Name: 'Acme',
      Contacts: {
        totalSize: 3,
        done: false,
        nextRecordsUrl: '/services/data/v62.0/query/01gxx-2',
        records: [{ LastName: 'A' }],
      },
    })
  })

  it('leaves null relationships and plain values alone', () => {
    expect(toRecord({ attributes: attributes('Contact'), Account: null, Tags: ['a'], Count: 2 })).toEqual({
      Account: null,
      Tags: ['a'],
      Count: 2,
    })
  })
})
