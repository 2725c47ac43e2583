import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Database } from '../../kernel/database.js'
import type { Kernel } from '../../kernel/kernel.js'
import type { VendorName } from '../../services/index.js'
import { UsercomUserListing } from '../../services/usercom/users.listing.js'
import { ZendeskUserListing } from '../../services/zendesk/users.listing.js'
import { requireAccount } from '../actions.js'
import { AccountIdParams, ErrorSchema } from '../schemas.js'

/**
 * `GET /__mock/accounts/{id}/users?vendor=`: a page of an account's users in one table shape for
 * both vendors (the inspector's users view), newest first, keyset-paged; and
 * `GET /__mock/accounts/{id}/counts`: each vendor's counts. The user as the vendor renders it is
 * the vendor's own `GET users/{id}`.
 */
export interface UserListQuery { q?: string, limit: number, cursor?: string }
export interface UserSummary { id: number, name: string | null, email: string | null, externalId: string | null, role: string, updatedAt: string }
export interface UserListPage { total: number, users: UserSummary[], next: string | null }
export interface UserListing { list: (accountId: string, query: UserListQuery) => UserListPage }

// TODO(lead): a `listUsers` member of ServiceState would replace this registry.
const LISTINGS: Record<VendorName, new (db: Database) => UserListing> = { zendesk: ZendeskUserListing, usercom: UsercomUserListing }
const made = new WeakMap<Kernel, Map<VendorName, UserListing>>()

function listingFor (k: Kernel, vendor: VendorName): UserListing {
  let byVendor = made.get(k)
  if (!byVendor) { byVendor = new Map(); made.set(k, byVendor) }
  let listing = byVendor.get(vendor)
  if (!listing) { listing = new LISTINGS[vendor](k.db); byVendor.set(vendor, listing) }
  return listing
}

const Vendor = Type.Union([Type.Literal('zendesk'), Type.Literal('usercom')])

export const UserListQuerySchema = Type.Object({
  vendor: Vendor,
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive substring of the name, email or external id (Zendesk `external_id`, User.com `user_id`).' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$', description: 'The `next` of the previous page.' }))
}, { additionalProperties: false })

export const UserListSchema = Type.Object({
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

export const CountsSchema = Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()), { description: 'Per vendor, counts by kind (`{ "zendesk": { "users": 3, … } }`).' })

export const userListingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const k = app.kernel
  app.get('/accounts/:id/users', {
    schema: { summary: 'A page of the account\'s users of one vendor, newest first, with search', params: AccountIdParams, querystring: UserListQuerySchema, response: { 200: UserListSchema, 400: ErrorSchema, 404: ErrorSchema } }
  }, async (req) => {
    requireAccount(k, req.params.id)
    const { vendor, q, limit, cursor } = req.query
    return { vendor, ...listingFor(k, vendor).list(req.params.id, { q: q || undefined, limit, cursor }) }
  })

  app.get('/accounts/:id/counts', {
    schema: { summary: 'How many users (and other records) the account holds in each vendor', params: AccountIdParams, response: { 200: CountsSchema, 404: ErrorSchema } }
  }, async (req) => {
    requireAccount(k, req.params.id)
    return Object.fromEntries(k.states.map(({ name, state }) => [name, state.count(req.params.id)]))
  })
}
