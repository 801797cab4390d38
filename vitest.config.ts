import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Tests run against the TypeScript sources, so `pnpm test` needs no build step.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@junction\/core\/testing$/, replacement: source('./packages/core/src/testing/index.ts') },
      {
        find: /^@junction\/core\/testing\/contracts$/,
        replacement: source('./packages/core/src/testing/contracts.ts'),
      },
      { find: /^@junction\/core$/, replacement: source('./packages/core/src/index.ts') },
      ...['salesforce', 'sap', 'servicenow'].flatMap((name) => [
        {
          find: new RegExp(`^@junction/connector-${name}/testing$`),
          replacement: source(`./packages/connector-${name}/src/testing/index.ts`),
        },
        {
          find: new RegExp(`^@junction/connector-${name}$`),
          replacement: source(`./packages/connector-${name}/src/index.ts`),
        },
      ]),
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
})
