import { readFileSync } from 'node:fs'
import { packagePath } from './paths.js'
import type { Config } from '../config.js'
import type { AccountStore } from './accounts.js'
import type { ControllableClock } from './clock.js'
import type { Database } from './database.js'
import type { IdGenerator } from './ids.js'
import type { FixedWindowLimiter } from './rate-limit.js'
import type { Journal } from './journal.js'
import type { FaultRules } from './faults.js'

/** What every module shares: configuration, storage, time, ids and accounts. */
export interface Kernel {
  config: Config
  db: Database
  clock: ControllableClock
  ids: IdGenerator
  accounts: AccountStore
  /** In-memory rate-limit windows of every account; keys start with the account id. */
  limiter: FixedWindowLimiter
  journal: Journal
  faults: FaultRules
  version: string
  /** Wall-clock start, for uptime (which is about the process, not the emulated clock). */
  startedAt: number
  /**
   * What ends the app's connections when it stops serving (open sockets, live event streams):
   * run by `app.close()` (its preClose hook) and when `startUserDouble()` sets a closed app aside
   * for reuse. Each part of the app that holds connections adds its own.
   */
  closing: Set<() => void>
}

export const VERSION: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version

declare module 'fastify' {
  interface FastifyInstance {
    kernel: Kernel
  }
}
