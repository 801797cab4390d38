import type { Connector, EntityRecord } from '@junction/core'
import { mswDispatcher } from '@junction/core/testing'
import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { salesforce } from './index.js'
import {
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  salesforceSimulator,
} from './testing/index.js'

const opened: Array<Connector | SalesforceSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: SalesforceSimulatorOptions = {}, connector: { queryConcurrency?: number } = {}) {
  const sim = salesforceSimulator(options)
  const paths: string[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    paths.push(`${request.method} ${request.path}`)
    return dispatch(request, handler)
  })
  const crm = salesforce({ auth: sim.auth, dispatcher, ...connector })
  opened.push(crm, sim)
  return { sim, crm, paths }
}

async function collect(iterable: AsyncIterable<EntityRecord>): Promise<EntityRecord[]> {
  const records: EntityRecord[] = []
  for await (const record of iterable) records.push(record)
  return records
}

const ORG = {
  records: {
    Account: [
      {
        Name: 'Acme',
        Industry: 'Banking',
        NumberOfEmployees: 120,
        ExtId__c: 'A-1',
        SLAExpirationDate__c: '2024-12-31',
      },
      {
        Name: 'Globex',
        Industry: 'Energy',
        NumberOfEmployees: 40,
        ExtId__c: 'A-2',
        SLAExpirationDate__c: '2024-03-01',
      },
      {
        Name: '50% off_sale',
        Industry: null,
        NumberOfEmployees: 5,
        ExtId__c: 'A-3',
        SLAExpirationDate__c: null,
      },
    ],
  },
  fields: { Account: { ExtId__c: { externalId: true }, SLAExpirationDate__c: { type: 'date' as const } } },
}

describe('salesforce reads', () => {
  it('filters with comparisons, IN, NOT IN and null through the builder', async () => {
    const { crm } = setUp(ORG)
    const names = async (where: Record<string, unknown>) =>
      (
        await collect(
          crm.query('Account', { select: ['Name'], where: where as never, orderBy: [{ field: 'Name' }] }),
        )
      ).map((record) => record.Name)
    expect(await names({ NumberOfEmployees: { gte: 40 } })).toEqual(['Acme', 'Globex'])
    expect(await names({ Industry: { in: ['Energy', 'Retail'] } })).toEqual(['Globex'])
    expect(await names({ Industry: { notIn: ['Energy'] }, NumberOfEmployees: { lt: 100 } })).toEqual([
      '50% off_sale',
    ])
    expect(await names({ Industry: null })).toEqual(['50% off_sale'])
    expect(await names({ Industry: { ne: null } })).toEqual(['Acme', 'Globex'])
  })

  it('matches % and _ literally in startsWith, and as wildcards in like', async () => {
    const { crm } = setUp(ORG)
    const literal = await collect(
      crm.query('Account', { select: ['Name'], where: { Name: { startsWith: '50%' } } }),
    )
    const none = await collect(
      crm.query('Account', { select: ['Name'], where: { Name: { contains: 'o_f' } } }),
    )
    const wildcard = await collect(
      crm.query('Account', { select: ['Name'], where: { Name: { like: 'G_obe%' } } }),
    )
    expect(literal).toEqual([{ Name: '50% off_sale' }])
    expect(none).toEqual([])
    expect(wildcard).toEqual([{ Name: 'Globex' }])
  })

  it('compares a Date with a date field as a date literal, learning the type from describe', async () => {
    const { crm } = setUp(ORG)
    const found = await collect(
      crm.query('Account', {
        select: ['Name'],
        where: { SLAExpirationDate__c: { gt: new Date('2024-06-01T00:00:00Z') } },
      }),
    )
    expect(found).toEqual([{ Name: 'Acme' }])
  })

  it('reads parent fields through a relationship, null when there is no parent', async () => {
    const sim = salesforceSimulator({ records: { Account: [{ Name: 'Parent Co' }] } })
    const [parent] = sim.org.records('Account')
    sim.org.insert('Contact', { LastName: 'Lee', AccountId: parent?.Id })
    sim.org.insert('Contact', { LastName: 'Orphan' })
    const crm = salesforce({ auth: sim.auth, dispatcher: sim.dispatcher })
    opened.push(crm, sim)

    const contacts = await collect(
      crm.query('Contact', { select: ['LastName', 'Account.Name'], orderBy: [{ field: 'LastName' }] }),
    )

    expect(contacts).toEqual([
      { LastName: 'Lee', Account: { Name: 'Parent Co' } },
      { LastName: 'Orphan', Account: null },
    ])
  })

  it('asks for the page size as a batchSize hint and follows every nextRecordsUrl', async () => {
    const { crm, paths } = setUp({
      records: { Account: Array.from({ length: 650 }, (_, index) => ({ Name: `A${index}` })) },
    })
    const records = await collect(crm.query('Account', { select: ['Name'], pageSize: 250 }))
    expect(records).toHaveLength(650)
    expect(paths.filter((path) => path.includes('/query'))).toHaveLength(3)
  })

  it('stops requesting pages when the caller stops reading', async () => {
    const { crm, paths } = setUp(
      { records: { Account: Array.from({ length: 5000 }, (_, index) => ({ Name: `A${index}` })) } },
      { queryConcurrency: 1 },
    )
    for await (const record of crm.query('Account', { select: ['Name'] })) {
      if (record.Name === 'A10') break
    }
    // The first page and the one fetched ahead of the loop, no more.
    expect(paths.filter((path) => path.includes('/query')).length).toBeLessThanOrEqual(2)
  })

  it('sees soft-deleted rows only through queryAll', async () => {
    const { sim, crm } = setUp(ORG)
    const [first] = sim.org.records('Account')
    await crm.delete('Account', [String(first?.Id)])
    const live = await collect(crm.query('Account', { select: ['Name'] }))
    const all = await collect(
      crm.queryAll('Account', { select: ['Name', 'IsDeleted'], where: { IsDeleted: true } }),
    )
    expect(live.map((record) => record.Name)).not.toContain('Acme')
    expect(all).toEqual([{ Name: 'Acme', IsDeleted: true }])
  })

  it('counts with SELECT COUNT()', async () => {
    const { crm } = setUp(ORG)
    expect(await crm.count('Account', { where: { NumberOfEmployees: { gt: 10 } } })).toBe(2)
    expect(await crm.count('Account')).toBe(3)
  })

  it('gets a record by external id, undefined when none matches', async () => {
    const { crm } = setUp(ORG)
    expect(await crm.getByExternalId('Account', 'ExtId__c', 'a-2')).toMatchObject({ Name: 'Globex' })
    expect(await crm.getByExternalId('Account', 'ExtId__c', 'nope')).toBeUndefined()
  })

  it('reports several records with the external id as a MULTIPLE_CHOICES conflict', async () => {
    const { crm } = setUp({
      records: {
        Account: [
          { Name: 'a', ExtId__c: 'dup' },
          { Name: 'b', ExtId__c: 'DUP' },
        ],
      },
      fields: ORG.fields,
    })
    await expect(crm.getByExternalId('Account', 'ExtId__c', 'dup')).rejects.toMatchObject({
      code: 'CONFLICT',
      systemCode: 'MULTIPLE_CHOICES',
      status: 300,
    })
  })

  it('counts with a raw statement and bound parameters', async () => {
    const { crm } = setUp(ORG)
    const count = await crm.count('Account', {
      raw: { text: 'SELECT COUNT() FROM Account WHERE Industry = :industry', params: { industry: 'Energy' } },
    })
    expect(count).toBe(1)
  })

  it('gets a record by its 15-character id', async () => {
    const { sim, crm } = setUp(ORG)
    const [first] = sim.org.records('Account')
    expect(await crm.get('Account', String(first?.Id).slice(0, 15))).toMatchObject({
      Id: first?.Id,
      Name: 'Acme',
    })
  })

  it('caches describe: one request for many calls', async () => {
    const { crm, paths } = setUp(ORG)
    const [first, second] = await Promise.all([crm.describe('Account'), crm.describe('account')])
    await crm.describe('Account')
    expect(first.fields.find((field) => field.name === 'ExtId__c')).toMatchObject({ externalId: true })
    expect(second).toBe(first)
    expect(paths.filter((path) => path.endsWith('/describe'))).toHaveLength(1)
  })

  it('answers a query the simulator cannot parse with MALFORMED_QUERY pointing at the column', async () => {
    const { crm } = setUp(ORG)
    const error = await collect(crm.query('Account', { raw: { text: 'SELECT Id FRM Account' } })).catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', systemCode: 'MALFORMED_QUERY' })
    expect(String((error as Error).message)).toContain('ERROR at Row:1:Column:11')
  })

  it('names an unknown field with INVALID_FIELD', async () => {
    const { crm } = setUp(ORG)
    const error = await collect(crm.query('Account', { select: ['Nope__c'] })).catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ systemCode: 'INVALID_FIELD', status: 400 })
  })

  it('names the client in Sforce-Call-Options on every API call', async () => {
    const sim = salesforceSimulator(ORG)
    const seen: string[] = []
    const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
      if (!request.path.includes('oauth2')) seen.push(JSON.stringify(request.headers).toLowerCase())
      return dispatch(request, handler)
    })
    const crm = salesforce({ auth: sim.auth, dispatcher, clientName: 'LeadScorer' })
    opened.push(crm, sim)
    await crm.count('Account')
    await crm.create('Account', [{ Name: 'x' }, { Name: 'y' }])
    expect(seen).toHaveLength(2)
    expect(seen.every((headers) => headers.includes('client=leadscorer'))).toBe(true)
  })

  it('reads the org limits', async () => {
    const { crm } = setUp({ dailyApiLimit: 500 })
    const limits = await crm.limits()
    expect(limits.DailyApiRequests).toEqual({ Max: 500, Remaining: 499 })
  })
})

describe('salesforce reads with pages asked for ahead', () => {
  const accounts = (count: number) => Array.from({ length: count }, (_, index) => ({ Name: `A${index}` }))

  it('reads every record once and in order with pages asked for by locator', async () => {
    const { crm, paths } = setUp({ records: { Account: accounts(6500) } }, { queryConcurrency: 3 })
    const records = await collect(crm.query('Account', { select: ['Name'], orderBy: [{ field: 'Name' }] }))
    const expected = accounts(6500)
      .map((account) => account.Name)
      .sort()
    expect(records.map((record) => record.Name)).toEqual(expected)
    // 2,000 + 2,000 + 2,000 + 500: four pages, none asked for twice.
    expect(paths.filter((path) => path.includes('/query'))).toHaveLength(4)
  })

  it('has the page after next asked for before the next page has arrived', async () => {
    const sim = salesforceSimulator()
    const page = (offset: number) => ({
      totalSize: 6000,
      done: offset === 4000,
      ...(offset === 4000 ? {} : { nextRecordsUrl: `/services/data/v62.0/query/01gAHEAD-${offset + 2000}` }),
      records: Array.from({ length: 2000 }, (_, index) => ({
        attributes: { type: 'Account', url: 'x' },
        Name: `A${offset + index}`,
      })),
    })
    let thirdAsked: () => void = () => {}
    const third = new Promise<void>((resolve) => {
      thirdAsked = resolve
    })
    const handlers = [
      http.get('*/services/data/v62.0/query/01gAHEAD-2000', async () => {
        // Read link by link, the third page would not be asked for until this one is answered.
        const ahead = await Promise.race([
          third.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(resolve, 2_000, false)),
        ])
        return ahead ? HttpResponse.json(page(2000)) : new HttpResponse('not asked ahead', { status: 500 })
      }),
      http.get('*/services/data/v62.0/query/01gAHEAD-4000', () => {
        thirdAsked()
        return HttpResponse.json(page(4000))
      }),
      http.get('*/services/data/v62.0/query', () => HttpResponse.json(page(0))),
    ]
    const dispatcher = mswDispatcher([...handlers, ...sim.handlers])
    const crm = salesforce({ auth: sim.auth, dispatcher, queryConcurrency: 2, retry: { maxRetries: 0 } })
    opened.push(crm, sim)

    expect(await collect(crm.query('Account', { select: ['Name'] }))).toHaveLength(6000)
    await dispatcher.destroy()
  })

  it('asks for no page past the caller limit', async () => {
    const { crm, paths } = setUp({ records: { Account: accounts(9000) } }, { queryConcurrency: 4 })
    const records = await collect(crm.query('Account', { select: ['Name'], limit: 3000 }))
    expect(records).toHaveLength(3000)
    expect(paths.filter((path) => path.includes('/query'))).toHaveLength(2)
  })

  it('follows the links when pages come back smaller than the first, keeping every record once', async () => {
    // Locators in the observed format, but the second page holds 1,000 rows where 2,000 were expected,
    // so the page asked for ahead (`-4000`) is not the one the links lead to (`-3000`).
    const sim = salesforceSimulator()
    const page = (from: number, to: number, next: number | undefined) => ({
      totalSize: 5000,
      done: next === undefined,
      ...(next === undefined ? {} : { nextRecordsUrl: `/services/data/v62.0/query/01gUNEVEN-${next}` }),
      records: Array.from({ length: to - from }, (_, index) => ({
        attributes: { type: 'Account', url: 'x' },
        Name: `A${from + index}`,
      })),
    })
    const asked: string[] = []
    const pages: Record<string, ReturnType<typeof page>> = {
      '2000': page(2000, 3000, 3000),
      '3000': page(3000, 5000, undefined),
      '4000': page(4000, 5000, undefined),
    }
    const handlers = [
      http.get('*/services/data/v62.0/query/:locator', ({ params }) => {
        const offset = String(params.locator).split('-')[1] ?? ''
        asked.push(offset)
        const answer = pages[offset]
        return answer === undefined ? new HttpResponse(null, { status: 404 }) : HttpResponse.json(answer)
      }),
      http.get('*/services/data/v62.0/query', () => HttpResponse.json(page(0, 2000, 2000))),
    ]
    const dispatcher = mswDispatcher([...handlers, ...sim.handlers])
    const crm = salesforce({ auth: sim.auth, dispatcher, queryConcurrency: 2 })
    opened.push(crm, sim)

    const names = (await collect(crm.query('Account', { select: ['Name'] }))).map((record) => record.Name)

    expect(names).toEqual(Array.from({ length: 5000 }, (_, index) => `A${index}`))
    expect(asked.sort()).toEqual(['2000', '3000', '4000'])
    await dispatcher.destroy()
  })

  it('asks for nothing ahead when the locator is not in the observed format', async () => {
    const sim = salesforceSimulator()
    const asked: string[] = []
    const record = (name: string) => ({ attributes: { type: 'Account', url: 'x' }, Name: name })
    const handlers = [
      http.get('*/services/data/v62.0/query/:locator', ({ params }) => {
        asked.push(String(params.locator))
        return HttpResponse.json({ totalSize: 3, done: true, records: [record('C')] })
      }),
      http.get('*/services/data/v62.0/query', () =>
        HttpResponse.json({
          totalSize: 3,
          done: false,
          nextRecordsUrl: '/services/data/v62.0/query/opaqueCursorToken',
          records: [record('A'), record('B')],
        }),
      ),
    ]
    const dispatcher = mswDispatcher([...handlers, ...sim.handlers])
    const crm = salesforce({ auth: sim.auth, dispatcher, queryConcurrency: 4 })
    opened.push(crm, sim)

    const names = (await collect(crm.query('Account', { select: ['Name'] }))).map((item) => item.Name)

    expect(names).toEqual(['A', 'B', 'C'])
    expect(asked).toEqual(['opaqueCursorToken'])
    await dispatcher.destroy()
  })
})

describe('salesforce subqueries', () => {
  it('reads the further pages of a subquery before handing out its record', async () => {
    // The simulator does not run subqueries, so an msw handler answers this query the way Salesforce does.
    const sim = salesforceSimulator()
    const contact = (name: string) => ({ attributes: { type: 'Contact', url: 'x' }, LastName: name })
    const subquery = http.get('*/services/data/v62.0/query', () =>
      HttpResponse.json({
        totalSize: 1,
        done: true,
        records: [
          {
            attributes: { type: 'Account', url: 'x' },
            Name: 'Acme',
            Contacts: {
              totalSize: 3,
              done: false,
              nextRecordsUrl: '/services/data/v62.0/query/01gCHILD-2',
              records: [contact('A'), contact('B')],
            },
          },
        ],
      }),
    )
    const childPage = http.get('*/services/data/v62.0/query/01gCHILD-2', () =>
      HttpResponse.json({ totalSize: 3, done: true, records: [contact('C')] }),
    )
    const dispatcher = mswDispatcher([childPage, subquery, ...sim.handlers])
    const crm = salesforce({ auth: sim.auth, dispatcher })
    opened.push(crm, sim)

    const records = await collect(
      crm.query('Account', { raw: { text: 'SELECT Name, (SELECT LastName FROM Contacts) FROM Account' } }),
    )

    expect(records).toEqual([
      {
        Name: 'Acme',
        Contacts: {
          totalSize: 3,
          done: true,
          records: [{ LastName: 'A' }, { LastName: 'B' }, { LastName: 'C' }],
        },
      },
    ])
    await dispatcher.destroy()
  })
})
