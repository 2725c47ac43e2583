import type { Account } from '../kernel/accounts.js'
import { HEX, ALPHANUMERIC } from '../kernel/ids.js'
import type { Kernel } from '../kernel/kernel.js'

/**
 * What the control plane does, apart from HTTP, so that `/__mock` routes and the in-process API
 * (`startUserDouble()`) share one implementation.
 */
export interface AccountView {
  id: string
  name: string
  zendesk: { subdomain: string, email: string, apiToken: string, password: string, oauthToken: string, baseUrl: string }
  usercom: { apiKey: string, baseUrl: string }
  rateLimits: Record<string, unknown>
  createdAt: string
}

export interface NewAccountInput {
  id?: string
  name?: string
  zendesk?: Partial<Account['zendesk']>
  usercom?: Partial<Account['usercom']>
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

export function viewAccount (account: Account, origin: string): AccountView {
  return {
    id: account.id,
    name: account.name,
    zendesk: { ...account.zendesk, baseUrl: `${origin}/api/v2` },
    usercom: { ...account.usercom, baseUrl: `${origin}/api/public/` },
    rateLimits: (account.settings.rateLimits ?? {}) as Record<string, unknown>,
    createdAt: account.createdAt
  }
}

export function requireAccount (k: Kernel, id: string): Account {
  const account = k.accounts.get(id)
  if (!account) throw new AccountNotFound(id)
  return account
}

/** A new account with fresh credentials for both vendors (any part can be given). */
export function createAccount (k: Kernel, input: NewAccountInput = {}): Account {
  const id = input.id ?? `acct-${k.ids.token(10, HEX)}`
  if (k.accounts.get(id)) throw new Conflict(`account ${id} exists`)
  const sub = input.zendesk?.subdomain ?? id.toLowerCase().replace(/[^a-z0-9-]/g, '-')
  try {
    return k.accounts.upsert({
      id,
      name: input.name ?? id,
      zendesk: {
        subdomain: sub,
        email: input.zendesk?.email ?? `admin@${sub}.userdouble.test`,
        apiToken: input.zendesk?.apiToken ?? k.ids.token(40),
        password: input.zendesk?.password ?? k.ids.token(16),
        oauthToken: input.zendesk?.oauthToken ?? k.ids.token(64, HEX)
      },
      usercom: { apiKey: input.usercom?.apiKey ?? k.ids.token(64, ALPHANUMERIC) }
    })
  } catch (err) {
    throw new Conflict((err as Error).message)
  }
}

/**
 * Clears one account's data, id sequences, rate-limit windows, runtime settings, journal and
 * faults; its credentials stay.
 */
export function resetAccount (k: Kernel, id: string): void {
  requireAccount(k, id)
  k.db.transaction(() => {
    for (const { state } of k.states) state.reset(id)
    k.ids.forget(id)
  })()
  k.accounts.saveSettings(id, {})
  k.limiter.clear(`${id}:`)
  k.journal.clear(id)
  k.faults.clear(id)
}

/** `POST /__mock/reset`: every account as `resetAccount`, the journal and faults, and real time back. */
export function resetAll (k: Kernel): void {
  k.db.transaction(() => {
    for (const account of k.accounts.list()) {
      for (const { state } of k.states) state.reset(account.id)
    }
    k.ids.forget()
  })()
  for (const account of k.accounts.list()) k.accounts.saveSettings(account.id, {})
  k.limiter.clear()
  k.journal.clear()
  k.faults.clear()
  k.clock.real()
}

export function dumpState (k: Kernel, id: string, origin: string): Record<string, Record<string, unknown>> {
  requireAccount(k, id)
  const out: Record<string, Record<string, unknown>> = {}
  for (const { name, state } of k.states) out[name] = state.dump(id, origin)
  return out
}

export class InvalidState extends Error {
  statusCode = 400
  code = 'invalid_state'
}

/** Replaces the account's data with a state of the `dumpState` shape, all or nothing. */
export function loadState (k: Kernel, id: string, data: Record<string, unknown>): Record<string, Record<string, number>> {
  requireAccount(k, id)
  const known = new Set(k.states.map(s => s.name))
  for (const key of Object.keys(data)) if (!known.has(key as never)) throw new InvalidState(`unknown vendor "${key}" in state; expected ${[...known].join(', ')}`)
  const counts: Record<string, Record<string, number>> = {}
  try {
    k.db.transaction(() => {
      for (const { name, state } of k.states) {
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
