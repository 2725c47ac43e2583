import { describe, expect } from 'vitest'
import { test } from '../helpers/app.js'

describe('/__mock/clock', () => {
  test('shows the clock', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/__mock/clock' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ mode: 'frozen', now: '2024-01-01T00:00:00.000Z', offsetMs: 0 })
  })
  test('advances by seconds', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: '/__mock/clock', payload: { advance: 60 } })
    expect(res.json()).toEqual({ mode: 'frozen', now: '2024-01-01T00:01:00.000Z', offsetMs: 0 })
    expect(app.kernel.clock.now()).toBe(Date.parse('2024-01-01T00:01:00Z'))
  })
  test('sets an instant, and gives real time back', async ({ app }) => {
    let res = await app.inject({ method: 'POST', url: '/__mock/clock', payload: { now: '2030-05-06T07:08:09Z' } })
    expect(res.json()).toEqual({ mode: 'frozen', now: '2030-05-06T07:08:09.000Z', offsetMs: 0 })
    const before = Date.now()
    res = await app.inject({ method: 'POST', url: '/__mock/clock', payload: { mode: 'real' } })
    const after = Date.now()
    expect(res.json().mode).toBe('real')
    // Real time: read between the two readings around the request, however slow the machine.
    expect(Date.parse(res.json().now)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(res.json().now)).toBeLessThanOrEqual(after)
  })
  test('refuses an unknown key with a JSON 400', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: '/__mock/clock', payload: { advanse: 60 } })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.json()).toEqual({ error: { code: 'invalid_request', message: 'body must NOT have additional properties' } })
  })
})
