import { test as base } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildOptions } from '../../src/app.js'
import { fixedClock, type ControllableClock } from '../../src/kernel/clock.js'
import { openDatabase } from '../../src/kernel/database.js'
import type { Config } from '../../src/config.js'
import { withContract } from './contract.js'

export const T0 = '2024-01-01T00:00:00Z'

/** Settings for tests: the documented defaults plus a fixed seed, so tokens repeat run to run. */
export function testConfig (overrides: Partial<Config> = {}): Partial<Config> {
  return { ID_SEED: 42, ...overrides }
}

/**
 * A fresh app on a fresh in-memory database, with a clock frozen at T0. Its `inject` checks
 * every answer of a documented operation against openapi/*.yaml (test/helpers/contract.ts).
 */
export async function makeApp (options: BuildOptions = {}): Promise<FastifyInstance> {
  return withContract(await buildApp({ db: openDatabase(':memory:'), clock: fixedClock(T0), ...options, config: testConfig(options.config) }))
}

/** `test` with an `app` fixture: one app and one database per test, closed afterwards. */
export const test = base.extend<{ app: FastifyInstance, clock: ControllableClock }>({
  clock: async ({}, use) => { // eslint-disable-line no-empty-pattern
    await use(fixedClock(T0))
  },
  app: async ({ clock }, use) => {
    const db = openDatabase(':memory:')
    const app = withContract(await buildApp({ db, clock, config: testConfig() }))
    await use(app)
    await app.close()
    db.close()
  }
})

export const basic = (user: string, secret: string): string => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`
