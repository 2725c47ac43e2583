import type { Account } from '../../kernel/accounts.js'
import type { Kernel } from '../../kernel/kernel.js'
import { rateLimitsFor } from '../../kernel/limits.js'
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
export function checkThrottle (kernel: Kernel, account: Account): void {
  const limits = rateLimitsFor(kernel.rateLimits, account)
  const { perPeriod, periodSeconds } = limits.usercom
  if (!limits.enabled || !(perPeriod > 0)) return
  const result = kernel.limiter.take(`${account.id}:usercom`, { limit: perPeriod, windowMs: periodSeconds * 1000, alignment: 'first-hit' }, kernel.clock.now())
  if (!result.allowed) throw errors.throttled(result.resetSeconds)
}
