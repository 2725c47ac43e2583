import type { Config } from '../config.js'
import type { Account } from './accounts.js'

/**
 * The rate-limit settings in force for an account: configuration defaults, overridden per account
 * at runtime (`account.settings.rateLimits`, set through `/__mock`). A limit of 0 (or
 * `usercom.perPeriod` 0) is off, and `RATE_LIMITS=off` turns them all off.
 */
export interface RateLimitSettings {
  enabled: boolean
  zendesk: {
    /** Account-wide requests per minute. */
    perMinute: number
    /** create_or_update and PUT users/{id} calls per minute per end user. */
    perUserPerMinute: number
    /** Optional account-wide cap per second on those endpoints. */
    perSecond: number
    /** Bulk jobs queued or running at once. */
    maxJobs: number
  }
  usercom: {
    /** Requests allowed per `periodSeconds`; 0 is off. */
    perPeriod: number
    periodSeconds: number
  }
}

export type RateLimitOverrides = {
  enabled?: boolean
  zendesk?: Partial<RateLimitSettings['zendesk']>
  usercom?: Partial<RateLimitSettings['usercom']>
}

const PERIODS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600, d: 86400, day: 86400 }

/** Parses DRF's `N/period` rate syntax (`100/min`), or `off`. */
export function parseRate (rate: string): { perPeriod: number, periodSeconds: number } {
  if (rate === 'off') return { perPeriod: 0, periodSeconds: 60 }
  const [n, period] = rate.split('/')
  return { perPeriod: Number(n), periodSeconds: PERIODS[period ?? ''] ?? 60 }
}

export function defaultRateLimits (config: Config): RateLimitSettings {
  return {
    enabled: config.RATE_LIMITS === 'on',
    zendesk: {
      perMinute: config.ZENDESK_RATE_LIMIT,
      perUserPerMinute: config.ZENDESK_USER_RATE_LIMIT,
      perSecond: config.ZENDESK_ACCOUNT_RPS_LIMIT,
      maxJobs: config.ZENDESK_MAX_JOBS
    },
    usercom: parseRate(config.USERCOM_RATE_LIMIT)
  }
}

export function rateLimitsFor (defaults: RateLimitSettings, account: Account): RateLimitSettings {
  const o = (account.settings.rateLimits ?? {}) as RateLimitOverrides
  return {
    enabled: defaults.enabled && (o.enabled ?? true),
    zendesk: { ...defaults.zendesk, ...o.zendesk },
    usercom: { ...defaults.usercom, ...o.usercom }
  }
}
