import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import pino from 'pino'
import { buildApp } from './app.js'
import type { Config } from './config.js'
import {
  createAccount, dumpState, loadState, overrideRateLimits, rateLimitsOf, requireAccount, resetAccount, resetAll, viewAccount, type NewAccountInput
} from './control/actions.js'
import { DEFAULT_ACCOUNT_ID } from './kernel/accounts.js'
import type { Emulator } from './kernel/service.js'
import type { JournalFilter } from './kernel/journal.js'
import {
  clockAdvance, clockInstant, waitForEntry, type AccountHandle, type ControlHandle, type RateLimits, type UserDoubleState
} from './api-types.js'

export interface StartOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number
  /** Interface; default 127.0.0.1. */
  host?: string
  /** Any setting of the configuration table; DATABASE_PATH defaults to `:memory:`. */
  config?: Partial<Config>
  /**
   * A pino (or Fastify-compatible) logger for userdouble's lines, one per request at `info`.
   * Default: silent, unless `logLevel` or `config.LOG_LEVEL` is given, then pino on stdout at that level.
   */
  logger?: FastifyBaseLogger
  /** pino level of the logger made when no `logger` is given (`info`, `debug`, …, `silent`). */
  logLevel?: Config['LOG_LEVEL']
}

/** One account: its credentials, base URLs, data, limits, faults and journal. */
export type UserDoubleAccount = AccountHandle

/** userdouble started in this process: the default account's handle, every account, the clock. */
export interface UserDouble extends ControlHandle<void> {
  /** The Fastify app, for `app.inject()` without a socket. */
  app: FastifyInstance
  close: () => Promise<void>
}

function loggerFor (options: StartOptions): FastifyBaseLogger | false {
  if (options.logger) return options.logger
  const level = options.logLevel ?? options.config?.LOG_LEVEL
  if (level === undefined) return false
  return pino({ level, name: 'userdouble' })
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
  const logger = loggerFor(options)
  const app = await buildApp({ config: { DATABASE_PATH: ':memory:', ...options.config }, logger })
  let url: string
  try {
    url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 })
  } catch (err) {
    await app.close()
    throw err
  }
  const k = app.kernel
  const e: Emulator = { kernel: k, services: app.services }
  const handle = (id: string): UserDoubleAccount => {
    const view = viewAccount(e, requireAccount(e, id), url)
    const requests: UserDoubleAccount['requests'] = async (filter = {}) => k.journal.query({ ...filter, account: id })
    return {
      id,
      zendesk: view.zendesk as UserDoubleAccount['zendesk'],
      usercom: view.usercom as UserDoubleAccount['usercom'],
      reset: async () => { resetAccount(e, id) },
      requests,
      waitForRequest: async (filter = {}, wait = {}) => waitForEntry(async () => requests({ ...filter, limit: 1 }), filter, wait, 20),
      state: async () => dumpState(e, id, url) as unknown as UserDoubleState,
      loadState: async (state) => { loadState(e, id, state as Record<string, unknown>) },
      rateLimits: async () => rateLimitsOf(e, requireAccount(e, id)) as unknown as RateLimits,
      setRateLimits: async (overrides) => {
        overrideRateLimits(e, requireAccount(e, id), overrides as Record<string, unknown>)
        return rateLimitsOf(e, requireAccount(e, id)) as unknown as RateLimits
      },
      addFault: async (rule) => k.faults.add({ ...rule, account: id }),
      faults: async () => k.faults.list(id),
      clearFaults: async () => { k.faults.clear(id) }
    }
  }
  const main = handle(DEFAULT_ACCOUNT_ID)
  const requests = async (filter: JournalFilter = {}): Promise<ReturnType<typeof k.journal.query>> => k.journal.query(filter)
  return {
    ...main,
    url,
    app,
    createAccount: async (input?: NewAccountInput) => handle(createAccount(e, input).id),
    account: async (id) => handle(id),
    requests,
    waitForRequest: async (filter = {}, wait = {}) => waitForEntry(async () => requests({ ...filter, limit: 1 }), filter, wait, 20),
    reset: async () => { resetAll(e) },
    clock: {
      advance: (seconds) => { k.clock.advance(clockAdvance(seconds, k.clock.now())) },
      set: (iso) => { k.clock.set(clockInstant(iso)) },
      real: () => { k.clock.real() },
      freeze: () => { k.clock.freeze() },
      state: () => k.clock.state()
    },
    close: async () => { await app.close() }
  }
}
