import { Type, type TSchema } from '@sinclair/typebox'

/**
 * TypeBox schemas of User.com's users routes: documentation for the OpenAPI document. Fastify
 * validates nothing with them (the module's validator compiler is a no-op): DRF's serializer
 * rules and messages are applied in serializer.ts, and bodies are parsed lazily as DRF does.
 */
const nullable = <T extends TSchema>(t: T, description?: string) => Type.Union([t, Type.Null()], description ? { description } : {})
const dateTime = (description: string) => Type.String({ format: 'date-time', description: `${description} DRF format: \`2017-06-13T12:22:38.748397Z\`, microseconds dropped when zero.` })

export const DetailSchema = Type.Object({ detail: Type.String() }, { description: 'DRF error body.' })
export const ValidationErrorSchema = Type.Record(Type.String(), Type.Union([Type.Array(Type.String()), Type.Record(Type.String(), Type.Array(Type.String()))]), {
  description: 'DRF validation errors: field name (or `non_field_errors`) to messages, in serializer field order; `tags` errors are keyed by list index.'
})

const errorResponses = {
  400: Type.Union([ValidationErrorSchema, DetailSchema], { description: 'Validation error, or `{"detail": "JSON parse error - …"}` for a body that is not what its Content-Type says.' }),
  401: Type.Object({ detail: Type.String() }, { description: 'DRF TokenAuthentication failure (`WWW-Authenticate: Token`).' }),
  404: Type.Object({ detail: Type.String() }, { description: '`{"detail": "Not found."}`' }),
  405: Type.Object({ detail: Type.String() }, { description: '`{"detail": "Method \\"GET\\" not allowed."}` with `Allow`.' }),
  406: Type.Object({ detail: Type.String() }, { description: 'Accept header not satisfiable, or an unknown `version` in it.' }),
  413: Type.Object({ detail: Type.String() }, { description: 'Body over the size limit (userdouble\'s choice).' }),
  415: Type.Object({ detail: Type.String() }, { description: '`{"detail": "Unsupported media type \\"text/plain\\" in request."}`' }),
  429: Type.Object({ detail: Type.String() }, { description: '`{"detail": "Request was throttled. Expected available in N seconds."}` with `Retry-After`.' })
}
const readErrors = { 401: errorResponses[401], 404: errorResponses[404], 405: errorResponses[405], 406: errorResponses[406], 429: errorResponses[429] }
/** Django's production error page: what a body nested deeper than Python's recursion limit gets. */
const serverError = { description: 'Django\'s production 500 page (HTML), e.g. for JSON nested deeper than Python\'s recursion limit.', content: { 'text/html': { schema: Type.String() } } }
const writeErrors = { ...errorResponses, 500: serverError }

export const UserSchema = Type.Object({
  updated_at: dateTime('Last change.'),
  companies: Type.Array(Type.Object({ id: Type.Integer(), name: nullable(Type.String()), member_since: dateTime('When the user joined.') })),
  key: Type.Optional(Type.String({ minLength: 12, maxLength: 12, description: 'User key, 12 letters and digits (API v1).' })),
  user_key: Type.Optional(Type.String({ minLength: 12, maxLength: 12, description: 'User key (API v2 name).' })),
  user_id: Type.Optional(nullable(Type.String(), 'Custom id (API v1).')),
  custom_id: Type.Optional(nullable(Type.String(), 'Custom id (API v2 name).')),
  city: nullable(Type.String()),
  linkedin_url: nullable(Type.String()),
  tags: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  last_contacted: nullable(Type.String({ format: 'date-time' })),
  phone_number: nullable(Type.String()),
  facebook_url: nullable(Type.String()),
  notifications: Type.Boolean(),
  region: nullable(Type.String()),
  timezone: nullable(Type.String()),
  status: Type.Union([Type.Literal('visitor'), Type.Literal('user')]),
  gravatar_url: nullable(Type.String()),
  twitter_url: nullable(Type.String()),
  google_url: nullable(Type.String()),
  os_type: nullable(Type.String()),
  email: nullable(Type.String()),
  score: Type.Integer(),
  assigned_to: nullable(Type.Integer()),
  unsubscribed: Type.Boolean(),
  first_seen: nullable(Type.String({ format: 'date-time' })),
  page_views: Type.Integer(),
  last_ip: nullable(Type.String()),
  chat_id: Type.Literal('Chat ID is deprecated and will be removed in future'),
  browser: nullable(Type.String()),
  gender: Type.Union([Type.Literal('unknown'), Type.Literal('male'), Type.Literal('female')]),
  resolution: nullable(Type.String()),
  country: nullable(Type.String()),
  name: nullable(Type.String({ description: '`first_name last_name`; the parts are not returned.' })),
  created_at: dateTime('Creation time.'),
  last_seen: nullable(Type.String({ format: 'date-time' })),
  lists: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), description: nullable(Type.String()) })),
  attributes: Type.Array(Type.Object({ value: Type.Unknown(), name: Type.String(), name_std: Type.String(), id: Type.Integer() })),
  browser_language: nullable(Type.String()),
  id: Type.Integer({ description: 'Internal user id.' })
}, { description: 'User.com user object (v1 names; API v2 renames `key`→`user_key`, `user_id`→`custom_id`).' })

const str = (maxLength: number, description: string) => nullable(Type.String({ maxLength }), description)
export const UserBodySchema = Type.Object({
  assigned_to: Type.Optional(nullable(Type.Integer(), 'Agent id.')),
  city: Type.Optional(str(64, 'City.')),
  company_id: Type.Optional(str(255, 'v1: the client\'s company id; the user joins it (an unknown company is created as a stub).')),
  company_custom_id: Type.Optional(str(255, 'v2 name of company_id.')),
  country: Type.Optional(str(255, 'Country.')),
  email: Type.Optional(str(254, 'E-mail; not unique.')),
  facebook_url: Type.Optional(str(255, 'URL (not validated).')),
  first_name: Type.Optional(str(40, 'First name.')),
  gender: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: '1 unknown, 2 male, 3 female; `"2"` accepted.' })),
  google_url: Type.Optional(str(255, 'URL.')),
  gravatar_url: Type.Optional(str(255, 'URL.')),
  last_name: Type.Optional(str(40, 'Last name.')),
  linkedin_url: Type.Optional(str(255, 'URL.')),
  notifications: Type.Optional(Type.Boolean({ description: 'DRF boolean: also "true"/"yes"/"on"/"1"/1 and their false forms.' })),
  phone_number: Type.Optional(str(64, 'Phone number.')),
  region: Type.Optional(str(255, 'Region.')),
  score: Type.Optional(Type.Integer({ minimum: -2147483648, maximum: 2147483647 })),
  status: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 visitor, 2 user.' })),
  timezone: Type.Optional(str(255, 'Free text.')),
  twitter_url: Type.Optional(str(255, 'URL.')),
  unsubscribed: Type.Optional(Type.Boolean()),
  user_id: Type.Optional(str(255, 'v1 custom id: update_or_create matches on it.')),
  custom_id: Type.Optional(str(255, 'v2 name of user_id (with `Accept: */*; version=2`).')),
  tags: Type.Optional(Type.Array(Type.String(), { description: 'Added, never removed.' }))
}, { additionalProperties: true, description: 'JSON, form-urlencoded or multipart. Other keys are custom attributes, created on first use.' })

export const UpdateOrCreateResponseSchema = Type.Object({ created: Type.Boolean(), id: Type.Integer() })
export const IdParamsSchema = Type.Object({ id: Type.String({ description: 'Internal user id.' }) })
export const CustomIdParamsSchema = Type.Object({ custom_id: Type.String({ description: 'Custom id, URL-decoded and matched verbatim.' }) })
export const SearchQuerySchema = Type.Object({
  email: Type.Optional(Type.String()),
  ...Object.fromEntries(['exact', 'iexact', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith'].map(l =>
    [`email__${l}`, Type.Optional(Type.String({ description: `Django's \`${l}\` lookup on the e-mail${l === 'contains' ? ' (the documented one: case-sensitive containment)' : ''}.` }))])),
  key: Type.Optional(Type.String()),
  phone_number: Type.Optional(Type.String()),
  many: Type.Optional(Type.String({ description: '`true`: every match, as a plain array.' }))
})
export const ListQuerySchema = Type.Object({ cursor: Type.Optional(Type.String({ description: 'Opaque cursor from `next`/`previous`.' })) })
export const PageSchema = Type.Object({
  count: Type.Integer(),
  next: nullable(Type.String({ format: 'uri' })),
  previous: nullable(Type.String({ format: 'uri' })),
  results: Type.Array(UserSchema)
})
export const SetAttributeBodySchema = Type.Object({ attribute: Type.String({ description: 'Attribute name or name_std.' }), value: Type.Unknown() })
export const SetMultipleAttributesBodySchema = Type.Record(Type.String(), Type.Unknown(), { description: 'Attribute names to values.' })

export const EventBodySchema = Type.Object({
  name: Type.String({ maxLength: 255, description: 'The event name.' }),
  timestamp: Type.Optional(Type.Number({ minimum: 0, maximum: 253402300799, description: 'When it happened, UNIX seconds; now when absent.' })),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Additional data (an object).' }))
})
export const EventResponseSchema = Type.Object({
  id: Type.Integer({ description: 'The new event\'s id.' }),
  created: Type.Boolean({ description: '`true` on the first event of this name for the user, `false` after.' })
})

export const schemas = {
  addEvent: { summary: 'Create an event for a user', description: '200 `{"id", "created"}`: `created` is true the first time the user has an event of that name.', tags: ['users'], params: IdParamsSchema, body: EventBodySchema, response: { 200: EventResponseSchema, ...writeErrors } },
  addEventByCustomId: { summary: 'Create an event for a user by custom id', description: '200 `{"id", "created"}`; 404 when the custom id is unknown.', tags: ['users-by-id'], params: CustomIdParamsSchema, body: EventBodySchema, response: { 200: EventResponseSchema, ...writeErrors } },
  updateOrCreate: {
    summary: 'Update or create a user',
    description: 'Matches on `user_id` (v1) or `custom_id` (`Accept: */*; version=2`). 201 + Location on create, 200 + Location on update (userdouble\'s choice: User.com documents neither).',
    tags: ['users'],
    body: UserBodySchema,
    response: { 200: UpdateOrCreateResponseSchema, 201: UpdateOrCreateResponseSchema, ...writeErrors }
  },
  create: {
    summary: 'Create a user',
    tags: ['users'],
    body: UserBodySchema,
    response: { 201: UserSchema, ...writeErrors }
  },
  list: {
    summary: 'List users',
    description: 'Cursor pagination, 100 per page, in id order; `next`/`previous` are absolute URLs.',
    tags: ['users'],
    querystring: ListQuerySchema,
    response: { 200: PageSchema, ...readErrors }
  },
  search: {
    summary: 'Find users by email, key or phone number',
    description: 'One user object (the lowest id), or with `many=true` an array of every match; 404 when none matches without `many`. `email__<lookup>` parameters (Django lookups, all must hold) search by e-mail in the same way.',
    tags: ['users'],
    querystring: SearchQuerySchema,
    response: { 200: Type.Union([UserSchema, Type.Array(UserSchema)]), ...readErrors }
  },
  get: { summary: 'Get a user by id', tags: ['users'], params: IdParamsSchema, response: { 200: UserSchema, ...readErrors } },
  getByCustomId: { summary: 'Get a user by custom id', tags: ['users-by-id'], params: CustomIdParamsSchema, response: { 200: UserSchema, ...readErrors } },
  update: { summary: 'Update a user by id', description: 'Partial: only the keys sent change.', tags: ['users'], params: IdParamsSchema, body: UserBodySchema, response: { 200: UserSchema, ...writeErrors } },
  updateByCustomId: { summary: 'Update a user by custom id', tags: ['users-by-id'], params: CustomIdParamsSchema, body: UserBodySchema, response: { 200: UserSchema, ...writeErrors } },
  delete: { summary: 'Delete a user by id', tags: ['users'], params: IdParamsSchema, response: { 204: Type.Null({ description: 'No content.' }), ...readErrors } },
  deleteByCustomId: { summary: 'Delete a user by custom id', tags: ['users-by-id'], params: CustomIdParamsSchema, response: { 204: Type.Null({ description: 'No content.' }), ...readErrors } },
  setAttribute: { summary: 'Set one custom attribute', description: 'Creates the attribute when unknown; answers the user object.', tags: ['users'], params: IdParamsSchema, body: SetAttributeBodySchema, response: { 200: UserSchema, ...writeErrors } },
  setMultipleAttributes: { summary: 'Set several custom attributes', tags: ['users'], params: IdParamsSchema, body: SetMultipleAttributesBodySchema, response: { 200: UserSchema, ...writeErrors } },
  setAttributeByCustomId: { summary: 'Set one custom attribute (by custom id)', tags: ['users-by-id'], params: CustomIdParamsSchema, body: SetAttributeBodySchema, response: { 200: UserSchema, ...writeErrors } },
  setMultipleAttributesByCustomId: { summary: 'Set several custom attributes (by custom id)', tags: ['users-by-id'], params: CustomIdParamsSchema, body: SetMultipleAttributesBodySchema, response: { 200: UserSchema, ...writeErrors } }
}
