import { requestOrigin } from '../../kernel/origin.js'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HEX } from '../../kernel/ids.js'
import type { Kernel } from '../../kernel/kernel.js'
import { InvalidAttribute, InvalidEndpoint, RecordNotFound, TooManyParameterValues, TooManyValues } from './errors.js'
import type { JobQueue } from './jobs.js'
import type { Profile, ZendeskRateLimits } from './rate-limits.js'
import { isHash, parseUserHash, parseUserParams, type UserInput } from './users.input.js'
import { renderAgent, renderAnonymous, renderUser, userUrl } from './users.render.js'
import { Type } from '@sinclair/typebox'
import {
  InvalidEndpointSchema, JobIdParamsSchema, JobStatusSchema, ManyUsersBodySchema, MeSchema, RecordInvalidSchema, RecordNotFoundSchema,
  SearchQuerySchema, ShowManyQuerySchema, UserBodySchema, UserEnvelopeSchema, UserIdParamsSchema, UsersPageSchema,
  badRequest, commonResponses
} from './users.schemas.js'
import type { UserRow } from './users.model.js'
import type { UsersStore } from './users.store.js'
import { fold } from './vocabulary.js'
import { usersCollectionRoutes } from './users.collection.js'
import { identitiesRoutes } from './identities.routes.js'
import { userFieldsRoutes } from './user-fields.routes.js'

export interface RouteDeps {
  kernel: Kernel
  store: UsersStore
  jobs: JobQueue
  limits: ZendeskRateLimits
}

/** Routes answer with and without the `.json` format suffix, and nothing else (§1.1). */
const both = (path: string): string[] => [path, `${path}.json`]

const ID_PARAM = /^(-?\d+)(?:\.json)?$/
const ONE_SEGMENT = /^[^.]+(?:\.json)?$/

/**
 * `:id` with its optional `.json`: an integer, else Zendesk's 400 naming the controller action;
 * a doubled or foreign suffix does not match Rails' route at all (404 InvalidEndpoint).
 */
function parseId (raw: string, action: string): number {
  const m = ID_PARAM.exec(raw)
  if (m) return Number(m[1])
  if (!ONE_SEGMENT.test(raw)) throw new InvalidEndpoint()
  throw new InvalidAttribute('id', 'must be an integer', action)
}

/**
 * Whether Rails would route this request at all: `:id` never holds a dot but for the format
 * suffix, so `users/1.json.json` is an unknown path (404 before authentication), not an id.
 */
export function unroutable (req: FastifyRequest): boolean {
  if (!req.routeOptions.url?.endsWith('/:id')) return false
  return !ONE_SEGMENT.test((req.params as { id?: string }).id ?? '')
}

/** The per-user limiter's key and the 429 text's fields, from the request (§5.2). */
export function profileOf (input: UserInput): Profile {
  const email = input.email ?? input.identities?.find(i => i.type === 'email')?.value ?? ''
  const externalId = input.external_id ?? ''
  const key = externalId.trim() || email.trim() || (input.id ?? '')
  return { key: fold(key), email, id: input.id ?? '', externalId }
}

const PER_PAGE = 100
/** Search returns at most 10,000 records [DOC]: pages past them are empty (and no SQL runs). */
const SEARCH_MAX_RECORDS = 10_000

function pageParams (query: Record<string, unknown>): { page: number, perPage: number } {
  const page = Number.parseInt(String(query.page ?? '1'), 10)
  const perPage = Number.parseInt(String(query.per_page ?? PER_PAGE), 10)
  return {
    page: Number.isFinite(page) && page > 0 ? page : 1,
    perPage: Number.isFinite(perPage) && perPage > 0 ? Math.min(perPage, PER_PAGE) : PER_PAGE
  }
}

function pageUrl (req: FastifyRequest, origin: string, page: number): string {
  const params = new URLSearchParams(req.url.split('?')[1] ?? '')
  params.set('page', String(page))
  return `${origin}${req.url.split('?')[0]}?${params.toString()}`
}

export async function usersRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { kernel, store, jobs, limits } = deps
  const clock = kernel.clock

  const userResponses = { ...commonResponses, 400: badRequest, 422: RecordInvalidSchema }

  for (const url of both('/users/create_or_update')) {
    app.post(url, {
      schema: {
        summary: 'Create or update a user',
        description: 'Matches an active user by external_id (case-insensitive), then by any email identity; updates it (200, patch semantics) or creates one (201). Both answer `Location`.',
        tags: ['users'],
        body: UserBodySchema,
        response: { 200: UserEnvelopeSchema, 201: UserEnvelopeSchema, ...userResponses }
      }
    }, async (req, reply) => {
      const account = req.account!
      const input = parseUserParams(req.body, 'create_or_update')
      limits.endUser(account, reply, profileOf(input))
      const { user, created } = store.createOrUpdate(account.id, input, clock.now())
      const origin = requestOrigin(req)
      reply.code(created ? 201 : 200).header('location', userUrl(origin, user.id))
      return { user: renderUser(user, origin, store.fields.views(account.id)) }
    })
  }

  for (const url of both('/users/create_or_update_many')) {
    app.post(url, {
      schema: {
        summary: 'Create or update many users',
        description: 'Up to 100 users, each matched like create_or_update, processed by a job that is queued for a second, working for a second and then completed, on the userdouble clock.',
        tags: ['users'],
        body: ManyUsersBodySchema,
        response: { 200: JobStatusSchema, ...commonResponses, 400: badRequest }
      }
    }, async (req, reply) => {
      const account = req.account!
      const users = isHash(req.body) ? req.body.users : undefined
      if (!Array.isArray(users)) throw new InvalidAttribute('users', 'must be an array', 'create_or_update_many')
      if (users.length > 100) throw new TooManyValues()
      for (const u of users) {
        if (!isHash(u)) throw new InvalidAttribute('users', 'must be a hash', 'create_or_update_many')
        parseUserHash(u, 'create_or_update_many')
      }
      const s = limits.settings(account)
      const maxJobs = s ? s.maxJobs : 0
      const now = clock.now()
      const { job, inFlight } = jobs.submit(account.id, users as Array<Record<string, unknown>>, now, maxJobs)
      if (maxJobs > 0) reply.header('zendesk-ratelimit-inflight-jobs', `total=${maxJobs}; remaining=${Math.max(0, maxJobs - inFlight)}; resets=${Math.ceil((job.completes_ms - now) / 1000)}`)
      return jobs.render(job, requestOrigin(req), now)
    })
  }

  for (const url of both('/job_statuses/:id')) {
    app.get(url, {
      schema: {
        summary: 'Show a job status',
        tags: ['job_statuses'],
        params: JobIdParamsSchema,
        response: { 200: JobStatusSchema, ...commonResponses, 404: Type.Union([RecordNotFoundSchema, InvalidEndpointSchema], { description: 'RecordNotFound for an unknown or expired job; InvalidEndpoint for a path Zendesk does not route.' }) }
      }
    }, async (req) => {
      const raw = (req.params as { id: string }).id
      if (!ONE_SEGMENT.test(raw)) throw new InvalidEndpoint()
      const now = clock.now()
      const job = jobs.get(req.account!.id, raw.replace(/\.json$/, ''), now)
      if (!job) throw new RecordNotFound()
      return jobs.render(job, requestOrigin(req), now)
    })
  }

  for (const url of both('/users/me')) {
    app.get(url, {
      schema: {
        summary: 'Show the authenticated user',
        description: 'Open to anonymous callers: without credentials, or with a wrong password, 200 with the "Anonymous user". A wrong API token or OAuth token is a 401.',
        tags: ['users'],
        response: { 200: MeSchema, ...commonResponses }
      }
    }, async (req) => {
      const token = kernel.ids.token(44, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
      return { user: req.account ? renderAgent(req.account, requestOrigin(req), token) : renderAnonymous(token) }
    })
  }

  for (const url of both('/users/search')) {
    app.get(url, {
      schema: {
        summary: 'Search users',
        description: '`external_id=` (exact, case-insensitive) or `query=`; offset pagination, at most 100 per page, active users only. Immediate, unlike `/api/v2/search`.',
        tags: ['users'],
        querystring: SearchQuerySchema,
        response: { 200: UsersPageSchema, ...commonResponses }
      }
    }, async (req) => {
      const accountId = req.account!.id
      const query = req.query as Record<string, unknown>
      const { page, perPage } = pageParams(query)
      const offset = (page - 1) * perPage
      let rows: UserRow[]
      let count: number
      const one = (u: UserRow | undefined): void => {
        const all = u && u.active ? [u] : []
        count = all.length
        rows = all.slice(offset, offset + perPage)
      }
      if (typeof query.external_id === 'string') {
        one(query.external_id.trim() ? store.byExternalId(accountId, query.external_id.trim()) : undefined)
      } else {
        const text = typeof query.query === 'string' ? query.query.replace(/\btype:user\b/i, '').trim() : ''
        const field = /^(email|external_id):(.+)$/i.exec(text)
        if (field) one(field[1]!.toLowerCase() === 'email' ? store.byEmail(accountId, field[2]!.trim()) : store.byExternalId(accountId, field[2]!.trim()))
        else if (text.includes('@')) one(store.byEmail(accountId, text))
        else if (text === '') one(undefined)
        else {
          const within = offset < SEARCH_MAX_RECORDS
          ;({ rows, count } = store.searchText(accountId, text.replace(/^name:/i, ''), within ? Math.min(perPage, SEARCH_MAX_RECORDS - offset) : 0, within ? offset : 0))
        }
      }
      const origin = requestOrigin(req)
      return {
        users: rows!.map(r => renderUser(r, origin, store.fields.views(accountId))),
        next_page: offset + perPage < Math.min(count!, SEARCH_MAX_RECORDS) ? pageUrl(req, origin, page + 1) : null,
        previous_page: page > 1 ? pageUrl(req, origin, page - 1) : null,
        count: count!
      }
    })
  }

  for (const url of both('/users/show_many')) {
    app.get(url, {
      schema: {
        summary: 'Show many users',
        description: '`ids=1,2` or `external_ids=a,b`, at most 100 values; unknown ones are left out.',
        tags: ['users'],
        querystring: ShowManyQuerySchema,
        response: { 200: UsersPageSchema, ...commonResponses, 400: badRequest }
      }
    }, async (req) => {
      const accountId = req.account!.id
      const query = req.query as Record<string, unknown>
      const list = (name: string): string[] => typeof query[name] === 'string' ? [...new Set((query[name] as string).split(',').map(s => s.trim()).filter(Boolean))] : []
      const ids = list('ids')
      const externalIds = ids.length > 0 ? [] : list('external_ids')
      if (ids.length > 100) throw new TooManyParameterValues('ids')
      if (externalIds.length > 100) throw new TooManyParameterValues('external_ids')
      const rows: UserRow[] = []
      for (const id of ids) {
        const u = /^\d+$/.test(id) ? store.get(accountId, Number(id)) : undefined
        if (u) rows.push(u)
      }
      for (const e of externalIds) {
        const u = store.byExternalId(accountId, e)
        if (u) rows.push(u)
      }
      const origin = requestOrigin(req)
      return { users: rows.map(r => renderUser(r, origin, store.fields.views(accountId))), next_page: null, previous_page: null, count: rows.length }
    })
  }

  const byIdResponses = { ...commonResponses, 400: badRequest, 404: Type.Union([RecordNotFoundSchema, InvalidEndpointSchema], { description: 'RecordNotFound for an unknown id; InvalidEndpoint for a path Zendesk does not route (`users/1.json.json`).' }) }

  app.get('/users/:id', {
    schema: {
      summary: 'Show a user',
      description: 'Deleted users are still shown, with `active: false`.',
      tags: ['users'],
      params: UserIdParamsSchema,
      response: { 200: UserEnvelopeSchema, ...byIdResponses }
    }
  }, async (req) => {
    const id = parseId((req.params as { id: string }).id, 'show')
    const user = store.get(req.account!.id, id)
    if (!user) throw new RecordNotFound()
    return { user: renderUser(user, requestOrigin(req), store.fields.views(req.account!.id)) }
  })

  app.put('/users/:id', {
    schema: {
      summary: 'Update a user',
      description: 'Patch semantics, like the update branch of create_or_update. Shares the per-user limit of 5 per minute.',
      tags: ['users'],
      params: UserIdParamsSchema,
      body: UserBodySchema,
      response: { 200: UserEnvelopeSchema, ...byIdResponses, 422: RecordInvalidSchema }
    }
  }, async (req, reply) => {
    const account = req.account!
    const id = parseId((req.params as { id: string }).id, 'update')
    const input = parseUserParams(req.body, 'update')
    // Keyed on the user in the URL, whatever the body names (§10.6).
    limits.endUser(account, reply, { ...profileOf(input), key: String(id) }, 'update')
    const user = store.update(account.id, id, input, clock.now())
    return { user: renderUser(user, requestOrigin(req), store.fields.views(account.id)) }
  })

  app.delete('/users/:id', {
    schema: {
      summary: 'Delete a user',
      description: 'Soft delete: `active: false`, email, external_id and identities cleared; the same keys later make a new user.',
      tags: ['users'],
      params: UserIdParamsSchema,
      response: { 200: UserEnvelopeSchema, ...byIdResponses }
    }
  }, async (req) => {
    const id = parseId((req.params as { id: string }).id, 'destroy')
    const user = store.softDelete(req.account!.id, id, clock.now())
    return { user: renderUser(user, requestOrigin(req), store.fields.views(req.account!.id)) }
  })

  await usersCollectionRoutes(app, deps, both)
  // Issue 13 points 4 and 5: user field definitions and the User Identities API.
  await userFieldsRoutes(app, { kernel, fields: store.fields })
  await identitiesRoutes(app, { kernel })
}

/** Request ids like `80ae9918ce8c30a1-SEA`, from the seeded generator. */
export function requestId (kernel: Kernel): string {
  return `${kernel.ids.token(16, HEX)}-SEA`
}
