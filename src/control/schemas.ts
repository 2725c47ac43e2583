import { Type, type TSchema } from '@sinclair/typebox'
import type { Service } from '../kernel/service.js'

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() })
}, { $id: 'ControlError', description: 'Every control-plane error.' })

export const AccountIdParams = Type.Object({ id: Type.String() })

export const LoadedSchema = Type.Object({
  loaded: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()))
})

export const journalQuerySchema = <V extends TSchema>(vendor: V) => Type.Object({
  account: Type.Optional(Type.String()),
  vendor: Type.Optional(vendor),
  method: Type.Optional(Type.String()),
  path: Type.Optional(Type.String({ description: 'Exact path, or a prefix ending in `*`.' })),
  status: Type.Optional(Type.Integer()),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  bodyContains: Type.Optional(Type.String({ description: 'Substring of the request body\'s JSON, e.g. an e-mail.' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Only entries with a greater id: with `limit`, the next page forward from the last id seen.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, description: 'At most this many: the last ones, or with `after` the first ones after it.' }))
}, { additionalProperties: false })

export const JournalEntrySchema = Type.Object({
  id: Type.Integer(),
  time: Type.String(),
  account: Type.Union([Type.String(), Type.Null()]),
  vendor: Type.String(),
  method: Type.String(),
  path: Type.String(),
  query: Type.String(),
  headers: Type.Record(Type.String(), Type.Unknown()),
  body: Type.Unknown(),
  status: Type.Integer(),
  responseHeaders: Type.Record(Type.String(), Type.Unknown()),
  responseBody: Type.Unknown(),
  durationMs: Type.Number(),
  fault: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The fault rule that hit the request, if any.' })),
  truncated: Type.Optional(Type.Object({
    body: Type.Optional(Type.Integer({ description: 'Original bytes of the request body, cut to JOURNAL_BODY_MAX_BYTES.' })),
    responseBody: Type.Optional(Type.Integer({ description: 'Original bytes of the response body, cut to JOURNAL_BODY_MAX_BYTES.' }))
  }, { description: 'Present when a body was cut: it is then its first bytes as text.' }))
})

export const faultInputSchema = <V extends TSchema>(vendor: V) => Type.Object({
  vendor: Type.Optional(vendor),
  method: Type.Optional(Type.String()),
  path: Type.Optional(Type.String({ description: 'Exact path (query ignored), or a prefix ending in `*`.' })),
  account: Type.Optional(Type.String()),
  times: Type.Optional(Type.Integer({ minimum: 1, description: 'The next N matching requests; unset: all.' })),
  probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  action: Type.Optional(Type.Union([Type.Literal('respond'), Type.Literal('drop'), Type.Literal('delay')])),
  latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  body: Type.Optional(Type.Unknown({ description: 'A string is sent as is; anything else as JSON.' })),
  contentType: Type.Optional(Type.String())
}, { additionalProperties: false })

export const faultSchema = <T extends ReturnType<typeof faultInputSchema>>(input: T) => Type.Object({
  id: Type.String(),
  ...input.properties,
  hits: Type.Integer(),
  remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'Hits left when `times` was set.' })
})

const perVendor = <T extends TSchema>(services: readonly Service[], of: (s: Service) => T): Record<string, T> =>
  Object.fromEntries(services.map(s => [s.name, of(s)]))

const made = new Map<string, ReturnType<typeof buildVendorSchemas>>()

/**
 * The schemas that list the vendors: each vendor contributes its part (credentials, limits,
 * state). Made once per set of vendors in the process, so every app shares the schema objects
 * (and their compiled validators and serializers).
 */
export function vendorSchemas (services: readonly Service[]): ReturnType<typeof buildVendorSchemas> {
  const key = services.map(s => s.name).join(',')
  let schemas = made.get(key)
  if (!schemas) made.set(key, schemas = buildVendorSchemas(services))
  return schemas
}

function buildVendorSchemas (services: readonly Service[]) {
  const vendor = Type.Unsafe<string>(Type.Union(services.map(s => Type.Literal(s.name))))
  const faultInput = faultInputSchema(vendor)
  const Account = Type.Object({
    id: Type.String(),
    name: Type.String(),
    ...perVendor(services, s => s.credentials.schema),
    rateLimits: Type.Record(Type.String(), Type.Unknown(), { description: 'This account\'s overrides of the configured limits.' }),
    createdAt: Type.String()
  })
  return {
    Account,
    AccountList: Type.Object({ accounts: Type.Array(Account) }),
    NewAccountBody: Type.Optional(Type.Object({
      id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
      name: Type.Optional(Type.String({ maxLength: 200 })),
      ...perVendor(services, s => Type.Optional(s.credentials.inputSchema))
    }, { additionalProperties: false })),
    State: Type.Object(
      perVendor(services, s => Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: s.stateDescription }))),
      { additionalProperties: false }),
    RateLimits: Type.Object({ enabled: Type.Boolean(), ...perVendor(services, s => s.rateLimits.schema) }),
    RateLimitOverrides: Type.Object({
      enabled: Type.Optional(Type.Boolean()),
      ...perVendor(services, s => Type.Optional(s.rateLimits.overridesSchema))
    }, { additionalProperties: false }),
    JournalQuery: journalQuerySchema(vendor),
    FaultInput: faultInput,
    Fault: faultSchema(faultInput)
  }
}
