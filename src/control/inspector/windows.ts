import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { limitsEnabled } from '../../kernel/limits.js'
import type { Emulator } from '../../kernel/service.js'
import { requireAccount } from '../actions.js'
import { AccountIdParams, ErrorSchema } from '../schemas.js'

/**
 * `GET /__mock/accounts/{id}/rate-limits/windows`: the rate-limit windows open now for the
 * account, with what is used and left, on the emulated clock. The limiter's keys are
 * `{account}:{vendor}[:{kind}[:{subject}]]`, as the vendor modules write them; each vendor
 * names its kinds (`Service.rateLimits.windowKinds`).
 */
export const WindowsSchema = Type.Object({
  now: Type.String({ format: 'date-time', description: 'The emulated clock.' }),
  enabled: Type.Boolean(),
  windows: Type.Array(Type.Object({
    key: Type.String(),
    vendor: Type.String(),
    kind: Type.String(),
    subject: Type.Union([Type.String(), Type.Null()], { description: 'The end user of a per-user window.' }),
    limit: Type.Integer(),
    used: Type.Integer(),
    remaining: Type.Integer(),
    start: Type.String({ format: 'date-time' }),
    resetSeconds: Type.Integer()
  })),
  more: Type.Integer({ description: 'Open windows left out (at most 100 are listed).' })
})

export const rateWindowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const k = app.kernel
  const e: Emulator = { kernel: k, services: app.services }
  // `zendesk:minute` → { vendor, label }; longest names first, so a kind never matches a shorter one's prefix.
  const kinds = app.services.flatMap(s => Object.entries(s.rateLimits.windowKinds).map(([kind, label]) => ({ name: kind ? `${s.name}:${kind}` : s.name, vendor: s.name, label })))
    .sort((a, b) => b.name.length - a.name.length)
  app.get('/accounts/:id/rate-limits/windows', {
    schema: { summary: 'The account\'s open rate-limit windows with their remaining budget', params: AccountIdParams, response: { 200: WindowsSchema, 404: ErrorSchema } }
  }, async (req) => {
    const account = requireAccount(e, req.params.id)
    const now = k.clock.now()
    const prefix = `${account.id}:`
    const { windows, more } = k.limiter.windows(prefix, now)
    return {
      now: new Date(now).toISOString(),
      enabled: limitsEnabled(k.config, account),
      windows: windows.map(w => {
        const rest = w.key.slice(prefix.length)
        const known = kinds.find(n => rest === n.name || rest.startsWith(n.name + ':'))
        const name = known?.name ?? rest
        const limit = w.limit
        return {
          key: w.key,
          vendor: known?.vendor ?? rest.split(':')[0] ?? '',
          kind: known?.label ?? rest,
          subject: rest.length > name.length ? rest.slice(name.length + 1) : null,
          limit,
          used: w.used,
          remaining: Math.max(0, limit - w.used),
          start: new Date(w.start).toISOString(),
          resetSeconds: Math.max(1, Math.ceil((w.start + w.windowMs - now) / 1000))
        }
      }),
      more
    }
  })
}
