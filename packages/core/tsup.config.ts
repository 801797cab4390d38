import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'testing/contracts': 'src/testing/contracts.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Shared chunks keep one copy of the error classes across the main and `/testing` entries.
  splitting: true,
  treeshake: true,
  // p-retry 7 (and its is-network-error) ship ESM only: bundled, `require('@junction/core')` works.
  noExternal: ['p-retry', 'is-network-error'],
})
