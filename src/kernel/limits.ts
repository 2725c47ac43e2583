import type { Config } from '../config.js'
import type { Account } from './accounts.js'
import type { VendorName } from './service.js'

/**
 * Rate-limit settings: each vendor declares its numbers and their configured defaults
 * (`Service.rateLimits`); an account overrides any of them at runtime
 * (`account.settings.rateLimits`, set through `/__mock`). A limit of 0 is off, and
 * `RATE_LIMITS=off` (or an account's `enabled: false`) turns them all off.
 */
export interface RateLimitOverrides {
  enabled?: boolean
  [vendor: VendorName]: Record<string, number> | boolean | undefined
}

const overridesOf = (account: Account): RateLimitOverrides => (account.settings.rateLimits ?? {}) as RateLimitOverrides

/** Whether limits count at all for this account. */
export function limitsEnabled (config: Config, account: Account): boolean {
  return config.RATE_LIMITS === 'on' && (overridesOf(account).enabled ?? true)
}

/**
 * A vendor's settings in force for an account: `defaults` with the account's overrides. Returns
 * `defaults` itself when there are none (the common case: no allocation per request).
 */
export function vendorLimits<T extends Record<string, number>> (defaults: T, account: Account, vendor: VendorName): T {
  const o = overridesOf(account)[vendor]
  return typeof o === 'object' ? { ...defaults, ...o } : defaults
}

const PERIODS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600, d: 86400, day: 86400 }

/** Parses DRF's `N/period` rate syntax (`100/min`), or `off`. */
export function parseRate (rate: string): { perPeriod: number, periodSeconds: number } {
  if (rate === 'off') return { perPeriod: 0, periodSeconds: 60 }
  const [n, period] = rate.split('/')
  return { perPeriod: Number(n), periodSeconds: PERIODS[period ?? ''] ?? 60 }
}
