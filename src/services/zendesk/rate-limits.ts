import type { FastifyReply } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { Config } from '../../config.js'
import type { Account } from '../../kernel/accounts.js'
import type { Kernel } from '../../kernel/kernel.js'
import { limitsEnabled, vendorLimits } from '../../kernel/limits.js'
import type { WindowSpec } from '../../kernel/rate-limit.js'
import { AccountRateLimited, UserRateLimited } from './errors.js'

/**
 * Zendesk's limits (§5) on the kernel's fixed windows and the injected clock. Each check takes
 * from its window synchronously, so N parallel requests against M remaining admit exactly M.
 * @see https://developer.zendesk.com/api-reference/introduction/rate-limits/
 */

const MINUTE = 60_000
const SECOND = 1000

/** The end-user profile a create_or_update or PUT touches, as the request names it. */
export interface Profile {
  /** create_or_update: external_id, else email, else id, lowercased; PUT: the URL's user id. Empty: no per-user limit. */
  key: string
  /** What the 429 text quotes, from the request body (blank when not sent, as recorded). */
  email: string
  id: string
  externalId: string
}

/** Zendesk's numbers, defaults from configuration, overridable per account (`/__mock`). */
export interface ZendeskLimitSettings extends Record<string, number> {
  /** Account-wide requests per minute. */
  perMinute: number
  /** create_or_update and PUT users/{id} calls per minute per end user. */
  perUserPerMinute: number
  /** Optional account-wide cap per second on those endpoints. */
  perSecond: number
  /** Bulk jobs queued or running at once. */
  maxJobs: number
}

export function zendeskLimitDefaults (config: Config): ZendeskLimitSettings {
  return {
    perMinute: config.ZENDESK_RATE_LIMIT,
    perUserPerMinute: config.ZENDESK_USER_RATE_LIMIT,
    perSecond: config.ZENDESK_ACCOUNT_RPS_LIMIT,
    maxJobs: config.ZENDESK_MAX_JOBS
  }
}

export const LimitsSchema = Type.Object({ perMinute: Type.Integer(), perUserPerMinute: Type.Integer(), perSecond: Type.Integer(), maxJobs: Type.Integer() })
export const LimitOverridesSchema = Type.Object({
  perMinute: Type.Optional(Type.Integer({ minimum: 0 })),
  perUserPerMinute: Type.Optional(Type.Integer({ minimum: 0 })),
  perSecond: Type.Optional(Type.Integer({ minimum: 0 })),
  maxJobs: Type.Optional(Type.Integer({ minimum: 0 }))
}, { additionalProperties: false })

export class ZendeskRateLimits {
  private readonly kernel: Kernel
  // Specs are shared per limit value rather than built per request.
  private readonly specs = new Map<string, WindowSpec>()

  readonly defaults: ZendeskLimitSettings

  constructor (kernel: Kernel) {
    this.kernel = kernel
    this.defaults = zendeskLimitDefaults(kernel.config)
  }

  /** The settings in force for the account, or undefined when its limits are off. */
  settings (account: Account): ZendeskLimitSettings | undefined {
    return limitsEnabled(this.kernel.config, account) ? vendorLimits(this.defaults, account, 'zendesk') : undefined
  }

  /**
   * The account-wide budget per aligned minute: consumes one request and sets the five headers
   * with the window's true values, or throws the text/plain 429.
   */
  account (account: Account, reply: FastifyReply): void {
    const s = this.settings(account)
    if (!s || s.perMinute <= 0) return
    const w = this.kernel.limiter.take(`${account.id}:zendesk:minute`, this.spec(s.perMinute, MINUTE, 'aligned'), this.kernel.clock.now())
    reply.header('x-rate-limit', w.limit)
    reply.header('x-rate-limit-remaining', w.remaining)
    reply.header('ratelimit-limit', w.limit)
    reply.header('ratelimit-remaining', w.remaining)
    reply.header('ratelimit-reset', w.resetSeconds)
    if (!w.allowed) throw new AccountRateLimited(w.resetSeconds)
  }

  /**
   * create_or_update and PUT users/{id}: the optional per-second account cap, then 5 per minute
   * per end user in a fixed window aligned on the clock minute (§10.6: the recorded 429 came 27
   * seconds before the minute's end). The two endpoints count in separate buckets: PUTs per user
   * in the URL (`bucket` 'update'), create_or_update per profile named in the body (a
   * create_or_update in the same minute did not count toward the recorded PUTs). Both answer the
   * per-user 429 text, quoting the body; the account headers set earlier stay on it.
   */
  endUser (account: Account, reply: FastifyReply, profile: Profile, bucket: 'create_or_update' | 'update' = 'create_or_update'): void {
    const s = this.settings(account)
    if (!s) return
    const now = this.kernel.clock.now()
    if (s.perSecond > 0) {
      const w = this.kernel.limiter.take(`${account.id}:zendesk:create-update-second`, this.spec(s.perSecond, SECOND, 'aligned'), now)
      if (!w.allowed) throw new UserRateLimited(profile, w.resetSeconds, header(w.limit, w.remaining, w.resetSeconds))
    }
    if (s.perUserPerMinute <= 0 || profile.key === '') return
    const w = this.kernel.limiter.take(`${account.id}:zendesk:${bucket}-user:${profile.key}`, this.spec(s.perUserPerMinute, MINUTE, 'aligned'), now)
    const value = header(w.limit, w.remaining, w.resetSeconds)
    if (!w.allowed) throw new UserRateLimited(profile, w.resetSeconds, value)
    reply.header('Zendesk-RateLimit-create-update-user', value)
  }

  private spec (limit: number, windowMs: number, alignment: WindowSpec['alignment']): WindowSpec {
    const key = `${limit}/${windowMs}/${alignment}`
    let spec = this.specs.get(key)
    if (!spec) {
      spec = { limit, windowMs, alignment }
      this.specs.set(key, spec)
    }
    return spec
  }
}

const header = (total: number, remaining: number, resets: number): string => `total=${total}; remaining=${remaining}; resets=${resets}`
