/** userdouble's public API, for test runners and embedders. */
export { buildApp, type BuildOptions } from './app.js'
export { resolveConfig, loadConfig, ConfigSchema, type Config } from './config.js'
export { ControllableClock, fixedClock, type Clock, type ClockMode, type ClockState } from './kernel/clock.js'
export { openDatabase, type Database } from './kernel/database.js'
export { SqliteIdGenerator, type IdGenerator } from './kernel/ids.js'
export type { Account, ZendeskCredentials } from './kernel/accounts.js'
