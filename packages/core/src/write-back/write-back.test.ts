import { afterEach, describe, expect, it } from 'vitest'
import type { Connector, EntityRecord } from '../connector/connector.js'
import { JunctionError } from '../errors/junction-error.js'
import { ledgerConnector } from '../testing/test-support/ledger-connector.js'
import { ledgerSimulator } from '../testing/test-support/ledger-simulator.js'
import { invalid, type Transformer, valid } from '../transform/transformer.js'
import { upsertTarget } from './upsert-target.js'
import { writeBack } from './write-back.js'
import type { WriteBackTarget } from './write-back-target.js'

const closing: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((item) => item.close()))
})

interface Score {
  leadKey: string
  score: number
}

const scores: Score[] = [
  { leadKey: 'LEAD-1', score: 91 },
  { leadKey: 'LEAD-2', score: 40 },
  { leadKey: 'LEAD-3', score: 77 },
]

function system(name: string, seed: Record<string, EntityRecord[]> = {}) {
  const sim = ledgerSimulator(seed)
  const connector = ledgerConnector({
    name,
    baseUrl: `https://${name}.test`,
    dispatcher: sim.dispatcher,
    retry: false,
  })
  closing.push(connector, sim)
  return { sim, connector }
}

const toLead = (score: Score): EntityRecord => ({
  key: score.leadKey,
  name: `Lead ${score.leadKey}`,
  score: score.score,
})

describe('writeBack', () => {
  it('writes every record to every target and reports a result per record per target', async () => {
    const crm = system('crm')
    const erp = system('erp')
    const result = await writeBack({
      records: scores,
      targets: [
        upsertTarget({ connector: crm.connector, entity: 'Lead', externalId: 'key', map: toLead }),
        upsertTarget({ connector: erp.connector, entity: 'Prospect', externalId: 'key', map: toLead }),
      ],
    })
    expect(result.ok).toBe(true)
    expect(result.targets.map((target) => [target.target, target.succeeded, target.failed])).toEqual([
      ['crm', 3, 0],
      ['erp', 3, 0],
    ])
    expect(result.targets[0]?.results.map((entry) => [entry.index, entry.ok])).toEqual([
      [0, true],
      [1, true],
      [2, true],
    ])
    expect(crm.sim.data.rows('Lead').map((row) => [row.key, row.score])).toEqual([
      ['LEAD-1', 91],
      ['LEAD-2', 40],
      ['LEAD-3', 77],
    ])
    expect(erp.sim.data.rows('Prospect')).toHaveLength(3)
  })

  it('updates instead of duplicating when the same results are written again', async () => {
    const crm = system('crm')
    const target = upsertTarget({ connector: crm.connector, entity: 'Lead', externalId: 'key', map: toLead })
    await writeBack({ records: scores, targets: [target] })
    const again = await writeBack({
      records: scores.map((score) => ({ ...score, score: 1 })),
      targets: [target],
    })
    expect(again.targets[0]?.results.map((entry) => entry.ok && entry.created)).toEqual([false, false, false])
    expect(crm.sim.data.rows('Lead').map((row) => row.score)).toEqual([1, 1, 1])
  })

  it('reports a record the system refuses as failed and still writes the others', async () => {
    const crm = system('crm')
    const result = await writeBack({
      records: scores,
      targets: [
        upsertTarget({
          connector: crm.connector,
          entity: 'Lead',
          externalId: 'key',
          map: (score: Score) => ({
            ...toLead(score),
            name: score.score < 50 ? '' : `Lead ${score.leadKey}`,
          }),
        }),
      ],
    })
    expect(result.ok).toBe(false)
    const [first, second, third] = result.targets[0]?.results ?? []
    expect(first?.ok).toBe(true)
    expect(second).toMatchObject({
      ok: false,
      index: 1,
      error: { code: 'VALIDATION_FAILED', systemCode: 'INVALID_FIELD' },
    })
    expect(third?.ok).toBe(true)
    expect(crm.sim.data.rows('Lead').map((row) => row.key)).toEqual(['LEAD-1', 'LEAD-3'])
  })

  it('fails a record its transformer refuses without sending it', async () => {
    const crm = system('crm')
    const mapping: Transformer<Score, EntityRecord> = {
      name: 'score-to-lead',
      transform: (score) =>
        score.score >= 50
          ? valid(toLead(score))
          : invalid('out_of_range', 'only scores of 50 and above are written'),
    }
    const result = await writeBack({
      records: scores,
      targets: [
        upsertTarget({
          connector: crm.connector,
          entity: 'Lead',
          externalId: 'key',
          map: mapping,
          chunkSize: 1,
        }),
      ],
    })
    expect(result.targets[0]?.results.map((entry) => (entry.ok ? 'ok' : entry.error.code))).toEqual([
      'ok',
      'VALIDATION_FAILED',
      'ok',
    ])
    expect(crm.sim.data.rows('Lead')).toHaveLength(2)
    const refused = result.targets[0]?.results[1]
    expect(refused?.ok === false && refused.error.message).toBe(
      'write-back to Lead: the record did not map (only scores of 50 and above are written)',
    )
  })

  it('fails with MALFORMED_RESPONSE a record the connector returned no result for', async () => {
    const crm = system('crm')
    const forgetful = {
      ...crm.connector,
      upsert: async (...args: Parameters<typeof crm.connector.upsert>) =>
        (await crm.connector.upsert(...args)).slice(0, 1),
    }
    const target = upsertTarget({ connector: forgetful, entity: 'Lead', externalId: 'key', map: toLead })
    const results = await target.write(scores, { signal: undefined, correlationId: undefined })
    expect(results.map((entry) => (entry.ok ? 'ok' : entry.error.code))).toEqual([
      'ok',
      'MALFORMED_RESPONSE',
      'MALFORMED_RESPONSE',
    ])
    expect(results.map((entry) => entry.index)).toEqual([0, 1, 2])
  })

  it('gives each record the error of a target that throws, and keeps the other targets results', async () => {
    const crm = system('crm')
    const broken: WriteBackTarget<Score> = {
      name: 'broken',
      write: async () => {
        throw new Error('socket hang up')
      },
    }
    const result = await writeBack({
      records: scores,
      targets: [
        broken,
        upsertTarget({ connector: crm.connector, entity: 'Lead', externalId: 'key', map: toLead }),
      ],
    })
    expect(result.targets[0]).toMatchObject({ target: 'broken', succeeded: 0, failed: 3 })
    expect(
      result.targets[0]?.results.every((entry) => !entry.ok && entry.error.code === 'WRITE_BACK_FAILED'),
    ).toBe(true)
    expect(result.targets[1]).toMatchObject({ target: 'crm', succeeded: 3, failed: 0 })
  })

  it('fails only the records of a chunk whose call failed, keeping the results of the others', async () => {
    const crm = system('crm')
    let calls = 0
    const flaky: Connector = {
      ...crm.connector,
      upsert(entity, records, options) {
        calls++
        if (calls === 1)
          return Promise.reject(new JunctionError({ code: 'CONNECTION_RESET', message: 'socket hang up' }))
        return crm.connector.upsert(entity, records, options)
      },
    }
    const result = await writeBack({
      records: [...scores, { leadKey: 'LEAD-4', score: 60 }],
      targets: [
        upsertTarget({ connector: flaky, entity: 'Lead', externalId: 'key', map: toLead, chunkSize: 2 }),
      ],
    })
    expect(result.targets[0]?.results.map((entry) => (entry.ok ? 'ok' : entry.error.code))).toEqual([
      'CONNECTION_RESET',
      'CONNECTION_RESET',
      'ok',
      'ok',
    ])
    expect(crm.sim.data.rows('Lead').map((row) => row.key)).toEqual(['LEAD-3', 'LEAD-4'])
  })

  it('fails the records a target reported no result for', async () => {
    const partial: WriteBackTarget<Score> = {
      name: 'partial',
      write: async () => [{ ok: true, index: 0, id: 'x' }],
    }
    const result = await writeBack({ records: scores, targets: [partial] })
    expect(result.targets[0]?.results.map((entry) => (entry.ok ? 'ok' : entry.error.code))).toEqual([
      'ok',
      'NO_RESULT',
      'NO_RESULT',
    ])
  })
})
