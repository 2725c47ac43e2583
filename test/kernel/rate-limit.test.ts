import { describe, expect, it } from 'vitest'
import { fixedClock } from '../../src/kernel/clock.js'
import { FixedWindowLimiter, type WindowSpec } from '../../src/kernel/rate-limit.js'

// Every instant comes from a frozen clock moved by hand, so each window edge is hit to the millisecond.
const MINUTE: WindowSpec = { limit: 3, windowMs: 60_000, alignment: 'aligned' }

describe('FixedWindowLimiter, aligned windows (Zendesk\'s account minute)', () => {
  it('admits exactly `limit` in a window, refuses to its last millisecond, and admits again at the next minute', () => {
    const clock = fixedClock('2024-01-01T00:00:30Z')
    const limiter = new FixedWindowLimiter()
    expect(limiter.take('k', MINUTE, clock.now())).toEqual({ allowed: true, limit: 3, remaining: 2, resetMs: 30_000, resetSeconds: 30 })
    expect(limiter.take('k', MINUTE, clock.now())).toEqual({ allowed: true, limit: 3, remaining: 1, resetMs: 30_000, resetSeconds: 30 })
    expect(limiter.take('k', MINUTE, clock.now())).toEqual({ allowed: true, limit: 3, remaining: 0, resetMs: 30_000, resetSeconds: 30 })
    expect(limiter.take('k', MINUTE, clock.now())).toEqual({ allowed: false, limit: 3, remaining: 0, resetMs: 30_000, resetSeconds: 30 })
    clock.advance(29_999) // 00:00:59.999, the window's last millisecond
    expect(limiter.take('k', MINUTE, clock.now())).toEqual({ allowed: false, limit: 3, remaining: 0, resetMs: 1, resetSeconds: 1 })
    clock.advance(1) // 00:01:00.000, a new window
    expect(limiter.take('k', MINUTE, clock.now())).toEqual({ allowed: true, limit: 3, remaining: 2, resetMs: 60_000, resetSeconds: 60 })
  })

  it('starts the window at the minute, not at the first request', () => {
    const clock = fixedClock('2024-01-01T00:00:59.500Z')
    const limiter = new FixedWindowLimiter()
    expect(limiter.take('k', MINUTE, clock.now())).toMatchObject({ remaining: 2, resetMs: 500, resetSeconds: 1 })
    clock.advance(500)
    expect(limiter.take('k', MINUTE, clock.now())).toMatchObject({ remaining: 2, resetMs: 60_000 })
  })

  it('rounds Retry-After seconds up, never to 0', () => {
    const clock = fixedClock('2024-01-01T00:00:58.500Z')
    const limiter = new FixedWindowLimiter()
    expect(limiter.take('k', MINUTE, clock.now())).toMatchObject({ resetMs: 1500, resetSeconds: 2 })
  })

  it('admits exactly M of N back-to-back takes against a budget of M', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const limiter = new FixedWindowLimiter()
    const spec: WindowSpec = { limit: 4, windowMs: 60_000, alignment: 'aligned' }
    const allowed = Array.from({ length: 10 }, () => limiter.take('k', spec, clock.now()).allowed)
    expect(allowed).toEqual([true, true, true, true, false, false, false, false, false, false])
  })

  it('keeps keys apart', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const limiter = new FixedWindowLimiter()
    const one: WindowSpec = { limit: 1, windowMs: 60_000, alignment: 'aligned' }
    expect(limiter.take('a', one, clock.now()).allowed).toBe(true)
    expect(limiter.take('a', one, clock.now()).allowed).toBe(false)
    expect(limiter.take('b', one, clock.now()).allowed).toBe(true)
  })

  it('refuses everything with a limit of 0', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const limiter = new FixedWindowLimiter()
    const none: WindowSpec = { limit: 0, windowMs: 60_000, alignment: 'aligned' }
    expect(limiter.peek('k', none, clock.now())).toEqual({ allowed: false, limit: 0, remaining: 0, resetMs: 60_000, resetSeconds: 60 })
    expect(limiter.take('k', none, clock.now())).toEqual({ allowed: false, limit: 0, remaining: 0, resetMs: 60_000, resetSeconds: 60 })
  })
})

describe('FixedWindowLimiter, first-hit windows (a per-user budget)', () => {
  const SPEC: WindowSpec = { limit: 2, windowMs: 10_000, alignment: 'first-hit' }

  it('opens the window at the first request and frees it exactly windowMs later', () => {
    const clock = fixedClock('2024-01-01T00:00:03.250Z')
    const limiter = new FixedWindowLimiter()
    expect(limiter.take('u', SPEC, clock.now())).toEqual({ allowed: true, limit: 2, remaining: 1, resetMs: 10_000, resetSeconds: 10 })
    clock.advance(9_999)
    expect(limiter.take('u', SPEC, clock.now())).toEqual({ allowed: true, limit: 2, remaining: 0, resetMs: 1, resetSeconds: 1 })
    expect(limiter.take('u', SPEC, clock.now())).toEqual({ allowed: false, limit: 2, remaining: 0, resetMs: 1, resetSeconds: 1 })
    clock.advance(1)
    expect(limiter.take('u', SPEC, clock.now())).toEqual({ allowed: true, limit: 2, remaining: 1, resetMs: 10_000, resetSeconds: 10 })
  })

  it('opens a fresh window when the clock is moved back before the window started', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const limiter = new FixedWindowLimiter()
    limiter.take('u', SPEC, clock.now())
    limiter.take('u', SPEC, clock.now())
    expect(limiter.take('u', SPEC, clock.now()).allowed).toBe(false)
    clock.advance(-1)
    expect(limiter.take('u', SPEC, clock.now())).toEqual({ allowed: true, limit: 2, remaining: 1, resetMs: 10_000, resetSeconds: 10 })
  })

  it('opens a fresh window when the window length changes', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const limiter = new FixedWindowLimiter()
    limiter.take('u', SPEC, clock.now())
    limiter.take('u', SPEC, clock.now())
    expect(limiter.take('u', { ...SPEC, windowMs: 5_000 }, clock.now())).toEqual({ allowed: true, limit: 2, remaining: 1, resetMs: 5_000, resetSeconds: 5 })
  })
})

describe('FixedWindowLimiter.peek and clear', () => {
  it('peek reports the window without consuming it', () => {
    const clock = fixedClock('2024-01-01T00:00:10Z')
    const limiter = new FixedWindowLimiter()
    expect(limiter.peek('k', MINUTE, clock.now())).toEqual({ allowed: true, limit: 3, remaining: 3, resetMs: 60_000, resetSeconds: 60 })
    expect(limiter.size).toBe(0)
    limiter.take('k', MINUTE, clock.now())
    expect(limiter.peek('k', MINUTE, clock.now())).toEqual({ allowed: true, limit: 3, remaining: 2, resetMs: 50_000, resetSeconds: 50 })
    expect(limiter.peek('k', MINUTE, clock.now())).toEqual({ allowed: true, limit: 3, remaining: 2, resetMs: 50_000, resetSeconds: 50 })
    clock.advance(50_000)
    expect(limiter.peek('k', MINUTE, clock.now())).toEqual({ allowed: true, limit: 3, remaining: 3, resetMs: 60_000, resetSeconds: 60 })
  })

  it('clear forgets the keys under a prefix, or all of them', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const limiter = new FixedWindowLimiter()
    for (const key of ['acct1:zendesk', 'acct1:usercom', 'acct2:zendesk']) limiter.take(key, MINUTE, clock.now())
    expect(limiter.size).toBe(3)
    limiter.clear('acct1:')
    expect(limiter.size).toBe(1)
    expect(limiter.peek('acct1:zendesk', MINUTE, clock.now()).remaining).toBe(3)
    expect(limiter.peek('acct2:zendesk', MINUTE, clock.now()).remaining).toBe(2)
    limiter.clear()
    expect(limiter.size).toBe(0)
  })

  it('sweeps expired windows once it holds 10,000 keys, so memory is bounded by one window\'s keys', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const limiter = new FixedWindowLimiter()
    for (let i = 0; i < 10_000; i++) limiter.take(`old${i}`, MINUTE, clock.now())
    expect(limiter.size).toBe(10_000)
    clock.advance(60_000)
    limiter.take('new', MINUTE, clock.now())
    expect(limiter.size).toBe(1)
  })

  it('sweeps only what expired, in opening order, and keeps a key reopened since', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const limiter = new FixedWindowLimiter()
    const firstHit = { limit: 5, windowMs: 60_000, alignment: 'first-hit' as const }
    limiter.take('a', firstHit, clock.now())
    clock.advance(30_000)
    limiter.take('b', firstHit, clock.now())
    limiter.clear('a')
    limiter.take('a', firstHit, clock.now())
    clock.advance(30_000)
    // a's first window and b's are due: a reopened 30 s ago and stays, b's is still open.
    limiter.take('c', firstHit, clock.now())
    expect(limiter.size).toBe(3)
    expect(limiter.peek('a', firstHit, clock.now()).remaining).toBe(4)
    clock.advance(30_000)
    limiter.take('c', firstHit, clock.now())
    expect(limiter.size).toBe(1)
    expect(limiter.peek('c', firstHit, clock.now()).remaining).toBe(3)
  })
})
