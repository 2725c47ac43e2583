import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
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
import { lazySerializerFactory, lazyValidatorFactory } from './kernel/lazy-compilers.js'
import { Journal } from './kernel/journal.js'
import { FaultRules } from './kernel/faults.js'
import { maskUrl } from './kernel/journal.js'
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
  /**
   * Runs before any route is added: `npm run openapi` registers `@fastify/swagger` here, which
   * collects routes as they are added. Normal startup passes nothing and pays nothing.
   */
  beforeRoutes?: (app: FastifyInstance) => Promise<void>
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
    journal: new Journal(config.JOURNAL_LIMIT),
    faults: new FaultRules(config.ID_SEED),
    states: [],
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
    // A path Fastify cannot even decode (`/api/v2/users/%E0`) never reaches a module: answer in
    // the addressed vendor's terms, not Fastify's `FST_ERR_BAD_URL` body.
    frameworkErrors: (err, req, res) => {
      const url = req.raw.url ?? ''
      const service = services.find(s => url.startsWith(s.prefix + '/') || url === s.prefix)
      const reply = res as unknown as FastifyReply
      if (service) return service.badUrl(reply)
      return reply.code(400).send({ error: { code: 'bad_url', message: err.message } })
    },
    schemaController: { compilersFactory: { buildValidator: lazyValidatorFactory() as never, buildSerializer: lazySerializerFactory() as never } },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } }
  }).withTypeProvider<TypeBoxTypeProvider>()

  kernel.states = services.map(s => ({ name: s.name, state: s.state(kernel) }))
  app.decorate('kernel', kernel)
  app.decorateRequest('vendor', null)
  app.decorateRequest('account', null)
  app.decorateRequest('journalPayload', null)
  app.decorateRequest('fault', null)

  // Which vendor a request is for, and whose account its credentials name, before anything
  // answers: fault rules and the journal match on both; the module's own hook answers 401s.
  const byPrefix = services.map(s => ({ service: s, prefix: s.prefix, slash: s.prefix + '/' }))
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url
    for (const { service, prefix, slash } of byPrefix) {
      if (path.startsWith(slash) || path === prefix || path.startsWith(prefix + '?')) {
        req.vendor = service.name
        req.account = service.identify(req) ?? null
        break
      }
    }
    if (req.vendor === null || kernel.faults.size === 0) return
    const q = req.url.indexOf('?')
    const rule = kernel.faults.match(req.vendor, req.method, q === -1 ? req.url : req.url.slice(0, q), req.account?.id ?? null)
    if (!rule) return
    req.fault = rule.id
    if (rule.latencyMs > 0) await new Promise(resolve => setTimeout(resolve, rule.latencyMs))
    if (rule.action === 'drop') {
      recordEntry(req, 0, {}, null)
      reply.hijack()
      req.raw.socket?.destroy()
      return reply
    }
    if (rule.action === 'respond') {
      const body = rule.body === undefined ? '' : rule.body
      const text = typeof body === 'string'
      reply.code(rule.status ?? 500)
      if (rule.headers) reply.headers(rule.headers)
      reply.type(rule.contentType ?? (text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'))
      return reply.send(text ? body : JSON.stringify(body))
    }
  })

  // The journal: every vendor request with its response (a bounded ring per account).
  const recordEntry = (req: FastifyRequest, status: number, headers: Record<string, unknown>, payload: unknown, durationMs = 0): void => {
    const q = req.url.indexOf('?')
    kernel.journal.record({
      at: kernel.clock.now(),
      account: req.account?.id ?? null,
      vendor: req.vendor!,
      method: req.method,
      path: q === -1 ? req.url : req.url.slice(0, q),
      query: q === -1 ? '' : req.url.slice(q),
      headers: req.headers,
      // Modules that parse late (User.com, like DRF) leave the raw bytes: decoded when read.
      body: req.body ?? null,
      status,
      responseHeaders: headers,
      responseBody: payload,
      durationMs,
      fault: req.fault ?? undefined
    })
  }
  if (config.JOURNAL_LIMIT > 0) {
    // The payload is only seen in onSend; the headers are final only in onResponse, after the
    // vendor modules' own onSend hooks have added theirs.
    app.addHook('onSend', async (req, _reply, payload) => {
      if (req.vendor !== null) req.journalPayload = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null
      return payload
    })
    app.addHook('onResponse', async (req, reply) => {
      if (req.vendor !== null) recordEntry(req, reply.statusCode, reply.getHeaders(), req.journalPayload, Math.round(reply.elapsedTime * 100) / 100)
    })
  }

  // No hook at all when info lines would be dropped anyway (LOG_LEVEL=warn or quieter).
  if (options.logger && ((options.logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') ?? true)) {
    app.addHook('onResponse', async (req, reply) => {
      req.log.info({ method: req.method, url: maskUrl(req.url), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 }, 'request')
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

  if (options.beforeRoutes) await options.beforeRoutes(app)
  await app.register(controlPlane, { prefix: '/__mock' })
  for (const service of services) await app.register(service.plugin, { prefix: service.prefix })

  app.addHook('onClose', async () => {
    ids.flush()
    if (ownsDb) db.close()
  })
  return app
}
