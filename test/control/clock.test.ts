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
  test('refuses to move the clock past 9999-12-31 with a JSON 400, and leaves it as it was', async ({ app }) => {
    for (const payload of [{ advance: 1e13 }, { advance: -1e13 }, { now: '9999-12-31T23:59:59Z', advance: 1 }, { now: '2030-01-01T00:00:00Z', advance: 1e13 }]) {
      const res = await app.inject({ method: 'POST', url: '/__mock/clock', payload })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
      expect(res.json().error.code).toBe('clock_out_of_range')
      expect(res.json().error.message).toMatch(/would put the clock outside 1970-01-01T00:00:00Z\.\.9999-12-31T23:59:59Z$/)
    }
    const res = await app.inject({ method: 'GET', url: '/__mock/clock' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ mode: 'frozen', now: '2024-01-01T00:00:00.000Z', offsetMs: 0 })
  })
  test('refuses an impossible or six-digit-year date with a JSON 400', async ({ app }) => {
    for (const now of ['2030-02-30T00:00:00Z', '2030-13-45T00:00:00Z', '+275761-01-01T00:00:00Z']) {
      const res = await app.inject({ method: 'POST', url: '/__mock/clock', payload: { now } })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ error: { code: 'invalid_request', message: 'body/now must match format "date-time"' } })
    }
  })
  test('after a refused move, vendor writes and the journal still answer', async ({ app }) => {
    await app.inject({ method: 'POST', url: '/__mock/clock', payload: { advance: 1e13 } })
    const auth = `Basic ${Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')}`
    const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: auth }, payload: { user: { name: 'A', email: 'a@example.com' } } })
    expect(res.statusCode).toBe(201)
    expect(res.json().user.created_at).toBe('2024-01-01T00:00:00Z')
    expect((await app.inject({ method: 'GET', url: '/__mock/requests' })).statusCode).toBe(200)
  })
})
