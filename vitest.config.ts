import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Tests share nothing but the machine: each builds its own app on its own in-memory database.
    pool: 'forks'
  }
})
