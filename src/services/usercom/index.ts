import type { FastifyInstance, FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import { migrate } from '../../kernel/database.js'
import type { Kernel } from '../../kernel/kernel.js'
import type { Service, VendorFacts, VendorModule } from '../../kernel/service.js'
import vendorScope from '../../kernel/vendor-scope.js'
import { authenticationError, credentialFacts, identifyAccount } from './auth.js'
import { DJANGO_500, DrfError, errors } from './errors.js'
import { allowHeader, sendDrf, splitUrl } from './http.js'
import { usercomMigrations } from './migrations.js'
import { negotiate } from './negotiation.js'
import { PyRecursionError } from './pyjson.js'
import { usercomState } from './state.js'
import { checkThrottle, LimitOverridesSchema, LimitsSchema, usercomLimitDefaults, type UsercomLimitSettings } from './throttle.js'
import { UsersStore } from './users.store.js'
import { usersRoutes } from './users.routes.js'

/**
 * User.com's public REST API, as the Django REST Framework service behind it answers: Django's
 * URL resolution first (404, APPEND_SLASH 301), then DRF's view in its order (negotiation and
 * version, TokenAuthentication, throttle, method, then the body, parsed lazily), DRF's error
 * bodies, and nothing of Fastify's own.
 *
 * @see https://user.com/en/api/
 */

/** Over this, the body is refused before parsing (Django's DATA_UPLOAD_MAX_MEMORY_SIZE is 2.5 MB). */
export const BODY_LIMIT = 2_621_440

interface RouteEntry { url: string, re: RegExp, params: number, methods: Set<string>, allow: string }

/** Route URL to a regex as Django's router writes it: a pk is `[^/.]+`, other lookups `[^/]+`. */
function toRegex (url: string): RegExp {
  const body = url.split('/').map(seg => {
    if (seg.startsWith(':')) return seg === ':id' ? '[^/.]+' : '[^/]+'
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }).join('/')
  return new RegExp(`^${body}$`)
}

interface Parts { service: Service, kernel: Kernel, store: UsersStore, limits: UsercomLimitSettings }

async function plugin (app: FastifyInstance, { service, kernel, store, limits }: Parts): Promise<void> {
  await app.register(vendorScope, { service })

  // Which URLs exist and with which methods: Django resolves the URL before DRF looks at the
  // method, so a known URL with another method is a 405 (after auth), an unknown one a 404.
  const table: RouteEntry[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    let entry = table.find(e => e.url === route.url)
    if (!entry) {
      entry = { url: route.url, re: toRegex(route.url), params: (route.url.match(/:/g) ?? []).length, methods: new Set(), allow: '' }
      table.push(entry)
      // Static URLs before parametric ones, as the router lists actions before the detail route.
      table.sort((a, b) => a.params - b.params)
    }
    for (const m of methods) entry.methods.add(m)
    entry.allow = allowHeader(entry.methods)
  })
  const resolve = (path: string): RouteEntry | undefined => table.find(e => e.re.test(path))
  const allowOf = (req: FastifyRequest): string => req.usercom?.allow ?? resolve(splitUrl(req.url).path)?.allow ?? ''

  app.decorateRequest('usercom', null)
  // DRF validates; Fastify's validation never answers a User.com client. Schemas document.
  app.setValidatorCompiler(() => () => true)
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => { done(null, body) })
  await app.register(multipart, { limits: { fieldSize: BODY_LIMIT, fileSize: BODY_LIMIT, fields: 1000 } })

  app.addHook('onRequest', async (req) => {
    const route = resolve(splitUrl(req.url).path)
    if (!route) {
      if (req.is404) return
      throw errors.notFound()
    }
    const format = (req.query as Record<string, string | string[] | undefined>).format
    req.usercom = { ...negotiate(req.headers.accept, Array.isArray(format) ? format[format.length - 1] : format), allow: route.allow }
    if (!req.account) throw authenticationError(req)
    checkThrottle(kernel, limits, req.account)
    if (req.method !== 'OPTIONS' && !route.methods.has(req.method)) throw errors.methodNotAllowed(req.method, route.allow)
  })

  app.setErrorHandler((err: Error & { code?: string, statusCode?: number }, req, reply) => {
    const allow = allowOf(req)
    const base: Record<string, string> = allow ? { allow } : {}
    if (err instanceof DrfError) return sendDrf(req, reply, err.statusCode, err.body, { ...base, ...err.headers }, err.forceJson)
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const e = errors.tooLarge()
      return sendDrf(req, reply, e.statusCode, e.body, base)
    }
    if (!(err instanceof PyRecursionError) && err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      const e = errors.malformed()
      return sendDrf(req, reply, e.statusCode, e.body, base)
    }
    if (!(err instanceof PyRecursionError)) reply.log.error({ err }, 'usercom: unhandled error')
    return reply.code(500).type('text/html; charset=utf-8').send(DJANGO_500)
  })

  app.setNotFoundHandler((req, reply) => {
    const { path, query } = splitUrl(req.url)
    const route = resolve(path)
    if (route && req.method === 'OPTIONS') {
      // Not emulated: DRF's `actions` block (serializer field descriptions) for POST/PUT.
      return sendDrf(req, reply, 200, {
        name: route.url.includes('update_or_create') ? 'Update or create' : route.params > 0 ? 'User Instance' : 'User List',
        description: '',
        renders: ['application/json'],
        parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']
      }, { allow: route.allow })
    }
    if (!path.endsWith('/') && resolve(path + '/')) {
      // Django's APPEND_SLASH: a relative Location, an empty HTML body, for every method.
      return reply.code(301).header('location', `${path}/${query ? '?' + query : ''}`).type('text/html; charset=utf-8').send('')
    }
    return sendDrf(req, reply, 404, { detail: 'Not found.' }, {}, true)
  })

  await app.register(usersRoutes({ store, allowOf }))
}

const FACTS: VendorFacts = { name: 'usercom', title: 'User.com', prefix: '/api/public', baseUrlPath: '/api/public' }

/** User.com: its facts, and its service for one app (tables, statements, limits), made once. */
export const usercom: VendorModule = { ...FACTS, create }

function create (kernel: Kernel): Service {
  migrate(kernel.db, usercomMigrations, 'usercom/')
  const store = new UsersStore(kernel.db, kernel.clock, kernel.ids)
  const limits = usercomLimitDefaults(kernel.config)
  const service: Service = {
    ...FACTS,
    plugin: async (app) => { await plugin(app, { service, kernel, store, limits }) },
    state: usercomState(kernel, store),
    credentials: credentialFacts(kernel),
    rateLimits: { defaults: limits, schema: LimitsSchema, overridesSchema: LimitOverridesSchema, windowKinds: { '': 'per period' } },
    stateDescription: '`{ users: [...] }` with each user as GET /api/public/users/{id}/ renders it.',
    identify: (req) => identifyAccount(kernel.accounts, req),
    // Django decodes with replacement characters, so no URL pattern matches: DRF's 404. A Buffer,
    // so that no charset is added: DRF's JSONRenderer sends none.
    badUrl: (reply) => reply.code(404).header('content-type', 'application/json').send(Buffer.from('{"detail":"Not found."}')),
    // Refused before Django runs: DRF's `{"detail": …}` shape with the status's reason [INF].
    clientError: (status) => ({ contentType: 'application/json', body: JSON.stringify({ detail: status === 408 ? 'Request timeout.' : status === 431 ? 'Request header fields too large.' : 'Bad request.' }) })
  }
  return service
}
