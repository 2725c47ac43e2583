import { type Account, type Credentials, DEFAULT_ACCOUNT_ID } from '../kernel/accounts.js'
import { HEX } from '../kernel/ids.js'
import { limitsEnabled, vendorLimits } from '../kernel/limits.js'
import { emptyDatabase } from '../kernel/database.js'
import type { Emulator } from '../kernel/service.js'

/**
 * What the control plane does, apart from HTTP, so that `/__mock` routes and the in-process API
 * (`startUserDouble()`) share one implementation. The vendors come from the registry: each one
 * contributes its credentials, base URL, limits and state.
 */
export interface AccountView {
  id: string
  name: string
  /** Per vendor: its credentials and `baseUrl`, the URL to give its clients. */
  [vendor: string]: unknown
  rateLimits: Record<string, unknown>
  createdAt: string
}

export interface NewAccountInput {
  id?: string
  name?: string
  /** Per vendor: any of its credentials (the rest is generated). */
  [vendor: string]: Partial<Credentials> | string | undefined
}

export class AccountNotFound extends Error {
  statusCode = 404
  code = 'account_not_found'
  constructor (id: string) { super(`no account ${id}`) }
}

export class Conflict extends Error {
  statusCode = 409
  code = 'conflict'
}

export function viewAccount ({ services }: Emulator, account: Account, origin: string): AccountView {
  const view: Record<string, unknown> = { id: account.id, name: account.name }
  for (const s of services) view[s.name] = { ...account.credentials[s.name], baseUrl: origin + s.baseUrlPath }
  view.rateLimits = account.settings.rateLimits ?? {}
  view.createdAt = account.createdAt
  return view as AccountView
}

export function requireAccount ({ kernel }: Emulator, id: string): Account {
  const account = kernel.accounts.get(id)
  if (!account) throw new AccountNotFound(id)
  return account
}

/** The account configuration describes, (re)written at every start: configuration wins. */
export function writeDefaultAccount ({ kernel, services }: Emulator): Account {
  return kernel.accounts.upsert({
    id: DEFAULT_ACCOUNT_ID,
    name: 'Default account',
    credentials: Object.fromEntries(services.map(s => [s.name, s.credentials.fromConfig(kernel.config)]))
  })
}

/** A new account with fresh credentials for every vendor (any part can be given). */
export function createAccount (e: Emulator, input: NewAccountInput = {}): Account {
  const { kernel, services } = e
  const id = input.id ?? `acct-${kernel.ids.token(10, HEX)}`
  if (kernel.accounts.get(id)) throw new Conflict(`account ${id} exists`)
  try {
    return kernel.accounts.upsert({
      id,
      name: input.name ?? id,
      credentials: Object.fromEntries(services.map(s => [s.name, s.credentials.generate(id, (input[s.name] ?? {}) as Partial<Credentials>)]))
    })
  } catch (err) {
    throw new Conflict((err as Error).message)
  }
}

/** The rate limits in force for the account, every vendor's. */
export function rateLimitsOf ({ kernel, services }: Emulator, account: Account): { enabled: boolean } & Record<string, unknown> {
  const out: { enabled: boolean } & Record<string, unknown> = { enabled: limitsEnabled(kernel.config, account) }
  for (const s of services) out[s.name] = vendorLimits(s.rateLimits.defaults, account, s.name)
  return out
}

/** Merges runtime overrides into the account's settings; windows counted so far start afresh. */
export function overrideRateLimits (e: Emulator, account: Account, body: Record<string, unknown>): void {
  const previous = (account.settings.rateLimits ?? {}) as Record<string, unknown>
  const merged: Record<string, unknown> = { ...previous }
  if (body.enabled !== undefined) merged.enabled = body.enabled
  for (const s of e.services) {
    const part = body[s.name]
    if (part !== undefined) merged[s.name] = { ...(previous[s.name] as object ?? {}), ...(part as object) }
  }
  e.kernel.accounts.saveSettings(account.id, { ...account.settings, rateLimits: merged })
  e.kernel.limiter.clear(`${account.id}:`)
}

/**
 * Clears one account's data, id sequences, rate-limit windows, runtime settings, journal and
 * faults; its credentials stay.
 */
export function resetAccount (e: Emulator, id: string): void {
  const { kernel: k, services } = e
  requireAccount(e, id)
  k.db.transaction(() => {
    for (const { state } of services) state.reset(id)
    k.ids.forget(id)
  })()
  k.accounts.saveSettings(id, {})
  k.limiter.clear(`${id}:`)
  k.journal.clear(id)
  k.faults.clear(id)
}

/** `POST /__mock/reset`: every account as `resetAccount`, the journal and faults, and real time back. */
export function resetAll ({ kernel: k, services }: Emulator): void {
  k.db.transaction(() => {
    for (const account of k.accounts.list()) {
      for (const { state } of services) state.reset(account.id)
    }
    k.ids.forget()
  })()
  for (const account of k.accounts.list()) k.accounts.saveSettings(account.id, {})
  k.limiter.clear()
  k.journal.clear()
  k.faults.clear()
  k.clock.real()
}

/**
 * Everything as a new app with the same configuration gives it: no account but the default one
 * (written afresh, as at start-up), no rows, id sequences and PRNGs from their seeds, empty
 * journal, no fault rule, no window counted, real time. `startUserDouble()` runs it on an app it
 * reuses; `false` when the app cannot be made fresh (an id generator of the caller's without
 * `restart`), and nothing is changed then.
 */
export function restoreFresh (e: Emulator): boolean {
  const k = e.kernel
  if (k.ids.restart === undefined) return false
  // What POST /__mock/reset does (each vendor also forgets what it keeps in memory per account:
  // caches, due jobs), then what only a new app has: no other account, sequences and ids from the start.
  resetAll(e)
  emptyDatabase(k.db)
  k.accounts.forgetAll()
  k.ids.restart(k.config.ID_SEED)
  k.faults.restart(k.config.ID_SEED)
  k.journal.restart()
  k.startedAt = Date.now()
  writeDefaultAccount(e)
  return true
}

export function dumpState (e: Emulator, id: string, origin: string): Record<string, Record<string, unknown>> {
  requireAccount(e, id)
  const out: Record<string, Record<string, unknown>> = {}
  for (const { name, state } of e.services) out[name] = state.dump(id, origin)
  return out
}

export class InvalidState extends Error {
  statusCode = 400
  code = 'invalid_state'
}

/** Replaces the account's data with a state of the `dumpState` shape, all or nothing. */
export function loadState (e: Emulator, id: string, data: Record<string, unknown>): Record<string, Record<string, number>> {
  requireAccount(e, id)
  const known = new Set(e.services.map(s => s.name))
  for (const key of Object.keys(data)) if (!known.has(key)) throw new InvalidState(`unknown vendor "${key}" in state; expected ${[...known].join(', ')}`)
  const counts: Record<string, Record<string, number>> = {}
  try {
    e.kernel.db.transaction(() => {
      for (const { name, state } of e.services) {
        const part = data[name]
        if (part === undefined) continue
        if (part === null || typeof part !== 'object' || Array.isArray(part)) throw new InvalidState(`state.${name} must be an object`)
        counts[name] = state.load(id, part as Record<string, unknown>)
      }
    })()
  } catch (err) {
    if (err instanceof InvalidState) throw err
    throw new InvalidState(`state could not be loaded: ${(err as Error).message}`)
  }
  return counts
}
