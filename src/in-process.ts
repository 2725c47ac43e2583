import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { Config } from './config.js'
import { createAccount, dumpState, loadState, resetAccount, resetAll, viewAccount, type NewAccountInput } from './control/actions.js'
import { DEFAULT_ACCOUNT_ID } from './kernel/accounts.js'
import { parseInstant } from './kernel/clock.js'
import type { Emulator } from './kernel/service.js'
import type { ZendeskCredentials } from './services/zendesk/auth.js'
import type { JournalEntry, JournalFilter } from './kernel/journal.js'

export interface StartOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number
  /** Interface; default 127.0.0.1. */
  host?: string
  /** Any setting of the configuration table; DATABASE_PATH defaults to `:memory:`. */
  config?: Partial<Config>
}

export interface UserDoubleAccount {
  id: string
  /** The account's Zendesk credentials, and `baseUrl` (node-zendesk's `endpointUri`). */
  zendesk: ZendeskCredentials & { baseUrl: string }
  /** The account's User.com API key, and `baseUrl`. */
  usercom: { apiKey: string, baseUrl: string }
  /** Clears this account's users, limits, journal and faults. */
  reset: () => Promise<void>
  /** This account's journal entries (credentials masked). */
  requests: (filter?: Omit<JournalFilter, 'account'>) => Promise<JournalEntry[]>
  /** This account's users in the vendors' shapes (the `GET /__mock/accounts/{id}/state` body). */
  state: () => Promise<Record<string, Record<string, unknown>>>
  /** Replaces this account's users with a state of that shape. */
  loadState: (state: Record<string, unknown>) => Promise<void>
}

export interface UserDouble extends UserDoubleAccount {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** The Fastify app, for `app.inject()` without a socket. */
  app: FastifyInstance
  /** A fresh account with its own credentials: one per parallel test worker. */
  createAccount: (input?: NewAccountInput) => Promise<UserDoubleAccount>
  /** Every account's journal entries, or filtered. */
  requests: (filter?: JournalFilter) => Promise<JournalEntry[]>
  /** Clears every account's data, limits, journal and faults, and gives real time back. */
  reset: () => Promise<void>
  /** Moves the clock behind timestamps, rate-limit windows and bulk jobs. */
  clock: {
    advance: (seconds: number) => void
    set: (iso: string) => void
    real: () => void
  }
  close: () => Promise<void>
}

/**
 * Starts userdouble in this process: port 0 and an in-memory database by default.
 *
 * ```ts
 * const ud = await startUserDouble()
 * const zd = createClient({ username: ud.zendesk.email, token: ud.zendesk.apiToken, endpointUri: ud.zendesk.baseUrl })
 * await ud.close()
 * ```
 */
export async function startUserDouble (options: StartOptions = {}): Promise<UserDouble> {
  const app = await buildApp({ config: { DATABASE_PATH: ':memory:', ...options.config } })
  let url: string
  try {
    const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 })
    url = address
  } catch (err) {
    await app.close()
    throw err
  }
  const k = app.kernel
  const e: Emulator = { kernel: k, services: app.services }
  const handle = (id: string): UserDoubleAccount => {
    const view = viewAccount(e, k.accounts.get(id)!, url)
    return {
      id,
      zendesk: view.zendesk as UserDoubleAccount['zendesk'],
      usercom: view.usercom as UserDoubleAccount['usercom'],
      reset: async () => { resetAccount(e, id) },
      requests: async (filter = {}) => k.journal.query({ ...filter, account: id }),
      state: async () => dumpState(e, id, url),
      loadState: async (state) => { loadState(e, id, state) }
    }
  }
  const main = handle(DEFAULT_ACCOUNT_ID)
  return {
    ...main,
    url,
    app,
    createAccount: async (input) => handle(createAccount(e, input).id),
    requests: async (filter = {}) => k.journal.query(filter),
    reset: async () => { resetAll(e) },
    clock: {
      advance: (seconds) => { k.clock.advance(seconds * 1000) },
      set: (iso) => { k.clock.set(parseInstant(iso)) },
      real: () => { k.clock.real() }
    },
    close: async () => { await app.close() }
  }
}
