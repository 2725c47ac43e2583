import { describe, expect, it } from 'vitest'
import { CLOCK_MAX_MS, ClockRangeError, ControllableClock, fixedClock, parseInstant } from '../../src/kernel/clock.js'

describe('ControllableClock', () => {
  it('runs on the wall clock in real mode', () => {
    let wall = 1000
    const c = new ControllableClock(() => wall)
    expect(c.now()).toBe(1000)
    wall = 2000
    expect(c.now()).toBe(2000)
    expect(c.state()).toEqual({ mode: 'real', now: new Date(2000).toISOString(), offsetMs: 0 })
  })
  it('advance in real mode shifts time and keeps it running', () => {
    let wall = 1000
    const c = new ControllableClock(() => wall)
    c.advance(60_000)
    wall = 1500
    expect(c.now()).toBe(61_500)
    expect(c.state().mode).toBe('offset')
    c.real()
    expect(c.now()).toBe(1500)
  })
  it('a frozen clock stands still until moved', () => {
    const c = fixedClock('2024-01-01T00:00:00Z')
    const t = c.now()
    expect(new Date(t).toISOString()).toBe('2024-01-01T00:00:00.000Z')
    c.advance(1500)
    expect(c.now()).toBe(t + 1500)
  })
  it('set in offset mode keeps time running from the instant set', () => {
    let wall = 0
    const c = new ControllableClock(() => wall)
    c.set(Date.parse('2030-01-01T00:00:00Z'), 'offset')
    wall = 1000
    expect(new Date(c.now()).toISOString()).toBe('2030-01-01T00:00:01.000Z')
  })
  it('refuses instants a timestamp cannot show, and NaN', () => {
    const c = fixedClock('9999-12-31T23:59:59Z')
    expect(() => c.advance(1000)).toThrow(ClockRangeError)
    expect(() => c.advance(Number.NaN)).toThrow('advance must be a finite number')
    expect(() => c.set(Number.NaN)).toThrow('the clock cannot be set to an invalid date')
    expect(() => c.set(CLOCK_MAX_MS + 1)).toThrow(ClockRangeError)
    expect(() => c.set(-1)).toThrow(ClockRangeError)
    expect(c.state().now).toBe('9999-12-31T23:59:59.000Z')
    c.set(CLOCK_MAX_MS)
    expect(c.now()).toBe(CLOCK_MAX_MS)
  })
  it('parseInstant refuses what Date.parse would roll over or reject', () => {
    expect(() => parseInstant('2030-13-45')).toThrow('"2030-13-45" is not a valid ISO 8601 date')
    expect(() => parseInstant('2030-02-30T00:00:00Z')).toThrow(ClockRangeError)
    expect(parseInstant('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29))
  })
})
