import type { AddressInfo } from 'node:net'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import pino from 'pino'
import { buildApp } from './app.js'
import { resolveConfig, type Config } from './config.js'
import {
  createAccount, dumpState, loadState, overrideRateLimits, rateLimitsOf, requireAccount, resetAccount, resetAll, restoreFresh, viewAccount, type NewAccountInput
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
  /**
   * Reuse an app an earlier `close()` set aside, made fresh (default true): a test pays for
   * Fastify's routes once per process instead of once per `startUserDouble()`. The state it gives
   * is the same as a new app's (see docs/in-process.md); `false` always builds a new app.
   * Only in-memory databases, no logger, are reused.
   */
  reuse?: boolean
}

/** One account: its credentials, base URLs, data, limits, faults and journal. */
export type UserDoubleAccount = AccountHandle

/** userdouble started in this process: the default account's handle, every account, the clock. */
export interface UserDouble extends ControlHandle<void> {
  /** The Fastify app, for `app.inject()` without a socket; reading it after `close()` throws. */
  readonly app: FastifyInstance
  /** Stops listening; every method of this handle throws from then on. */
  close: () => Promise<void>
}

// ----- apps set aside by close(), reused by a later startUserDouble() (issue 17, the fixture cycle) -----
/** Closed apps waiting for reuse, oldest first, each with the configuration it was built with. */
const spares: Array<{ key: string, app: FastifyInstance }> = []
/** Spares kept across configurations; past it, the oldest is closed for good. */
const MAX_SPARES = 4
/** Apps closed by `app.close()` (a user's, or ours): never reused. */
const closedApps = new WeakSet<FastifyInstance>()

/** The key of the apps these options may reuse, or undefined when they build their own. */
function spareKey (options: StartOptions): string | undefined {
  if (options.reuse === false || options.logger || options.logLevel !== undefined || options.config?.LOG_LEVEL !== undefined) return undefined
  // Fastify listens on two addresses for `localhost`; a reused app listens on one.
  if (options.host === 'localhost') return undefined
  const config = resolveConfig({ DATABASE_PATH: ':memory:', ...options.config })
  return config.DATABASE_PATH === ':memory:' ? JSON.stringify(config) : undefined
}

/** The newest spare built with `key`, made fresh. */
function takeSpare (key: string): FastifyInstance | undefined {
  for (let i = spares.length - 1; i >= 0; i--) {
    if (spares[i]!.key !== key) continue
    const { app } = spares.splice(i, 1)[0]!
    if (!closedApps.has(app) && restoreFresh({ kernel: app.kernel, services: app.services })) return app
  }
  return undefined
}

/** Ends the app's connections as `app.close()` does and stops listening, leaving the app usable. */
async function setAside (app: FastifyInstance, key: string): Promise<boolean> {
  if (closedApps.has(app)) return false
  for (const end of app.kernel.closing) end()
  await new Promise<void>((resolve) => { app.server.close(() => { resolve() }) })
  spares.push({ key, app })
  // Counted once the app is in the list, so that closes running at once cannot keep more.
  while (spares.length > MAX_SPARES) {
    const oldest = spares.shift()!.app
    try { await oldest.close() } catch { /* it is dropped either way */ }
  }
  return true
}

async function listenAgain (app: FastifyInstance, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject)
    app.server.listen({ host, port }, () => {
      app.server.off('error', reject)
      resolve()
    })
  })
  const { address, family, port: bound } = app.server.address() as AddressInfo
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${bound}`
}
// ----- end of reuse -----

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
  const key = spareKey(options)
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 0
  const spare = key === undefined ? undefined : takeSpare(key)
  const app = spare ?? await buildApp({ config: { DATABASE_PATH: ':memory:', ...options.config }, logger: loggerFor(options) })
  if (spare === undefined) app.addHook('onClose', async () => { closedApps.add(app) })
  let url: string
  try {
    url = spare ? await listenAgain(app, host, port) : await app.listen({ host, port })
  } catch (err) {
    await app.close()
    throw err
  }
  const k = app.kernel
  const e: Emulator = { kernel: k, services: app.services }
  let closed = false
  let closing: Promise<void> | undefined
  /** After close() the app may serve a later startUserDouble(): this handle must not reach it. */
  const live = (): void => { if (closed) throw new Error('this userdouble is closed: start another with startUserDouble()') }
  const handle = (id: string): UserDoubleAccount => {
    const view = viewAccount(e, requireAccount(e, id), url)
    const requests: UserDoubleAccount['requests'] = async (filter = {}) => { live(); return k.journal.query({ ...filter, account: id }) }
    return {
      id,
      zendesk: view.zendesk as UserDoubleAccount['zendesk'],
      usercom: view.usercom as UserDoubleAccount['usercom'],
      reset: async () => { live(); resetAccount(e, id) },
      requests,
      waitForRequest: async (filter = {}, wait = {}) => waitForEntry(async () => requests({ ...filter, limit: 1 }), filter, wait, 20),
      state: async () => { live(); return dumpState(e, id, url) as unknown as UserDoubleState },
      loadState: async (state) => { live(); loadState(e, id, state as Record<string, unknown>) },
      rateLimits: async () => { live(); return rateLimitsOf(e, requireAccount(e, id)) as unknown as RateLimits },
      setRateLimits: async (overrides) => {
        live()
        overrideRateLimits(e, requireAccount(e, id), overrides as Record<string, unknown>)
        return rateLimitsOf(e, requireAccount(e, id)) as unknown as RateLimits
      },
      addFault: async (rule) => { live(); return k.faults.add({ ...rule, account: id }) },
      faults: async () => { live(); return k.faults.list(id) },
      clearFaults: async () => { live(); k.faults.clear(id) }
    }
  }
  const main = handle(DEFAULT_ACCOUNT_ID)
  const requests = async (filter: JournalFilter = {}): Promise<ReturnType<typeof k.journal.query>> => { live(); return k.journal.query(filter) }
  return {
    ...main,
    url,
    get app () { live(); return app },
    createAccount: async (input?: NewAccountInput) => { live(); return handle(createAccount(e, input).id) },
    account: async (id) => { live(); return handle(id) },
    requests,
    waitForRequest: async (filter = {}, wait = {}) => waitForEntry(async () => requests({ ...filter, limit: 1 }), filter, wait, 20),
    reset: async () => { live(); resetAll(e) },
    clock: {
      advance: (seconds) => { live(); k.clock.advance(clockAdvance(seconds, k.clock.now())) },
      set: (iso) => { live(); k.clock.set(clockInstant(iso)) },
      real: () => { live(); k.clock.real() },
      freeze: () => { live(); k.clock.freeze() },
      state: () => { live(); return k.clock.state() }
    },
    // A second close() waits for the first.
    close: async () => await (closing ??= (async () => {
      closed = true
      if (key !== undefined && await setAside(app, key)) return
      await app.close()
    })())
  }
}
