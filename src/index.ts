/** userdouble's public API, for test runners and embedders. */
export { buildApp, type BuildOptions } from './app.js'
export { resolveConfig, loadConfig, ConfigSchema, type Config } from './config.js'
export { ControllableClock, fixedClock, type Clock, type ClockMode, type ClockState } from './kernel/clock.js'
export { openDatabase, type Database } from './kernel/database.js'
export { SqliteIdGenerator, type IdGenerator } from './kernel/ids.js'
export type { Account, Credentials } from './kernel/accounts.js'
export type { ZendeskCredentials } from './services/zendesk/auth.js'
export { startUserDouble, type StartOptions, type UserDouble, type UserDoubleAccount } from './in-process.js'
export type { AccountView, NewAccountInput } from './control/actions.js'
export type { JournalEntry, JournalFilter } from './kernel/journal.js'
export type { FaultRule, FaultRuleInput } from './kernel/faults.js'
export { createControlClient, ControlError, type ControlClient, type ControlClientOptions } from './control-client.js'
export type {
  AccountHandle, ControlHandle, ClockHandle, WaitOptions, UserDoubleState, StateInput, ZendeskState, ZendeskUser, ZendeskIdentity,
  ZendeskOrganization, UsercomState, UsercomUser, RateLimits, RateLimitOverrides, ZendeskRateLimits, UsercomRateLimits
} from './api-types.js'
