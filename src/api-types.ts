import { parseInstant, type ClockState } from './kernel/clock.js'
import type { FaultRule, FaultRuleInput } from './kernel/faults.js'
import type { JournalEntry, JournalFilter } from './kernel/journal.js'
import type { ZendeskCredentials } from './services/zendesk/auth.js'
import type { NewAccountInput } from './control/actions.js'

/**
 * The types of the control plane as code sees it: the in-process handle (`startUserDouble()`)
 * and the HTTP client (`createControlClient()`) have the same methods, typed here.
 */

/** A Zendesk user as `GET /api/v2/users/{id}` renders it (the main fields; the rest are there too). */
export interface ZendeskUser {
  id: number
  url: string
  name: string
  email: string | null
  created_at: string
  updated_at: string
  time_zone: string
  iana_time_zone: string
  phone: string | null
  locale_id: number
  locale: string
  organization_id: number | null
  role: 'end-user' | 'agent' | 'admin'
  verified: boolean
  external_id: string | null
  tags: string[]
  alias: string | null
  active: boolean
  details: string | null
  notes: string | null
  signature: string | null
  suspended: boolean
  user_fields: Record<string, string | number | boolean | null>
  [field: string]: unknown
}

/** A Zendesk user identity (`GET /api/v2/users/{id}/identities`). */
export interface ZendeskIdentity {
  id: number
  user_id: number
  url: string
  type: string
  value: string
  verified: boolean
  primary: boolean
  created_at: string
  updated_at: string
}

export interface ZendeskOrganization {
  id: number
  url: string
  name: string
  created_at: string
  updated_at: string
}

/** The `zendesk` part of a state dump. */
export interface ZendeskState {
  users: ZendeskUser[]
  identities: ZendeskIdentity[]
  organizations: ZendeskOrganization[]
}

/** A User.com user as `GET /api/public/users/{id}/` renders it (v1 names), plus its name's two parts. */
export interface UsercomUser {
  id: number
  key: string
  user_id: string | null
  email: string | null
  name: string | null
  first_name: string | null
  last_name: string | null
  phone_number: string | null
  city: string | null
  country: string | null
  region: string | null
  status: 'visitor' | 'user'
  gender: 'unknown' | 'male' | 'female'
  score: number
  unsubscribed: boolean
  notifications: boolean
  assigned_to: number | null
  tags: Array<{ id: number, name: string }>
  companies: Array<{ id: number, name: string, member_since: string }>
  attributes: Array<{ id: number, name: string, name_std: string, value: unknown }>
  created_at: string
  updated_at: string
  [field: string]: unknown
}

/** The `usercom` part of a state dump. */
export interface UsercomState {
  users: UsercomUser[]
  tags: Array<{ id: number, name: string }>
  attributes: Array<{ id: number, name: string, name_std: string, value_type: string }>
  companies: Array<{ id: number, company_id: string | null, name: string | null, created_at: string }>
  events: Array<{ id: number, client: number, name: string, timestamp: string, data: unknown }>
}

/** `GET /__mock/accounts/{id}/state`: each vendor's users in its own wire shapes. */
export interface UserDoubleState {
  zendesk: ZendeskState
  usercom: UsercomState
}

/** What `loadState` accepts: any vendor's part; each user needs little (see the state sections of docs/zendesk.md and docs/usercom.md). */
export type StateInput = { [V in keyof UserDoubleState]?: Partial<Record<keyof UserDoubleState[V], unknown[]>> }

export interface ZendeskRateLimits { perMinute: number, perUserPerMinute: number, perSecond: number, maxJobs: number }
export interface UsercomRateLimits { perPeriod: number, periodSeconds: number }

/** The rate limits in force for an account (`GET /__mock/accounts/{id}/rate-limits`). */
export interface RateLimits {
  enabled: boolean
  zendesk: ZendeskRateLimits
  usercom: UsercomRateLimits
}

/** An override of the account's rate limits: 0 turns one off; windows counted so far start afresh. */
export interface RateLimitOverrides {
  enabled?: boolean
  zendesk?: Partial<ZendeskRateLimits>
  usercom?: Partial<UsercomRateLimits>
}

export interface WaitOptions {
  /** Milliseconds before giving up; default 5000. */
  timeout?: number
  /** Milliseconds between looks at the journal; default 20 in process, 100 over HTTP. */
  interval?: number
}

/** What one account offers: its credentials and base URLs, its data, limits, faults and journal. */
export interface AccountHandle {
  id: string
  /** The account's Zendesk credentials, and `baseUrl` (node-zendesk's `endpointUri`), no trailing slash. */
  zendesk: ZendeskCredentials & { baseUrl: string }
  /** The account's User.com API key, and `baseUrl`, no trailing slash: `${baseUrl}/users/`. */
  usercom: { apiKey: string, baseUrl: string }
  /** Clears this account's users, limits, journal and faults. */
  reset: () => Promise<void>
  /** This account's journal entries (credentials masked), oldest first. */
  requests: (filter?: Omit<JournalFilter, 'account'>) => Promise<JournalEntry[]>
  /**
   * The latest journal entry matching `filter` (as `requests`), as soon as there is one; rejects
   * after `timeout` ms (default 5000) naming the filter. Assert on what it resolves to.
   */
  waitForRequest: (filter?: Omit<JournalFilter, 'account'>, options?: WaitOptions) => Promise<JournalEntry>
  /** This account's users in the vendors' shapes (the `GET /__mock/accounts/{id}/state` body). */
  state: () => Promise<UserDoubleState>
  /** Replaces this account's users with a state of that shape (each vendor given). */
  loadState: (state: StateInput) => Promise<void>
  rateLimits: () => Promise<RateLimits>
  /** Overrides this account's rate limits; answers the limits now in force. */
  setRateLimits: (overrides: RateLimitOverrides) => Promise<RateLimits>
  /** Adds a fault rule that only this account's requests meet. */
  addFault: (rule: Omit<FaultRuleInput, 'account'>) => Promise<FaultRule>
  /** This account's fault rules. */
  faults: () => Promise<FaultRule[]>
  /** Removes this account's fault rules. */
  clearFaults: () => Promise<void>
}

/** The clock behind timestamps, rate-limit windows and bulk jobs. */
export interface ClockHandle<R> {
  /** Moves time forward (negative: back) by `seconds`; a frozen clock stays frozen. */
  advance: (seconds: number) => R
  /** Freezes time at an ISO 8601 instant (`2024-01-01T00:00:00Z`) between 1970 and 9999. */
  set: (iso: string | Date) => R
  /** Gives wall-clock time back. */
  real: () => R
  /** Stops time where it is. */
  freeze: () => R
}

/** The whole control plane: the default account's handle, every account, the clock. */
export interface ControlHandle<ClockResult = void | Promise<void>> extends AccountHandle {
  /** `http://host:port`, no trailing slash. */
  url: string
  /** A fresh account with its own credentials: one per parallel test worker. */
  createAccount: (input?: NewAccountInput) => Promise<AccountHandle>
  /** A handle on an existing account (`default`, or one made by `createAccount`). */
  account: (id: string) => Promise<AccountHandle>
  /** Every account's journal entries, or filtered. */
  requests: (filter?: JournalFilter) => Promise<JournalEntry[]>
  waitForRequest: (filter?: JournalFilter, options?: WaitOptions) => Promise<JournalEntry>
  /** Clears every account's data, limits, journal and faults, and gives real time back. */
  reset: () => Promise<void>
  clock: ClockHandle<ClockResult> & { state: () => ClockResult extends Promise<void> ? Promise<ClockState> : ClockState }
}

/** The latest instant the clock takes: 9999-12-31T23:59:59.999Z (dates render with four-digit years). */
export const MAX_CLOCK_MS = 253402300799999

/**
 * The epoch milliseconds of an instant for `clock.set()`, or a TypeError saying what is wrong:
 * an ISO 8601 date (`2024-01-01`) or date-time with `Z` or an offset, or a valid Date, between
 * 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
 */
export function clockInstant (input: string | Date): number {
  let ms: number
  if (input instanceof Date) ms = input.getTime()
  // The kernel's parser also refuses dates that Date.parse rolls over (2030-02-30).
  else if (typeof input === 'string' && /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i.test(input)) ms = parseInstant(input)
  else throw new TypeError(`clock.set: ${JSON.stringify(String(input))} is not an ISO 8601 instant such as 2024-01-01T00:00:00Z (a date-time needs Z or an offset)`)
  if (Number.isNaN(ms)) throw new TypeError(`clock.set: ${JSON.stringify(input instanceof Date ? 'Invalid Date' : input)} is not a valid date`)
  if (ms < 0 || ms > MAX_CLOCK_MS) throw new RangeError(`clock.set: ${new Date(ms).toISOString()} is out of range: the clock takes 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z`)
  return ms
}

/** `clock.advance`'s seconds as milliseconds, checked: a finite number that keeps the clock (now `nowMs`) in range. */
export function clockAdvance (seconds: number, nowMs?: number): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw new TypeError(`clock.advance: ${String(seconds)} is not a finite number of seconds`)
  const ms = seconds * 1000
  if (nowMs !== undefined && (nowMs + ms < 0 || nowMs + ms > MAX_CLOCK_MS)) {
    throw new RangeError(`clock.advance: ${seconds} seconds from ${new Date(nowMs).toISOString()} is out of range: the clock takes 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z`)
  }
  return ms
}

/**
 * Polls `query` until it returns an entry; on timeout, rejects with the filter and the latest
 * entries seen, so that the failure says what happened instead.
 */
export async function waitForEntry (query: () => Promise<JournalEntry[]>, filter: object, options: WaitOptions, defaultInterval: number): Promise<JournalEntry> {
  const timeout = options.timeout ?? 5000
  const interval = options.interval ?? defaultInterval
  const deadline = Date.now() + timeout
  for (;;) {
    const found = await query()
    if (found.length > 0) return found[0]!
    if (Date.now() >= deadline) break
    await new Promise(resolve => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))))
  }
  throw new Error(`waitForRequest: no request matching ${JSON.stringify(filter)} within ${timeout} ms`)
}
