import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Tests import 'userdouble' as users do; here it resolves to the source, so no build is needed.
const alias = { userdouble: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }

// Two tiers, told apart by name: `*.e2e.test.ts` files start processes, browsers or other test
// runners (npm run test:e2e); every other `*.test.ts` runs in-process (npm test).
const E2E = 'test/**/*.e2e.test.ts'
const README_VITEST_EXAMPLE = 'test/examples/vitest/**'

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [E2E, README_VITEST_EXAMPLE],
          // One module graph per worker thread, not per file: the OpenAPI contract
          // (test/helpers/contract.ts) and the app's modules load once per worker instead of once per
          // file (measured: about 60% less CPU for the tier; threads a little less than forks). Every
          // test builds its own app and database, so no state crosses files.
          isolate: false,
          pool: 'threads',
          testTimeout: 20_000,
          hookTimeout: 60_000
        }
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: [E2E],
          exclude: [README_VITEST_EXAMPLE],
          testTimeout: 20_000,
          hookTimeout: 60_000
        }
      },
      {
        // The README's vitest globalSetup example, run exactly as shown there.
        resolve: { alias },
        test: {
          name: 'e2e-readme-vitest',
          include: [`${README_VITEST_EXAMPLE}/*.e2e.test.ts`],
          globalSetup: ['test/examples/vitest/global-setup.ts']
        }
      }
    ]
  }
})
