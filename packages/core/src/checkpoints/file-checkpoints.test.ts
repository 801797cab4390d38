import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkpointStoreContract } from '../testing/checkpoint-store-contract.js'
import { fileCheckpoints } from './file-checkpoints.js'

const root = await mkdtemp(join(tmpdir(), 'junction-checkpoints-'))
let directories = 0
const nextDirectory = () => join(root, String(directories++))
afterAll(() => rm(root, { recursive: true, force: true }))

checkpointStoreContract('fileCheckpoints', () => fileCheckpoints(nextDirectory()))

describe('fileCheckpoints', () => {
  it('keeps a checkpoint across instances, as a restarted process would find it', async () => {
    const directory = nextDirectory()
    await fileCheckpoints(directory).save('crm:Lead', { cursor: 'c-7', savedAt: new Date(0), records: 7 })
    expect((await fileCheckpoints({ directory }).load('crm:Lead'))?.cursor).toBe('c-7')
  })

  it('writes one readable JSON file per key and leaves no temporary file behind', async () => {
    const directory = nextDirectory()
    const store = fileCheckpoints(directory)
    await store.save('crm:Lead', { cursor: 'c-1', savedAt: new Date('2026-11-24T10:00:00.000Z'), records: 1 })
    expect(await readdir(directory)).toEqual(['crm%3ALead.json'])
    expect(JSON.parse(await readFile(join(directory, 'crm%3ALead.json'), 'utf8'))).toEqual({
      cursor: 'c-1',
      savedAt: { $date: '2026-11-24T10:00:00.000Z' },
      records: 1,
    })
  })

  it('ends racing saves with one whole checkpoint, never a torn file', async () => {
    const directory = nextDirectory()
    const store = fileCheckpoints(directory)
    const cursors = Array.from({ length: 25 }, (_, index) => `cursor-${index}-${'x'.repeat(4_000)}`)
    await Promise.all(
      cursors.map((cursor) => store.save('crm:Lead', { cursor, savedAt: new Date(0), records: 1 })),
    )
    expect(cursors).toContain((await store.load('crm:Lead'))?.cursor)
    expect(await readdir(directory)).toEqual(['crm%3ALead.json'])
  })

  it('ignores a temporary file left by a crash in the middle of a save', async () => {
    const directory = nextDirectory()
    const store = fileCheckpoints(directory)
    await store.save('crm:Lead', { cursor: 'committed', savedAt: new Date(0), records: 1 })
    await writeFile(join(directory, 'crm%3ALead.json.0000.tmp'), '{"cursor":"torn')
    expect((await store.load('crm:Lead'))?.cursor).toBe('committed')
  })

  it('reports a checkpoint file that is not JSON as a ValidationError', async () => {
    const directory = nextDirectory()
    const store = fileCheckpoints(directory)
    await store.save('crm:Lead', { cursor: 'c', savedAt: new Date(0), records: 1 })
    await writeFile(join(directory, 'crm%3ALead.json'), 'garbage')
    await expect(store.load('crm:Lead')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })

  it('rejects an empty directory with a ConfigError', () => {
    expect(() => fileCheckpoints('')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})
