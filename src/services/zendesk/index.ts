import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createRequire } from 'node:module'
import { migrate } from '../../kernel/database.js'
import type { Kernel } from '../../kernel/kernel.js'
import type { Service, ServiceState, VendorFacts, VendorModule } from '../../kernel/service.js'
import vendorScope from '../../kernel/vendor-scope.js'
import { credentialFacts, identify, rejection } from './auth.js'
import { cachingHeaders, mergeSlashes } from './headers.js'
import { BodyTooLarge, InvalidEndpoint, MalformedBody, RecordInvalid, ZendeskError } from './errors.js'
import { JobQueue } from './jobs.js'
import { zendeskMigrations } from './migrations.js'
import { LimitOverridesSchema, LimitsSchema, ZendeskRateLimits } from './rate-limits.js'
import { dumpAccount, loadAccount } from './state.js'
import { requestId, unroutable, usersRoutes } from './users.routes.js'
import { UsersStore } from './users.store.js'
import { ZendeskUserListing } from './users.listing.js'

// qs loads on the first form-encoded body: most clients send JSON, and start-up stays lean.
const require = createRequire(import.meta.url)
let qsParse: ((body: string, options: object) => unknown) | undefined
const parseForm = (body: string): unknown => (qsParse ??= (require('qs') as { parse: (b: string, o: object) => unknown }).parse)(body, QS_OPTIONS)

/**
 * Zendesk Support API, users subset: an encapsulated plugin under `/api/v2` that speaks Rails'
 * wire format and nothing else. It has its own body parsers (JSON, form bracket notation, and
 * anything else read as no parameters, as Rails does), its own error and not-found handlers, and
 * its own auth and rate-limit hook; no Fastify default body can reach a Zendesk client.
 * @see https://developer.zendesk.com/api-reference/ticketing/users/users/
 */

/** `users/me` is the one route open to anonymous callers. */
const ANONYMOUS = new Set(['/api/v2/users/me', '/api/v2/users/me.json'])

const QS_OPTIONS = { depth: 5, parameterLimit: 1000, arrayLimit: 100, allowPrototypes: false } as const

function send (reply: FastifyReply, err: ZendeskError): FastifyReply {
  reply.code(err.statusCode)
  for (const [name, value] of Object.entries(err.headers)) reply.header(name, value)
  if (err.kind === 'text') return reply.type('text/plain; charset=utf-8').send(err.body())
  // Pre-serialized: a response schema must not drop or reorder an error's fields.
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(err.body()))
}

/** What Fastify or SQLite raise, in Zendesk's terms; undefined for a true internal error. */
function translate (err: FastifyError & { code?: string }): ZendeskError | undefined {
  if (err instanceof ZendeskError) return err
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) return new BodyTooLarge()
  // Unique indexes back the lookups; only a bug could reach them, and it is still a 422, not a 500.
  if (typeof err.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT_UNIQUE')) {
    return new RecordInvalid({ base: [{ description: 'Value: is already being used by another user', error: 'DuplicateValue' }] })
  }
  // Anything else a client caused (bad JSON, a body Fastify refuses) is Rails' text/plain 400.
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return new MalformedBody()
  return undefined
}

const serialize = (data: unknown): string => JSON.stringify(data)

interface Parts {
  kernel: Kernel
  store: UsersStore
  jobs: JobQueue
  limits: ZendeskRateLimits
}

async function plugin (app: FastifyInstance, { service, kernel, store, jobs, limits }: Parts & { service: Service }): Promise<void> {
  await app.register(vendorScope, { service })

  // Zendesk's own parameter filter (users.input.ts) decides every 400, in its words and order;
  // the route schemas document what it accepts and drive serialization, they do not validate.
  app.setValidatorCompiler(() => () => true)
  // Renderers build every body in Zendesk's key order with exactly its keys (users.render.ts), so
  // the response schemas only document: JSON.stringify writes the bodies, and no route pays for
  // compiling a serializer on its first request (the first create_or_update of a fresh process).
  app.setSerializerCompiler(() => serialize)

  app.removeAllContentTypeParsers()
  const json = app.getDefaultJsonParser('remove', 'remove')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    // An empty body is no parameters (Rails), not Fastify's FST_ERR_CTP_EMPTY_JSON_BODY.
    if ((body as string).trim() === '') return done(null, {})
    json(req, body as string, done)
  })
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string))
    } catch {
      done(new MalformedBody(), undefined)
    }
  })
  // Not emulated: multipart and other types; Rails leaves their params empty, and so do we.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => { done(null, undefined) })

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-zendesk-api-version', 'v2')
    reply.header('x-request-id', requestId(kernel))
    if (unroutable(req)) throw new InvalidEndpoint()
    const account = req.account
    if (!account) {
      // Rails routes before it authenticates: an unknown path is a 404 with or without credentials.
      if (req.is404) return
      const refusal = rejection(req, ANONYMOUS.has(req.routeOptions.url ?? ''))
      if (refusal) throw refusal
      return
    }
    limits.account(account, reply)
    jobs.runDue(account.id, kernel.clock.now())
  })

  app.addHook('onSend', async (req, reply, payload) => {
    cachingHeaders(req, reply, payload)
    return payload
  })

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const zendesk = translate(err)
    if (zendesk) return send(reply, zendesk)
    req.log.error({ err }, 'zendesk: internal error')
    return reply.code(500).type('application/json; charset=utf-8').send(JSON.stringify({ error: 'InternalError', description: 'Internal Server Error' }))
  })

  // Unknown paths and known paths with the wrong method alike (Rails has no 405 here).
  app.setNotFoundHandler(async (_req, reply) => send(reply, new InvalidEndpoint()))

  await usersRoutes(app, { kernel, store, jobs, limits })
}

function state ({ kernel, store, jobs }: Parts): ServiceState {
  const listing = new ZendeskUserListing(kernel.db)
  return {
    reset: (accountId) => {
      jobs.reset(accountId)
      store.reset(accountId)
    },
    dump: (accountId, origin) => {
      jobs.runDue(accountId, kernel.clock.now())
      return dumpAccount(store, accountId, origin)
    },
    load: (accountId, data) => loadAccount(kernel, store, jobs, accountId, data),
    count: (accountId) => ({ ...store.count(accountId), job_statuses: jobs.count(accountId) }),
    listUsers: (accountId, query) => listing.list(accountId, query)
  }
}

const FACTS: VendorFacts = { name: 'zendesk', title: 'Zendesk', prefix: '/api/v2', baseUrlPath: '/api/v2' }

/** Zendesk: its facts, and its service for one app (tables, statements, limits), made once. */
export const zendesk: VendorModule = { ...FACTS, create }

function create (kernel: Kernel): Service {
  migrate(kernel.db, zendeskMigrations, 'zendesk/')
  const store = new UsersStore(kernel.db, kernel.ids)
  const parts: Parts = { kernel, store, jobs: new JobQueue(kernel.db, kernel.ids, store), limits: new ZendeskRateLimits(kernel) }
  const service: Service = {
    ...FACTS,
    plugin: async (app) => { await plugin(app, { ...parts, service }) },
    state: state(parts),
    credentials: credentialFacts(kernel),
    rateLimits: {
      defaults: parts.limits.defaults,
      schema: LimitsSchema,
      overridesSchema: LimitOverridesSchema,
      windowKinds: { minute: 'account per minute', 'create-update-second': 'create/update per second', 'create_or_update-user': 'create_or_update per user per minute', 'update-user': 'PUT users/{id} per user per minute' }
    },
    stateDescription: '`{ users: [...] }` with each user as GET /api/v2/users/{id} renders it.',
    identify: (req) => identify(kernel.accounts, req),
    // Rails answers a path it cannot decode with a bare 400 (ActionController::BadRequest).
    rewriteUrl: mergeSlashes,
    badUrl: (reply) => reply.code(400).header('content-type', 'text/plain; charset=utf-8').header('x-zendesk-api-version', 'v2').send('Bad Request'),
    // Below Rails (the front proxies): the status's reason phrase as text/plain [INF].
    clientError: (status) => ({ contentType: 'text/plain; charset=utf-8', body: STATUS_CODES[status] ?? 'Bad Request', headers: { 'x-zendesk-api-version': 'v2' } })
  }
  return service
}
