import { Type, type Static, type TSchema } from '@sinclair/typebox'

/**
 * Wire shapes of the Zendesk users subset. Response schemas fix key order (the recorded one,
 * §2.2) and give fast serialization; request schemas document what the parameter filter in
 * users.input.ts accepts (it, not AJV, decides the 400s: Zendesk names the offending key in
 * its own words). Error bodies are listed for every status a route can answer.
 * @see https://developer.zendesk.com/api-reference/ticketing/users/users/
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
const Timestamp = Type.String({ description: 'UTC, seconds, `Z` suffix: `2021-11-15T23:20:11Z`.', examples: ['2021-11-15T23:20:11Z'] })
const UserFieldValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])

const userProperties = {
  id: Type.Integer({ description: 'Zendesk user id: 12 to 14 digits.', examples: [421941820731] }),
  url: Type.String({ description: 'Absolute URL of the user on the origin the client addressed, ending in `.json`.' }),
  name: Type.String(),
  email: Nullable(Type.String({ description: 'Primary email; secondary ones are identities.' })),
  created_at: Timestamp,
  updated_at: Timestamp,
  time_zone: Type.String(),
  iana_time_zone: Type.String(),
  phone: Nullable(Type.String()),
  shared_phone_number: Nullable(Type.Boolean()),
  photo: Type.Null({ description: 'Not emulated: always null.' }),
  locale_id: Type.Integer(),
  locale: Type.String(),
  organization_id: Nullable(Type.Integer()),
  role: Type.Union([Type.Literal('end-user'), Type.Literal('agent'), Type.Literal('admin')]),
  verified: Type.Boolean(),
  external_id: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  alias: Nullable(Type.String()),
  active: Type.Boolean({ description: 'False once deleted.' }),
  shared: Type.Boolean(),
  shared_agent: Type.Boolean(),
  last_login_at: Nullable(Timestamp),
  two_factor_auth_enabled: Nullable(Type.Boolean()),
  signature: Nullable(Type.String()),
  details: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  role_type: Nullable(Type.Integer()),
  custom_role_id: Nullable(Type.Integer()),
  moderator: Type.Boolean(),
  ticket_restriction: Nullable(Type.String()),
  only_private_comments: Type.Boolean(),
  restricted_agent: Type.Boolean(),
  suspended: Type.Boolean(),
  default_group_id: Nullable(Type.Integer()),
  report_csv: Type.Boolean(),
  user_fields: Type.Record(Type.String(), UserFieldValue, { description: 'Custom user fields by key.' })
}

export const UserSchema = Type.Object(userProperties, { $id: 'ZendeskUser', description: 'A Zendesk user, keys in the order the wire shows them.' })
export type User = Static<typeof UserSchema>
export const UserEnvelopeSchema = Type.Object({ user: UserSchema })

/**
 * `GET users/me`: the caller, or the anonymous user (null id and url) without credentials;
 * `authenticity_token` right after `verified`, as recorded (zenpy-rec, 2023).
 */
const meProperties: Record<string, TSchema> = {}
for (const [key, schema] of Object.entries({
  ...userProperties,
  id: Nullable(userProperties.id),
  url: Nullable(userProperties.url),
  email: Nullable(Type.String()),
  created_at: Nullable(Timestamp),
  updated_at: Nullable(Timestamp)
})) {
  meProperties[key] = schema
  if (key === 'verified') meProperties.authenticity_token = Type.String({ description: 'CSRF token; only on users/me.' })
}
export const MeSchema = Type.Object({ user: Type.Object(meProperties) })

export const UsersPageSchema = Type.Object({
  users: Type.Array(UserSchema),
  next_page: Nullable(Type.String({ description: 'Absolute URL of the next page.' })),
  previous_page: Nullable(Type.String()),
  count: Type.Integer()
})

export const JobStatusSchema = Type.Object({
  job_status: Type.Object({
    id: Type.String({ description: '`V3-` and 32 hex digits.' }),
    url: Type.String(),
    total: Type.Integer(),
    progress: Nullable(Type.Integer()),
    status: Type.Union([Type.Literal('queued'), Type.Literal('working'), Type.Literal('completed'), Type.Literal('failed')]),
    message: Nullable(Type.String()),
    results: Nullable(Type.Array(Type.Object({
      id: Type.Optional(Type.Integer()),
      // Optional like the others: the serializer writes required keys first, and id comes first.
      status: Type.Optional(Type.Union([Type.Literal('Created'), Type.Literal('Updated'), Type.Literal('Failed')])),
      email: Type.Optional(Nullable(Type.String())),
      error: Type.Optional(Type.Literal('UserUpdateError')),
      details: Type.Optional(Type.String({ description: 'The validation messages, comma-separated.' }))
    }, { description: 'In request order: `{id, status: "Created" | "Updated", email}`, or `{status: "Failed", error: "UserUpdateError", details}`.' })))
  })
})

// ----- requests -----

const Integerish = (description: string) => Nullable(Type.Union([Type.Integer(), Type.String({ pattern: '^-?[0-9]+$' })], { description }))
const Boolish = Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0'), Type.Literal(1), Type.Literal(0)])
const Stringish = (description?: string) => Nullable(Type.Union([Type.String(), Type.Number()], description ? { description } : {}))

export const UserInputSchema = Type.Object({
  name: Type.Optional(Stringish('Required on create: 422 ValueTooShort when missing or empty.')),
  email: Type.Optional(Stringish('On create the primary email; on update, added as a secondary identity.')),
  external_id: Type.Optional(Stringish('Matched case-insensitively, before email.')),
  alias: Type.Optional(Stringish()),
  details: Type.Optional(Stringish()),
  notes: Type.Optional(Stringish()),
  signature: Type.Optional(Stringish('Agents only.')),
  phone: Type.Optional(Stringish()),
  time_zone: Type.Optional(Stringish()),
  locale: Type.Optional(Stringish('Wins over locale_id.')),
  role: Type.Optional(Stringish('end-user (default), agent or admin.')),
  ticket_restriction: Type.Optional(Stringish()),
  organization_id: Type.Optional(Integerish('An existing organization; anything but an integer is a 400 Invalid attribute.')),
  custom_role_id: Type.Optional(Integerish('Anything but an integer is a 400 Invalid attribute.')),
  default_group_id: Type.Optional(Integerish('')),
  locale_id: Type.Optional(Integerish('')),
  verified: Type.Optional(Boolish),
  skip_verify_email: Type.Optional(Boolish),
  moderator: Type.Optional(Boolish),
  only_private_comments: Type.Optional(Boolish),
  restricted_agent: Type.Optional(Boolish),
  suspended: Type.Optional(Boolish),
  shared_phone_number: Type.Optional(Boolish),
  organization: Type.Optional(Type.Object({ name: Type.Optional(Type.String()) }, { description: 'Joins the organization of that name, created if missing.' })),
  tags: Type.Optional(Type.Union([Type.Array(Type.String()), Type.String()], { description: 'Replaces the tags.' })),
  user_fields: Type.Optional(Type.Record(Type.String(), UserFieldValue, { description: 'Merged into the stored ones.' })),
  identities: Type.Optional(Type.Array(Type.Object({ type: Type.String(), value: Type.String() })))
}, { additionalProperties: true, description: 'Unknown and read-only keys are ignored.' })

export const UserBodySchema = Type.Object({
  user: Type.Optional(UserInputSchema)
}, { additionalProperties: true, description: 'JSON, or form-urlencoded bracket notation (`user[name]=…`). Without `user`, the user is validated as empty.' })

export const ManyUsersBodySchema = Type.Object({
  users: Type.Array(UserInputSchema, { maxItems: 100 })
}, { additionalProperties: true })

export const UserIdParamsSchema = Type.Object({
  id: Type.String({ description: 'User id, optionally with `.json`; anything but an integer is a 400.' })
})

export const JobIdParamsSchema = Type.Object({
  id: Type.String({ description: 'Job id, optionally with `.json`.' })
})

export const SearchQuerySchema = Type.Object({
  query: Type.Optional(Type.String({ description: 'With `@`: exact email. `email:`, `external_id:`, `name:` prefixes; otherwise a substring of name, email, notes, phone or external_id.' })),
  external_id: Type.Optional(Type.String({ description: 'Exact, case-insensitive.' })),
  page: Type.Optional(Type.String()),
  per_page: Type.Optional(Type.String({ description: 'At most 100.' }))
}, { additionalProperties: true })

export const ShowManyQuerySchema = Type.Object({
  ids: Type.Optional(Type.String({ description: 'Comma-separated, at most 100.' })),
  external_ids: Type.Optional(Type.String({ description: 'Comma-separated, at most 100.' }))
}, { additionalProperties: true })

// ----- errors -----

const Code = (code: string, description: string) => Type.Object({ error: Type.Literal(code), description: Type.Literal(description) })

export const InvalidEndpointSchema = Code('InvalidEndpoint', 'Not found')
export const RecordNotFoundSchema = Code('RecordNotFound', 'Not found')
export const RecordInvalidSchema = Type.Object({
  error: Type.Literal('RecordInvalid'),
  description: Type.Literal('Record validation errors'),
  details: Type.Record(Type.String(), Type.Array(Type.Object({ description: Type.String(), error: Type.Optional(Type.String()) })))
}, { description: 'Validation failure: missing name, badly formed email, email or external_id of another user, unknown organization_id.' })
export const InvalidAttributeSchema = Type.Object({
  error: Type.Object({ title: Type.Literal('Invalid attribute'), message: Type.String() })
}, { description: 'A parameter of the wrong type (`user` not a hash, `organization_id` not an integer, a non-integer id).' })
export const TooManyValuesSchema = Type.Object({ error: Type.Literal('TooManyValues'), description: Type.String(), max_count: Type.Optional(Type.Integer()) })
export const TooManyJobsSchema = Type.Object({ error: Type.Literal('TooManyJobs'), description: Type.String(), current_job_ids: Type.Array(Type.String()) })
export const UnauthenticatedSchema = Type.Union([
  Type.Object({ error: Type.Literal("Couldn't authenticate you") }),
  Type.Object({ error: Type.Literal('invalid_token'), error_description: Type.String() })
], { description: 'Basic credentials: `Couldn\'t authenticate you` with `WWW-Authenticate: Basic realm="Web Password"`; a Bearer token: `invalid_token`.' })
const Text = (description: string) => Type.String({ description })

/** A status answered as JSON or text/plain, for OpenAPI and for the serializer alike. */
const content = (json: TSchema | undefined, text: string | undefined, description: string) => ({
  description,
  content: {
    ...(json ? { 'application/json': { schema: json } } : {}),
    ...(text ? { 'text/plain': { schema: Text(text) } } : {})
  }
})

/** Answers every Zendesk route can give, whatever it does. */
export const commonResponses = {
  401: UnauthenticatedSchema,
  404: InvalidEndpointSchema,
  413: content(undefined, 'Request Entity Too Large', 'Body over the size limit.'),
  429: content(TooManyJobsSchema, 'Number of allowed API requests per minute exceeded (account budget), or "You have exceeded the rate limit for updating a single unique user. user email: … id: … external_id: …" (per end user).', 'Rate limited; `Retry-After` in whole seconds.')
}

export const badRequest = content(Type.Union([InvalidAttributeSchema, TooManyValuesSchema]), 'Error occurred while parsing request parameters', 'A parameter of the wrong type (JSON), or a body that is not JSON (text/plain).')
