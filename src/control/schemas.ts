import { Type } from '@sinclair/typebox'

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() })
}, { $id: 'ControlError', description: 'Every control-plane error.' })

export const AccountSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  zendesk: Type.Object({
    subdomain: Type.String(),
    email: Type.String(),
    apiToken: Type.String(),
    password: Type.String(),
    oauthToken: Type.String(),
    baseUrl: Type.String({ description: 'Give this to node-zendesk as `endpointUri`.' })
  }),
  usercom: Type.Object({ apiKey: Type.String(), baseUrl: Type.String() }),
  rateLimits: Type.Record(Type.String(), Type.Unknown(), { description: 'This account\'s overrides of the configured limits.' }),
  createdAt: Type.String()
})

export const NewAccountSchema = Type.Object({
  id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  zendesk: Type.Optional(Type.Object({
    subdomain: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' })),
    email: Type.Optional(Type.String({ minLength: 3 })),
    apiToken: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String({ minLength: 1 })),
    oauthToken: Type.Optional(Type.String({ minLength: 1 }))
  }, { additionalProperties: false })),
  usercom: Type.Optional(Type.Object({ apiKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{64}$' })) }, { additionalProperties: false }))
}, { additionalProperties: false })

export const AccountIdParams = Type.Object({ id: Type.String() })

export const StateSchema = Type.Object({
  zendesk: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: '`{ users: [...] }` with each user as GET /api/v2/users/{id} renders it.' })),
  usercom: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: '`{ users: [...] }` with each user as GET /api/public/users/{id}/ renders it.' }))
}, { additionalProperties: false })

export const LoadedSchema = Type.Object({
  loaded: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()))
})

export const RateLimitsSchema = Type.Object({
  enabled: Type.Boolean(),
  zendesk: Type.Object({ perMinute: Type.Integer(), perUserPerMinute: Type.Integer(), perSecond: Type.Integer(), maxJobs: Type.Integer() }),
  usercom: Type.Object({ perPeriod: Type.Integer(), periodSeconds: Type.Integer() })
})

export const RateLimitOverridesSchema = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  zendesk: Type.Optional(Type.Object({
    perMinute: Type.Optional(Type.Integer({ minimum: 0 })),
    perUserPerMinute: Type.Optional(Type.Integer({ minimum: 0 })),
    perSecond: Type.Optional(Type.Integer({ minimum: 0 })),
    maxJobs: Type.Optional(Type.Integer({ minimum: 0 }))
  }, { additionalProperties: false })),
  usercom: Type.Optional(Type.Object({
    perPeriod: Type.Optional(Type.Integer({ minimum: 0 })),
    periodSeconds: Type.Optional(Type.Integer({ minimum: 1 }))
  }, { additionalProperties: false }))
}, { additionalProperties: false })

export const JournalQuerySchema = Type.Object({
  account: Type.Optional(Type.String()),
  vendor: Type.Optional(Type.Union([Type.Literal('zendesk'), Type.Literal('usercom')])),
  method: Type.Optional(Type.String()),
  path: Type.Optional(Type.String({ description: 'Exact path, or a prefix ending in `*`.' })),
  status: Type.Optional(Type.Integer()),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  bodyContains: Type.Optional(Type.String({ description: 'Substring of the request body\'s JSON, e.g. an e-mail.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1 }))
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
  fault: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The fault rule that hit the request, if any.' }))
})

export const FaultInputSchema = Type.Object({
  vendor: Type.Optional(Type.Union([Type.Literal('zendesk'), Type.Literal('usercom')])),
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

export const FaultSchema = Type.Object({
  id: Type.String(),
  ...FaultInputSchema.properties,
  hits: Type.Integer(),
  remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'Hits left when `times` was set.' })
})
