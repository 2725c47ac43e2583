import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../kernel/accounts.js'
import { requestOrigin } from '../../kernel/origin.js'
import { DrfError, errors } from './errors.js'
import { sendDrf, splitUrl } from './http.js'
import { readRequestData, type RequestData } from './parsers.js'
import { renderUser, type FullUser } from './render.js'
import { validateAttributes, validateEvent, validateSetAttribute, validateUser, type SerializerOptions } from './serializer.js'
import { pyJsonDumps } from './pyjson.js'
import { EMAIL_LOOKUPS, type EmailLookup } from './users.store.js'
import { schemas } from './users.schemas.js'
import type { UsersStore } from './users.store.js'

/**
 * User.com's users endpoints under `/api/public`.
 *
 * @see https://user.com/en/api/user/update-create-user/
 * @see https://apidocs.user.com/users/update-or-create-user.html
 */
export interface RouteContext {
  store: UsersStore
  /** `Allow` of the route a request matched. */
  allowOf: (req: FastifyRequest) => string
}

const PAGE_SIZE = 100

export const HINT_HEADER = 'x-userdouble-hint'
const FORM_LIKE = /^[^=&{}[\]"\s]+=[^&]*(&[^=&]+=[^&]*)*$/

/**
 * `request.data`, with a hint when a body labelled JSON is really form-encoded (User.com's
 * own jQuery and XHR samples send that): the vendor's 400 stays as it is.
 */
async function data (req: FastifyRequest): Promise<RequestData> {
  try {
    return await readRequestData(req)
  } catch (err) {
    if (err instanceof DrfError && String((err.body as { detail?: string }).detail).startsWith('JSON parse error - ')) {
      const body = req.body instanceof Buffer ? req.body.toString('latin1').trim() : ''
      if (FORM_LIKE.test(body)) {
        throw new DrfError(err.statusCode, err.body, {
          ...err.headers,
          [HINT_HEADER]: 'The body is application/x-www-form-urlencoded but labelled application/json; User.com (DRF) answers 400. Send JSON.stringify(data), or label the body application/x-www-form-urlencoded.'
        })
      }
    }
    throw err
  }
}

function serializerOptions (req: FastifyRequest): SerializerOptions {
  const settings = (req.account!.settings.usercom ?? {}) as { strictEmail?: boolean }
  return { version: req.usercom!.version, strictEmail: settings.strictEmail === true }
}

/** DRF's `get_object`: a pk that is not an integer is a 404 like a missing one. */
function parseId (text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined
  return Number(text)
}

export function usersRoutes (ctx: RouteContext) {
  const { store } = ctx
  return async function routes (app: FastifyInstance): Promise<void> {
    const ok = (req: FastifyRequest, reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}) =>
      sendDrf(req, reply, status, body, { allow: ctx.allowOf(req), ...headers })
    const account = (req: FastifyRequest): Account => req.account!
    const user = (req: FastifyRequest, u: FullUser) => renderUser(u, req.usercom!.version)
    const location = (req: FastifyRequest, id: number) => `${requestOrigin(req)}/api/public/users/${id}/`

    const byId = (req: FastifyRequest): FullUser => {
      const id = parseId((req.params as { id: string }).id)
      const found = id === undefined ? undefined : store.get(account(req).id, id)
      if (!found) throw errors.notFound()
      return found
    }
    const byCustomId = (req: FastifyRequest): FullUser => {
      const found = store.getByCustomId(account(req).id, (req.params as { custom_id: string }).custom_id)
      if (!found) throw errors.notFound()
      return found
    }

    app.post('/users/update_or_create/', { schema: schemas.updateOrCreate }, async (req, reply) => {
      const changes = validateUser(await data(req), serializerOptions(req))
      const { user: u, created } = store.updateOrCreate(account(req).id, changes)
      return ok(req, reply, created ? 201 : 200, { created, id: u.id }, { location: location(req, u.id) })
    })

    app.post('/users/', { schema: schemas.create }, async (req, reply) => {
      const changes = validateUser(await data(req), serializerOptions(req))
      return ok(req, reply, 201, user(req, store.create(account(req).id, changes)))
    })

    app.get('/users/', { schema: schemas.list }, async (req, reply) => {
      const accountId = account(req).id
      const query = req.query as Record<string, string | string[] | undefined>
      const raw = query.cursor
      const cursor = decodeCursor(Array.isArray(raw) ? raw[raw.length - 1] : raw)
      const results = store.page(accountId, cursor.position, cursor.reverse, PAGE_SIZE + 1)
      let hasNext: boolean
      let hasPrevious: boolean
      let page: FullUser[]
      if (cursor.reverse) {
        hasPrevious = results.length > PAGE_SIZE
        page = hasPrevious ? results.slice(1) : results
        hasNext = true
      } else {
        hasNext = results.length > PAGE_SIZE
        page = hasNext ? results.slice(0, PAGE_SIZE) : results
        hasPrevious = cursor.position > 0 && page.length > 0
      }
      const base = `${requestOrigin(req)}${splitUrl(req.url).path}`
      const link = (token: string) => withCursor(base, req.url, token)
      const first = page[0]
      const last = page[page.length - 1]
      return ok(req, reply, 200, {
        count: store.count(accountId),
        next: hasNext && last ? link(`p=${last.id}`) : null,
        previous: hasPrevious && first ? link(`r=1&p=${first.id}`) : null,
        results: page.map(u => user(req, u))
      })
    })

    app.get('/users/search/', { schema: schemas.search }, async (req, reply) => {
      const q = req.query as Record<string, string | string[] | undefined>
      const last = (v: string | string[] | undefined) => Array.isArray(v) ? v[v.length - 1] : v
      const field = (['email', 'key', 'phone_number'] as const).find(f => last(q[f]) !== undefined)
      // `email__contains` (documented) and Django's other string lookups on the e-mail, all ANDed.
      const lookups = EMAIL_LOOKUPS.filter(l => last(q[`email__${l}`]) !== undefined).map((l): [EmailLookup, string] => [l, last(q[`email__${l}`])!])
      // Not emulated: custom-attribute `<attr>__<lookup>=` and `search=&min=&max=` searches.
      if (!field && lookups.length === 0) throw errors.notFound()
      let found = field ? store.search(account(req).id, field, last(q[field])!) : store.searchEmail(account(req).id, lookups)
      if (field && lookups.length > 0) {
        const hits = new Set(store.searchEmail(account(req).id, lookups).map(u => u.id))
        found = found.filter(u => hits.has(u.id))
      }
      const many = ['true', 'True', '1'].includes(last(q.many) ?? '')
      if (many) return ok(req, reply, 200, found.map(u => user(req, u)))
      if (found.length === 0) throw errors.notFound()
      return ok(req, reply, 200, user(req, found[0]!))
    })

    app.get('/users/:id/', { schema: schemas.get }, async (req, reply) => ok(req, reply, 200, user(req, byId(req))))
    app.get('/users-by-id/:custom_id/', { schema: schemas.getByCustomId }, async (req, reply) => ok(req, reply, 200, user(req, byCustomId(req))))

    const update = async (req: FastifyRequest, reply: FastifyReply, target: FullUser) => {
      const changes = validateUser(await data(req), serializerOptions(req))
      const updated = store.update(account(req).id, target.id, changes)
      if (!updated) throw errors.notFound()
      return ok(req, reply, 200, user(req, updated))
    }
    for (const method of ['PUT', 'PATCH'] as const) {
      app.route({ method, url: '/users/:id/', schema: schemas.update, handler: async (req, reply) => update(req, reply, byId(req)) })
      app.route({ method, url: '/users-by-id/:custom_id/', schema: schemas.updateByCustomId, handler: async (req, reply) => update(req, reply, byCustomId(req)) })
    }

    const remove = (req: FastifyRequest, reply: FastifyReply, target: FullUser) => {
      store.delete(account(req).id, target.id)
      return ok(req, reply, 204, undefined)
    }
    app.delete('/users/:id/', { schema: schemas.delete }, async (req, reply) => remove(req, reply, byId(req)))
    app.delete('/users-by-id/:custom_id/', { schema: schemas.deleteByCustomId }, async (req, reply) => remove(req, reply, byCustomId(req)))

    const setAttributes = async (req: FastifyRequest, reply: FastifyReply, target: FullUser, multiple: boolean) => {
      const body = await data(req)
      const pairs = multiple ? validateAttributes(body) : [validateSetAttribute(body)]
      const updated = store.setAttributesOf(account(req).id, target.id, pairs)
      if (!updated) throw errors.notFound()
      return ok(req, reply, 200, user(req, updated))
    }
    // Events: `{"id", "created"}`, `created` true on the user's first event of that name.
    const addEvent = async (req: FastifyRequest, reply: FastifyReply, target: FullUser) => {
      const input = validateEvent(await data(req))
      const timestamp = input.timestamp === undefined ? req.server.kernel.clock.now() * 1000 : Math.round(input.timestamp * 1_000_000)
      const result = store.addEvent(account(req).id, target.id, input.name, timestamp, pyJsonDumps(input.data))
      if (!result) throw errors.notFound()
      return ok(req, reply, 200, { id: result.id, created: result.created })
    }
    app.post('/users/:id/events/', { schema: schemas.addEvent }, async (req, reply) => addEvent(req, reply, byId(req)))
    app.post('/users-by-id/:custom_id/events/', { schema: schemas.addEventByCustomId }, async (req, reply) => addEvent(req, reply, byCustomId(req)))

    app.post('/users/:id/set_attribute/', { schema: schemas.setAttribute }, async (req, reply) => setAttributes(req, reply, byId(req), false))
    app.post('/users/:id/set_multiple_attributes/', { schema: schemas.setMultipleAttributes }, async (req, reply) => setAttributes(req, reply, byId(req), true))
    app.post('/users-by-id/:custom_id/set_attribute/', { schema: schemas.setAttributeByCustomId }, async (req, reply) => setAttributes(req, reply, byCustomId(req), false))
    app.post('/users-by-id/:custom_id/set_multiple_attributes/', { schema: schemas.setMultipleAttributesByCustomId }, async (req, reply) => setAttributes(req, reply, byCustomId(req), true))
  }
}

/** DRF's CursorPagination token: base64 of `r=1&p=<position>`; a bad one is `404 Invalid cursor`. */
function decodeCursor (encoded: string | undefined): { position: number, reverse: boolean } {
  if (encoded === undefined) return { position: 0, reverse: false }
  const text = /^[A-Za-z0-9+/]*={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('latin1') : '\0'
  const tokens = new URLSearchParams(text)
  const p = tokens.get('p')
  const r = tokens.get('r') ?? '0'
  if (p === null || !/^\d+$/.test(p) || !/^\d+$/.test(r)) throw errors.notFound('Invalid cursor')
  return { position: Number(p), reverse: Number(r) !== 0 }
}

/** Django's `replace_query_param`: the other parameters kept, sorted by name. */
function withCursor (base: string, url: string, token: string): string {
  const params = new URLSearchParams(splitUrl(url).query)
  params.set('cursor', Buffer.from(token, 'ascii').toString('base64'))
  params.sort()
  return `${base}?${params.toString()}`
}
