import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { rateLimitsFor, type RateLimitSettings } from '../../kernel/limits.js'
import { requireAccount } from '../actions.js'
import { AccountIdParams, ErrorSchema } from '../schemas.js'

/**
 * `GET /__mock/accounts/{id}/rate-limits/windows`: the rate-limit windows open now for the
 * account, with what is used and left, on the emulated clock. The limiter's keys are
 * `{account}:{vendor}:{kind}[:{subject}]`, as the vendor modules write them.
 */
const KINDS: Record<string, { vendor: string, kind: string, limit: (s: RateLimitSettings) => number }> = {
  'zendesk:minute': { vendor: 'zendesk', kind: 'account per minute', limit: s => s.zendesk.perMinute },
  'zendesk:create-update-second': { vendor: 'zendesk', kind: 'create/update per second', limit: s => s.zendesk.perSecond },
  'zendesk:create-update-user': { vendor: 'zendesk', kind: 'create/update per user per minute', limit: s => s.zendesk.perUserPerMinute },
  usercom: { vendor: 'usercom', kind: 'per period', limit: s => s.usercom.perPeriod }
}

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
  app.get('/accounts/:id/rate-limits/windows', {
    schema: { summary: 'The account\'s open rate-limit windows with their remaining budget', params: AccountIdParams, response: { 200: WindowsSchema, 404: ErrorSchema } }
  }, async (req) => {
    const account = requireAccount(k, req.params.id)
    const settings = rateLimitsFor(k.rateLimits, account)
    const now = k.clock.now()
    const prefix = `${account.id}:`
    const { windows, more } = k.limiter.windows(prefix, now)
    return {
      now: new Date(now).toISOString(),
      enabled: settings.enabled,
      windows: windows.map(w => {
        const rest = w.key.slice(prefix.length)
        const name = Object.keys(KINDS).find(n => rest === n || rest.startsWith(n + ':')) ?? rest
        const known = KINDS[name]
        const limit = known ? known.limit(settings) : w.used
        return {
          key: w.key,
          vendor: known?.vendor ?? rest.split(':')[0] ?? '',
          kind: known?.kind ?? rest,
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
