import type { FastifyReply } from 'fastify'
import type { Account } from '../../kernel/accounts.js'
import type { Kernel } from '../../kernel/kernel.js'
import { rateLimitsFor, type RateLimitSettings } from '../../kernel/limits.js'
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
  /** external_id, else email, else id, lowercased: the limiter's key. Empty: no per-user limit. */
  key: string
  /** What the 429 text quotes, from the request body (blank when not sent, as recorded). */
  email: string
  id: string
  externalId: string
}

export class ZendeskRateLimits {
  private readonly kernel: Kernel
  // Specs are shared per limit value rather than built per request.
  private readonly specs = new Map<string, WindowSpec>()

  constructor (kernel: Kernel) {
    this.kernel = kernel
  }

  settings (account: Account): RateLimitSettings {
    return rateLimitsFor(this.kernel.rateLimits, account)
  }

  /**
   * The account-wide budget per aligned minute: consumes one request and sets the five headers
   * with the window's true values, or throws the text/plain 429.
   */
  account (account: Account, reply: FastifyReply): void {
    const s = this.settings(account)
    if (!s.enabled || s.zendesk.perMinute <= 0) return
    const w = this.kernel.limiter.take(`${account.id}:zendesk:minute`, this.spec(s.zendesk.perMinute, MINUTE, 'aligned'), this.kernel.clock.now())
    reply.header('x-rate-limit', w.limit)
    reply.header('x-rate-limit-remaining', w.remaining)
    reply.header('ratelimit-limit', w.limit)
    reply.header('ratelimit-remaining', w.remaining)
    reply.header('ratelimit-reset', w.resetSeconds)
    if (!w.allowed) throw new AccountRateLimited(w.resetSeconds)
  }

  /**
   * create_or_update and PUT users/{id}: the optional per-second account cap, then 5 per minute
   * per end-user profile (a window opens at a profile's first call). Both answer the per-user
   * 429 text; the account headers set earlier stay on it.
   */
  endUser (account: Account, reply: FastifyReply, profile: Profile): void {
    const s = this.settings(account)
    if (!s.enabled) return
    const now = this.kernel.clock.now()
    if (s.zendesk.perSecond > 0) {
      const w = this.kernel.limiter.take(`${account.id}:zendesk:create-update-second`, this.spec(s.zendesk.perSecond, SECOND, 'aligned'), now)
      if (!w.allowed) throw new UserRateLimited(profile, w.resetSeconds, header(w.limit, w.remaining, w.resetSeconds))
    }
    if (s.zendesk.perUserPerMinute <= 0 || profile.key === '') return
    const w = this.kernel.limiter.take(`${account.id}:zendesk:create-update-user:${profile.key}`, this.spec(s.zendesk.perUserPerMinute, MINUTE, 'first-hit'), now)
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
