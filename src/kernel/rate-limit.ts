/**
 * Fixed-window counters on the injected clock. `take` checks and consumes in one synchronous
 * step, so N concurrent requests against a remaining budget of M admit exactly M: Node runs
 * one handler at a time and nothing awaits between the check and the consume.
 */
export interface WindowResult {
  allowed: boolean
  limit: number
  /** Requests left in the window after this one (0 when refused). */
  remaining: number
  /** Milliseconds until the window frees. */
  resetMs: number
  /** Whole seconds until the window frees, at least 1: what `Retry-After` and `*-reset` carry. */
  resetSeconds: number
}

export interface WindowSpec {
  limit: number
  windowMs: number
  /**
   * `aligned`: windows start at multiples of windowMs on the clock (Zendesk's account minute);
   * `first-hit`: a window opens at the first request of a key (a per-user budget).
   */
  alignment: 'aligned' | 'first-hit'
}

/** `limit` is the one in force at the last take (settings change at runtime). */
interface Bucket { start: number, used: number, windowMs: number, limit: number }

/** Windows of one length in the order they opened: the oldest expires first. */
interface ExpiryQueue { keys: string[], buckets: Bucket[], head: number }

export class FixedWindowLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly queues = new Map<number, ExpiryQueue>()
  private lastSweep = 0

  /** Consumes one unit from `key`'s window if any is left. */
  take (key: string, spec: WindowSpec, now: number): WindowResult {
    const bucket = this.current(key, spec, now)
    const allowed = bucket.used < spec.limit
    if (allowed) bucket.used++
    return this.result(bucket, spec, now, allowed)
  }

  /** The state of `key`'s window without consuming. */
  peek (key: string, spec: WindowSpec, now: number): WindowResult {
    const bucket = this.buckets.get(key)
    if (!bucket || now >= bucket.start + bucket.windowMs || now < bucket.start) {
      return { allowed: spec.limit > 0, limit: spec.limit, remaining: spec.limit, resetMs: spec.windowMs, resetSeconds: Math.max(1, Math.ceil(spec.windowMs / 1000)) }
    }
    return this.result(bucket, spec, now, bucket.used < spec.limit)
  }

  /** Forgets every bucket whose key starts with `prefix` (all of them without one). */
  clear (prefix?: string): void {
    if (prefix === undefined) { this.buckets.clear(); this.queues.clear(); this.lastSweep = 0; return }
    for (const key of this.buckets.keys()) if (key.startsWith(prefix)) this.buckets.delete(key)
  }

  get size (): number {
    return this.buckets.size
  }

  /** The open windows of keys starting with `prefix` (the inspector's view), at most `max` of them. */
  windows (prefix: string, now: number, max = 100): { windows: Array<Readonly<Bucket> & { key: string }>, more: number } {
    const windows: Array<Readonly<Bucket> & { key: string }> = []
    let more = 0
    for (const [key, b] of this.buckets) {
      if (!key.startsWith(prefix) || now >= b.start + b.windowMs || now < b.start) continue
      if (windows.length < max) windows.push({ key, ...b })
      else more++
    }
    return { windows, more }
  }

  private current (key: string, spec: WindowSpec, now: number): Bucket {
    this.sweep(now)
    let bucket = this.buckets.get(key)
    // A clock moved back before the window's start also opens a fresh window.
    if (!bucket || now >= bucket.start + bucket.windowMs || now < bucket.start || bucket.windowMs !== spec.windowMs) {
      const start = spec.alignment === 'aligned' ? now - (now % spec.windowMs) : now
      bucket = { start, used: 0, windowMs: spec.windowMs, limit: spec.limit }
      this.buckets.set(key, bucket)
      let queue = this.queues.get(spec.windowMs)
      if (!queue) this.queues.set(spec.windowMs, queue = { keys: [], buckets: [], head: 0 })
      queue.keys.push(key)
      queue.buckets.push(bucket)
    }
    bucket.limit = spec.limit
    return bucket
  }

  private result (bucket: Bucket, spec: WindowSpec, now: number, allowed: boolean): WindowResult {
    const resetMs = Math.max(0, bucket.start + bucket.windowMs - now)
    return {
      allowed,
      limit: spec.limit,
      remaining: Math.max(0, spec.limit - bucket.used),
      resetMs,
      resetSeconds: Math.max(1, Math.ceil(resetMs / 1000))
    }
  }

  /**
   * Drops expired windows now and then, so memory stays bounded by the keys of one window. Each
   * window length keeps its windows in opening order, so a sweep looks only at expired ones:
   * amortized O(1) per window, however many are open.
   */
  private sweep (now: number): void {
    if (now - this.lastSweep < 1000 && now >= this.lastSweep) return
    this.lastSweep = now
    for (const queue of this.queues.values()) {
      const { keys, buckets } = queue
      let head = queue.head
      while (head < keys.length && now >= buckets[head]!.start + buckets[head]!.windowMs) {
        const key = keys[head]!
        // A key reopened since (or cleared) has another bucket now: only its own entry goes.
        if (this.buckets.get(key) === buckets[head]) this.buckets.delete(key)
        head++
      }
      if (head > 1024 && head * 2 > keys.length) {
        keys.splice(0, head)
        buckets.splice(0, head)
        head = 0
      }
      queue.head = head
    }
  }
}
