import type { Account } from '../../kernel/accounts.js'
import type { Kernel } from '../../kernel/kernel.js'
import { Type } from '@sinclair/typebox'
import type { Config } from '../../config.js'
import { limitsEnabled, parseRate, vendorLimits } from '../../kernel/limits.js'
import { errors } from './errors.js'

/**
 * User.com's throttle, DRF style: one budget per account (`USERCOM_RATE_LIMIT`, per-account
 * overrides through `account.settings.rateLimits.usercom`), checked after authentication and
 * before the body is read. A refused request does not consume, as in DRF's SimpleRateThrottle.
 *
 * Not emulated: DRF's sliding window (its `wait()` spreads the remaining budget over the
 * window); this is a fixed window opened by the first request, and `Retry-After` is the exact
 * number of seconds until it frees. User.com publishes no numbers.
 */
export interface UsercomLimitSettings extends Record<string, number> {
  /** Requests allowed per `periodSeconds`; 0 is off. */
  perPeriod: number
  periodSeconds: number
}

export const usercomLimitDefaults = (config: Config): UsercomLimitSettings => parseRate(config.USERCOM_RATE_LIMIT)

export const LimitsSchema = Type.Object({ perPeriod: Type.Integer(), periodSeconds: Type.Integer() })
export const LimitOverridesSchema = Type.Object({
  perPeriod: Type.Optional(Type.Integer({ minimum: 0 })),
  periodSeconds: Type.Optional(Type.Integer({ minimum: 1 }))
}, { additionalProperties: false })

export function checkThrottle (kernel: Kernel, defaults: UsercomLimitSettings, account: Account): void {
  if (!limitsEnabled(kernel.config, account)) return
  const { perPeriod, periodSeconds } = vendorLimits(defaults, account, 'usercom')
  if (!(perPeriod > 0)) return
  const result = kernel.limiter.take(`${account.id}:usercom`, { limit: perPeriod, windowMs: periodSeconds * 1000, alignment: 'first-hit' }, kernel.clock.now())
  if (!result.allowed) throw errors.throttled(result.resetSeconds)
}
