import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Tests import 'userdouble' as users do; here it resolves to the source, so no build is needed.
const alias = { userdouble: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/examples/vitest/**'],
          testTimeout: 20_000,
          hookTimeout: 60_000
        }
      },
      {
        // The README's vitest globalSetup example, run exactly as shown there.
        resolve: { alias },
        test: {
          name: 'readme-vitest-example',
          include: ['test/examples/vitest/*.test.ts'],
          globalSetup: ['test/examples/vitest/global-setup.ts']
        }
      }
    ]
  }
})
