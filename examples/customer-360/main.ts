import { formatReport } from './print-report.js'
import { runCustomer360 } from './run-customer-360.js'

const redisUrl = process.env.REDIS_URL
const report = await runCustomer360(redisUrl === undefined || redisUrl === '' ? {} : { redisUrl })
for (const line of formatReport(report)) console.log(line)
