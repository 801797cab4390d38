import { runAcmeErp } from './run-acme-erp.js'

const report = await runAcmeErp((line) => console.log(line))
console.log(`\n${report.calls.length} requests reached the ERP:\n  ${report.calls.join('\n  ')}`)
