import { afterEach, describe, it } from 'vitest'
import { type ConnectorContractOptions, type ConnectorFixture, connectorChecks } from './connector-checks.js'

/**
 * Registers the connector compliance suite as vitest tests (as keyv publishes its test suite), for
 * Junction's adapters and anyone's own connector: every declared capability is checked against the
 * `Connector` contract (missing keys, limits, a result per record in order, partial failures kept,
 * changes that resume without gaps or repeats), every other one must throw `NOT_SUPPORTED`, errors
 * must be `JunctionError`s with codes, and `close()` must be idempotent. `setup` runs once per test.
 */
export function connectorContract<F extends ConnectorFixture>(
  name: string,
  options: ConnectorContractOptions<F>,
): void {
  describe(`${name} (Connector contract)`, () => {
    const fixtures: F[] = []
    afterEach(async () => {
      for (const fixture of fixtures.splice(0)) {
        await fixture.connector.close()
        await fixture.close?.()
      }
    })
    const declared = new Set<string>(options.capabilities)
    for (const check of connectorChecks) {
      if (check.capability !== 'any' && !declared.has(check.capability)) continue
      it(check.name, async () => {
        const fixture = await options.setup()
        fixtures.push(fixture)
        // The checks see the base fixture type; `makeChange` receives the very object `setup` returned.
        await check.run(fixture, options as unknown as ConnectorContractOptions)
      })
    }
  })
}
