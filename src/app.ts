import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { resolveConfig, type Config } from './config.js'
import { writeDefaultAccount } from './control/actions.js'
import { adminCheck, CONTROL_PREFIX, controlErrorHandler, controlNotFound, controlPlane, isControlPath } from './control/index.js'
import { AccountStore } from './kernel/accounts.js'
import { ControllableClock } from './kernel/clock.js'
import { kernelMigrations, migrate, openDatabase, openMemoryDatabase, saveMemoryImage, type Database } from './kernel/database.js'
import { FaultRules } from './kernel/faults.js'
import { SqliteIdGenerator, type IdGenerator } from './kernel/ids.js'
import { closeSocketsOnClose, closeWhenBodyUnread, httpLayerOptions } from './kernel/http-errors.js'
import { Journal, maskUrl } from './kernel/journal.js'
import { VERSION, type Kernel } from './kernel/kernel.js'
import { lazySerializerFactory, lazyValidatorFactory } from './kernel/lazy-compilers.js'
import { FixedWindowLimiter } from './kernel/rate-limit.js'
import type { Service } from './kernel/service.js'
import { homePage } from './home.js'
import { openapiDocs } from './openapi/index.js'
import { VENDORS } from './registry.js'

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

/** The kernel every module shares: storage, time, ids, accounts, limits, journal, faults. */
function createKernel (config: Config, db: Database, options: BuildOptions): Kernel {
  migrate(db, kernelMigrations, 'kernel/')
  const clock = options.clock ?? new ControllableClock()
  return {
    config,
    db,
    clock,
    ids: options.ids?.(db) ?? new SqliteIdGenerator(db, config.ID_SEED),
    accounts: new AccountStore(db, clock),
    limiter: new FixedWindowLimiter(),
    journal: new Journal(config.JOURNAL_LIMIT, { maxBytes: config.JOURNAL_MAX_BYTES, bodyMaxBytes: config.JOURNAL_BODY_MAX_BYTES, anonymousLimit: config.JOURNAL_ANONYMOUS_LIMIT }),
    faults: new FaultRules(config.ID_SEED),
    version: VERSION,
    startedAt: Date.now(),
    closing: new Set()
  }
}

function createFastify (options: BuildOptions, config: Config, services: readonly Service[]): FastifyInstance {
  const rewriters = services.flatMap(s => s.rewriteUrl ? [{ prefix: s.prefix + '/', rewrite: s.rewriteUrl }] : [])
  return Fastify({
    ...httpLayerOptions(config, services),
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
      const reply = res as unknown as FastifyReply
      const service = services.find(s => url.startsWith(s.prefix + '/') || url === s.prefix)
      if (service) return service.badUrl(reply)
      return reply.code(400).send({ error: { code: 'bad_url', message: err.message } })
    },
    // A vendor may normalise paths before routing, as its front servers do (Service.rewriteUrl);
    // no hook at all when none does.
    ...(rewriters.length > 0
      ? {
          rewriteUrl: (req: { url?: string }) => {
            const url = req.url ?? '/'
            for (const { prefix, rewrite } of rewriters) if (url.startsWith(prefix)) return rewrite(url)
            return url
          }
        }
      : {}),
    schemaController: { compilersFactory: { buildValidator: lazyValidatorFactory() as never, buildSerializer: lazySerializerFactory() as never } },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false, validateSchema: false } }
  }).withTypeProvider<TypeBoxTypeProvider>()
}

/**
 * Names the tables every app migrates: the kernel's and those of each module in VENDORS, all
 * constants of the build. (`migrate` still runs on a database opened from the image, and finds
 * every migration applied.)
 */
const MIGRATION_SET = ['kernel', ...VENDORS.map(v => v.name)].join(',')

/**
 * Builds userdouble: the kernel, the control plane and every vendor module. It never listens
 * and never reads `process.env`; the CLI (server.ts) and `startUserDouble()` do that.
 */
export async function buildApp (options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = resolveConfig(options.config)
  const ownsDb = options.db === undefined
  // An in-memory database of our own starts from the process's migrated image, once there is one.
  const memory = ownsDb && config.DATABASE_PATH === ':memory:' ? openMemoryDatabase(MIGRATION_SET) : undefined
  const db = options.db ?? memory?.db ?? openDatabase(config.DATABASE_PATH)
  let kernel: Kernel
  let services: Service[]
  try {
    kernel = createKernel(config, db, options)
    services = VENDORS.map(vendor => vendor.create(kernel))
    // Migrated, and nothing written yet: the image every later in-memory app starts from.
    if (memory && !memory.fromImage) saveMemoryImage(MIGRATION_SET, db)
    for (const s of services) kernel.accounts.addVendor(s.name, s.credentials.secrets)
    writeDefaultAccount({ kernel, services })
  } catch (err) {
    if (ownsDb) db.close()
    throw err
  }

  const app = createFastify(options, config, services)
  kernel.closing.add(closeSocketsOnClose(app))
  app.addHook('preClose', async () => { for (const end of kernel.closing) end() })
  closeWhenBodyUnread(app)
  app.decorate('kernel', kernel)
  app.decorate('services', services)

  // One log line per request; no hook at all when info lines would be dropped anyway.
  if (options.logger && ((options.logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') ?? true)) {
    app.addHook('onResponse', async (req, reply) => {
      req.log.info({ method: req.method, url: maskUrl(req.url), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 }, 'request')
    })
  }

  // Outside every surface: JSON 404, and never a stack trace.
  const surfaces = [...services.map(s => `${s.prefix} (${s.title})`), '/__mock']
  const served = `${surfaces.slice(0, -1).join(', ')} and ${surfaces[surfaces.length - 1]!}`
  // One not-found handler answers outside every surface and, as the control plane's own did, under
  // /__mock (controlNotFound, after its admin check; its error answers): a not-found handler of a
  // scope costs a 404 route per HTTP method. Each vendor keeps its own, which runs its scope's hooks.
  const admin = adminCheck(config.ADMIN_TOKEN)
  // Fastify runs a lifecycle hook given with the handler for 404s only (its types list two of them).
  const notFoundHooks = (admin ? { onRequest: async (req: FastifyRequest, reply: FastifyReply) => isControlPath(req.url) ? admin(req, reply) : undefined } : {}) as object
  app.setNotFoundHandler(notFoundHooks, (req, reply) => {
    if (isControlPath(req.url)) return controlNotFound(req, reply)
    return reply.code(404).send({ error: { code: 'not_found', message: `userdouble serves ${served}; nothing at ${req.method} ${req.url.split('?')[0]}` } })
  })
  app.setErrorHandler((err: Error & { statusCode?: number, code?: string }, req, reply) => {
    // Under /__mock only a request no route took gets here (a 404 whose body did not parse).
    if (isControlPath(req.url)) return controlErrorHandler(err, req, reply)
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    if (status >= 500) reply.log.error({ err }, 'unhandled error')
    return reply.code(status).send({ error: { code: err.code ?? 'error', message: status >= 500 ? 'internal error' : err.message } })
  })

  if (options.beforeRoutes) await options.beforeRoutes(app)
  await app.register(controlPlane, { prefix: CONTROL_PREFIX, extensions: [openapiDocs] })
  await app.register(homePage)
  for (const service of services) await app.register(service.plugin, { prefix: service.prefix })

  app.addHook('onClose', async () => {
    kernel.ids.flush()
    if (ownsDb) db.close()
  })
  return app
}
