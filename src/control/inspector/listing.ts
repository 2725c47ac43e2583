import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Emulator } from '../../kernel/service.js'
import { requireAccount } from '../actions.js'
import { AccountIdParams, ErrorSchema } from '../schemas.js'

const schemas = <V extends ReturnType<typeof Type.Unsafe<string>>>(Vendor: V) => ({
  UserListQuerySchema: Type.Object({
    vendor: Vendor,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive substring of the name, email or external id (Zendesk `external_id`, User.com `user_id`).' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$', description: 'The `next` of the previous page.' }))
  }, { additionalProperties: false }),
  UserListSchema: Type.Object({
    vendor: Vendor,
    total: Type.Integer({ description: 'Users of the account in this vendor, whatever `q` is.' }),
    users: Type.Array(Type.Object({
      id: Type.Integer(),
      name: Type.Union([Type.String(), Type.Null()]),
      email: Type.Union([Type.String(), Type.Null()]),
      externalId: Type.Union([Type.String(), Type.Null()], { description: 'Zendesk `external_id`, User.com `user_id` (custom id).' }),
      role: Type.String({ description: 'Zendesk role (with "(deleted)" or "(suspended)"), User.com status.' }),
      updatedAt: Type.String({ description: 'As the vendor renders `updated_at`.' })
    })),
    next: Type.Union([Type.String(), Type.Null()], { description: 'Cursor of the next page; null on the last.' })
  })
})

export const CountsSchema = Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()), { description: 'Per vendor, counts by kind (`{ "zendesk": { "users": 3, … } }`).' })

/**
 * `GET /__mock/accounts/{id}/users?vendor=`: a page of an account's users in one table shape for
 * every vendor (the inspector's users view), newest first, keyset-paged (each vendor's
 * `state.listUsers`); and `GET /__mock/accounts/{id}/counts`: each vendor's counts. The user as
 * the vendor renders it is the vendor's own `GET users/{id}`.
 */
export const userListingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const e: Emulator = { kernel: app.kernel, services: app.services }
  const Vendor = Type.Unsafe<string>(Type.Union(app.services.map(s => Type.Literal(s.name))))
  const { UserListQuerySchema, UserListSchema } = schemas(Vendor)
  const byName = new Map(app.services.map(s => [s.name, s]))

  app.get('/accounts/:id/users', {
    schema: { summary: 'A page of the account\'s users of one vendor, newest first, with search', params: AccountIdParams, querystring: UserListQuerySchema, response: { 200: UserListSchema, 400: ErrorSchema, 404: ErrorSchema } }
  }, async (req) => {
    requireAccount(e, req.params.id)
    const { vendor, q, limit, cursor } = req.query
    return { vendor, ...byName.get(vendor)!.state.listUsers(req.params.id, { q: q || undefined, limit, cursor }) }
  })

  app.get('/accounts/:id/counts', {
    schema: { summary: 'How many users (and other records) the account holds in each vendor', params: AccountIdParams, response: { 200: CountsSchema, 404: ErrorSchema } }
  }, async (req) => {
    requireAccount(e, req.params.id)
    return Object.fromEntries(app.services.map(({ name, state }) => [name, state.count(req.params.id)]))
  })
}
