import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Database } from '../../kernel/database.js'
import { requestOrigin } from '../../kernel/origin.js'
import { InvalidAttribute, RecordInvalid, type ValidationProblem } from './errors.js'
import { parseUserParams, type UserInput } from './users.input.js'
import { renderUser, userUrl } from './users.render.js'
import type { RouteDeps } from './users.routes.js'
import { externalTaken, isEmail, nonEmpty, taken, validateChanges, type Lookups } from './users.rules.js'
import {
  RecordInvalidSchema, UserBodySchema, UserEnvelopeSchema, UserSchema, badRequest, commonResponses
} from './users.schemas.js'
import type { UserRow } from './users.model.js'
import { fold } from './vocabulary.js'
import { lazily } from '../../kernel/lazy-statements.js'

/**
 * The users collection: `POST /api/v2/users` (create only) and `GET /api/v2/users` (list with
 * role filters, offset and cursor pagination), which clients pair with create_or_update.
 * @see https://developer.zendesk.com/api-reference/ticketing/users/users/#list-users
 * @see https://developer.zendesk.com/api-reference/introduction/pagination/
 */

const MAX_PAGE = 100

/**
 * POST users refuses what create_or_update would have matched: an e-mail or external_id an active
 * user holds is the 422 of §3.2, with every other problem of the user alongside, keyed in the
 * order Zendesk shows them. Runs inside the create's transaction.
 */
export function refuseTaken (lookups: Lookups, accountId: string, input: UserInput, now: number): void {
  const email = nonEmpty(input.email) ?? nonEmpty(input.identities?.find(i => i.type === 'email')?.value)
  const externalId = nonEmpty(input.external_id)
  const dup: Record<string, ValidationProblem[]> = {}
  if (email && isEmail(email) && lookups.identityOwner(accountId, 'email', fold(email)) !== undefined) dup.email = [taken('Email', email)]
  if (externalId && lookups.userByExternalKey(accountId, fold(externalId))) dup.external_id = [externalTaken()]
  if (Object.keys(dup).length === 0) return
  let others: Record<string, ValidationProblem[]> = {}
  try {
    validateChanges(lookups, accountId, undefined, input, now)
  } catch (err) {
    if (!(err instanceof RecordInvalid)) throw err
    others = err.details
  }
  const merged = { ...others, ...dup }
  const details: Record<string, ValidationProblem[]> = {}
  for (const key of ['name', 'email', 'external_id', ...Object.keys(merged)]) if (merged[key] && !details[key]) details[key] = merged[key]
  throw new RecordInvalid(details)
}

interface Filter { account: string, roles: string | null, permissionSet: number | null }

function prepare (db: Database) {
  const where = `account_id = @account AND active = 1
    AND (@roles IS NULL OR role IN (SELECT value FROM json_each(@roles)))
    AND (@permissionSet IS NULL OR custom_role_id = @permissionSet)`
  return {
    page: lazily(db).prepare<Filter & { limit: number, offset: number }, UserRow>(`SELECT * FROM zendesk_users WHERE ${where} ORDER BY id LIMIT @limit OFFSET @offset`),
    count: lazily(db).prepare<Filter, number>(`SELECT count(*) FROM zendesk_users WHERE ${where}`).pluck(),
    after: lazily(db).prepare<Filter & { limit: number, id: number }, UserRow>(`SELECT * FROM zendesk_users WHERE ${where} AND id > @id ORDER BY id LIMIT @limit`),
    before: lazily(db).prepare<Filter & { limit: number, id: number }, UserRow>(`SELECT * FROM zendesk_users WHERE ${where} AND id < @id ORDER BY id DESC LIMIT @limit`)
  }
}

/** Opaque cursors, as Zendesk's are (base64 of a small JSON): the id a page ends on. */
const encodeCursor = (id: number): string => Buffer.from(JSON.stringify({ o: 'id', v: id })).toString('base64')
function decodeCursor (cursor: string): number | undefined {
  try {
    const v = (JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { v?: unknown }).v
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined
  } catch {
    return undefined
  }
}

const first = (v: unknown): unknown => Array.isArray(v) ? v[0] : v
const positive = (v: unknown, fallback: number): number => {
  const n = Number.parseInt(String(first(v) ?? ''), 10)
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_PAGE) : fallback
}

/** The request's URL with some query parameters replaced (the others kept, in order). */
function withQuery (req: FastifyRequest, origin: string, set: Record<string, string>, drop: string[] = []): string {
  const [path, search] = req.url.split('?') as [string, string | undefined]
  const params = new URLSearchParams(search ?? '')
  for (const name of drop) params.delete(name)
  for (const [k, v] of Object.entries(set)) params.set(k, v)
  return `${origin}${path}?${params.toString()}`
}

const Nullable = Type.Union([Type.String(), Type.Null()])
/**
 * One schema for both paginations (a union would compile the user schema twice): offset pages
 * have `next_page`, `previous_page`, `count`; cursor pages (`page[size]`) have `meta` and `links`.
 */
export const UsersListSchema = Type.Object({
  users: Type.Array(UserSchema),
  meta: Type.Optional(Type.Object({ has_more: Type.Boolean(), after_cursor: Nullable, before_cursor: Nullable }, { description: 'Cursor pagination only. Follow `links.next` while `has_more` is true.' })),
  links: Type.Optional(Type.Object({ prev: Nullable, next: Nullable }, { description: 'Cursor pagination only: absolute URLs, null on an empty page.' })),
  next_page: Type.Optional(Type.Union([Type.String({ description: 'Offset pagination only: absolute URL of the next page.' }), Type.Null()])),
  previous_page: Type.Optional(Nullable),
  count: Type.Optional(Type.Integer({ description: 'Offset pagination only: every matching user.' }))
})

export const ListUsersQuerySchema = Type.Object({
  role: Type.Optional(Type.String({ description: '`end-user`, `agent` or `admin`.' })),
  'role[]': Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Several roles: `role[]=agent&role[]=admin`.' })),
  permission_set: Type.Optional(Type.String({ description: 'A custom role id (agents in that role).' })),
  page: Type.Optional(Type.String({ description: 'Offset pagination: the page number, from 1.' })),
  per_page: Type.Optional(Type.String({ description: 'Offset pagination: at most 100 (the default).' })),
  'page[size]': Type.Optional(Type.String({ description: 'Cursor pagination: at most 100.' })),
  'page[after]': Type.Optional(Type.String({ description: 'Cursor pagination: `meta.after_cursor` of the previous page.' })),
  'page[before]': Type.Optional(Type.String({ description: 'Cursor pagination: `meta.before_cursor` of the next page.' }))
}, { additionalProperties: true })

export async function usersCollectionRoutes (app: FastifyInstance, { kernel, store }: RouteDeps, both: (path: string) => string[]): Promise<void> {
  const s = prepare(kernel.db)

  for (const url of both('/users')) {
    app.post(url, {
      schema: {
        summary: 'Create a user',
        description: 'Create only: an e-mail or external_id an active user holds is a 422 DuplicateValue (use create_or_update to update). 201 with `Location`.',
        tags: ['users'],
        body: UserBodySchema,
        response: { 201: UserEnvelopeSchema, ...commonResponses, 400: badRequest, 422: RecordInvalidSchema }
      }
    }, async (req, reply) => {
      const input = parseUserParams(req.body, 'create')
      const user = store.createOnly(req.account!.id, input, kernel.clock.now())
      const origin = requestOrigin(req)
      reply.code(201).header('location', userUrl(origin, user.id))
      return { user: renderUser(user, origin, store.fields.views(req.account!.id)) }
    })

    app.get(url, {
      schema: {
        summary: 'List users',
        description: 'Active users by id, filtered by `role`, `role[]` or `permission_set`. Offset pagination (`page`, `per_page`) by default; cursor pagination with `page[size]`.',
        tags: ['users'],
        querystring: ListUsersQuerySchema,
        response: { 200: UsersListSchema, ...commonResponses, 400: badRequest }
      }
    }, async (req) => {
      const query = req.query as Record<string, unknown>
      const rawRoles = query['role[]'] ?? query.role
      const roles = rawRoles === undefined ? null : JSON.stringify((Array.isArray(rawRoles) ? rawRoles : [rawRoles]).map(String))
      const permission = first(query.permission_set)
      const permissionSet = permission === undefined || permission === '' ? null : /^\d+$/.test(String(permission)) ? Number(permission) : -1
      const filter: Filter = { account: req.account!.id, roles, permissionSet }
      const origin = requestOrigin(req)
      const fields = store.fields.views(req.account!.id)

      if (query['page[size]'] !== undefined || query['page[after]'] !== undefined || query['page[before]'] !== undefined) {
        const size = positive(query['page[size]'], MAX_PAGE)
        const after = first(query['page[after]'])
        const before = first(query['page[before]'])
        const cursor = typeof before === 'string' && before !== '' ? before : typeof after === 'string' && after !== '' ? after : undefined
        const id = cursor === undefined ? 0 : decodeCursor(cursor)
        if (id === undefined) throw new InvalidAttribute(cursor === before ? 'page[before]' : 'page[after]', 'is not a valid cursor', 'index')
        const backwards = cursor !== undefined && cursor === before
        let rows = (backwards ? s.before : s.after).all({ ...filter, id, limit: size + 1 })
        const hasMore = rows.length > size
        rows = rows.slice(0, size)
        if (backwards) rows.reverse()
        const afterCursor = rows.length > 0 ? encodeCursor(rows[rows.length - 1]!.id) : null
        const beforeCursor = rows.length > 0 ? encodeCursor(rows[0]!.id) : null
        const sizeParam = { 'page[size]': String(size) }
        const drop = ['page[after]', 'page[before]']
        return {
          users: rows.map(r => renderUser(r, origin, fields)),
          meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
          links: {
            prev: beforeCursor === null ? null : withQuery(req, origin, { ...sizeParam, 'page[before]': beforeCursor }, drop),
            next: afterCursor === null ? null : withQuery(req, origin, { ...sizeParam, 'page[after]': afterCursor }, drop)
          }
        }
      }

      const page = positive(query.page, 1)
      const perPage = positive(query.per_page, MAX_PAGE)
      const rows = s.page.all({ ...filter, limit: perPage, offset: (page - 1) * perPage })
      const count = s.count.get(filter) ?? 0
      return {
        users: rows.map(r => renderUser(r, origin, fields)),
        next_page: page * perPage < count ? withQuery(req, origin, { page: String(page + 1) }) : null,
        previous_page: page > 1 ? withQuery(req, origin, { page: String(page - 1) }) : null,
        count
      }
    })
  }
}
