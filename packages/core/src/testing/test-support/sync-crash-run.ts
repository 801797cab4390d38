// Run as a child process by sync.test.ts: syncs the seeded ledger with file checkpoints into a file
// sink, and hangs once the sink has made batch `hangAfter` durable, before its checkpoint is saved,
// so the parent can kill it at exactly that point.
import { fileCheckpoints } from '../../checkpoints/file-checkpoints.js'
import { sync } from '../../sync/sync.js'
import { fileSink } from './file-sink.js'
import { ledgerConnector } from './ledger-connector.js'
import { ledgerSimulator } from './ledger-simulator.js'
import { crashSeed } from './sync-crash-seed.js'

const [directory = '', sinkPath = '', hangAfter = '3'] = process.argv.slice(2)
const sim = ledgerSimulator(crashSeed())
const source = ledgerConnector({ baseUrl: 'https://ledger.test', dispatcher: sim.dispatcher, retry: false })
await sync({
  source,
  entity: 'Invoice',
  checkpoints: fileCheckpoints(directory),
  sink: fileSink(sinkPath, async (batch) => {
    if (batch < Number(hangAfter)) return
    process.stdout.write('durable\n')
    await new Promise(() => undefined)
  }),
  batchSize: 5,
  progressBar: false,
})
