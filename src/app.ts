import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { resolveConfig, type Config } from './config.js'
import { AccountStore } from './kernel/accounts.js'
import { ControllableClock } from './kernel/clock.js'
import { kernelMigrations, migrate, openDatabase, type Database } from './kernel/database.js'
import { defaultAccount } from './kernel/default-account.js'
import { SqliteIdGenerator, type IdGenerator } from './kernel/ids.js'
import { VERSION, type Kernel } from './kernel/kernel.js'
import { defaultRateLimits } from './kernel/limits.js'
import { FixedWindowLimiter } from './kernel/rate-limit.js'
import { controlPlane } from './control/index.js'
import { services } from './services/index.js'

export interface BuildOptions {
  /** Settings; anything left out takes its default. Never read from the environment here. */
  config?: Partial<Config>
  /** An open database; by default one is opened at `config.DATABASE_PATH` and closed with the app. */
  db?: Database
  clock?: ControllableClock
  /** Id source; by default SQLite sequences plus a PRNG seeded from `config.ID_SEED`. */
  ids?: (db: Database) => IdGenerator
  /** A pino logger, or false (the default) for silence. */
  logger?: FastifyBaseLogger | false
}

/**
 * Builds userdouble: the kernel, the control plane and every vendor module. It never listens
 * and never reads `process.env`; the CLI (server.ts) and `startUserDouble()` do that.
 */
export async function buildApp (options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = resolveConfig(options.config)
  const ownsDb = options.db === undefined
  const db = options.db ?? openDatabase(config.DATABASE_PATH)
  try {
    migrate(db, [...kernelMigrations, ...services.flatMap(s => s.migrations)])
  } catch (err) {
    if (ownsDb) db.close()
    throw err
  }
  const clock = options.clock ?? new ControllableClock()
  const ids = options.ids?.(db) ?? new SqliteIdGenerator(db, config.ID_SEED)
  const accounts = new AccountStore(db, clock)
  accounts.upsert(defaultAccount(config))

  const kernel: Kernel = {
    config,
    db,
    clock,
    ids,
    accounts,
    limiter: new FixedWindowLimiter(),
    rateLimits: defaultRateLimits(config),
    version: VERSION,
    startedAt: Date.now()
  }

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // One line per request, written in onResponse below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Vendor clients send credentials and large bodies; nothing here trusts a client's ids.
    requestIdHeader: false,
    // Upserts run synchronously in SQLite; in-flight requests finish on close.
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } }
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('kernel', kernel)
  app.decorateRequest('vendor', null)
  app.decorateRequest('account', null)

  // Which vendor a request is for, and whose account its credentials name, before anything
  // answers: fault rules and the journal match on both; the module's own hook answers 401s.
  const byPrefix = services.map(s => ({ service: s, prefix: s.prefix, slash: s.prefix + '/' }))
  app.addHook('onRequest', async (req) => {
    const path = req.url
    for (const { service, prefix, slash } of byPrefix) {
      if (path.startsWith(slash) || path === prefix || path.startsWith(prefix + '?')) {
        req.vendor = service.name
        req.account = service.identify(req) ?? null
        return
      }
    }
  })

  if (options.logger) {
    app.addHook('onResponse', async (req, reply) => {
      req.log.info({ method: req.method, url: req.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 }, 'request')
    })
  }

  // Outside every surface: JSON 404, and never a stack trace.
  app.setNotFoundHandler((req, reply) => {
    return reply.code(404).send({ error: { code: 'not_found', message: `userdouble serves /api/v2 (Zendesk), /api/public (User.com) and /__mock; nothing at ${req.method} ${req.url.split('?')[0]}` } })
  })
  app.setErrorHandler((err: Error & { statusCode?: number, code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    if (status >= 500) reply.log.error({ err }, 'unhandled error')
    return reply.code(status).send({ error: { code: err.code ?? 'error', message: status >= 500 ? 'internal error' : err.message } })
  })

  await app.register(controlPlane, { prefix: '/__mock' })
  for (const service of services) await app.register(service.plugin, { prefix: service.prefix })

  if (ownsDb) app.addHook('onClose', async () => { db.close() })
  return app
}
