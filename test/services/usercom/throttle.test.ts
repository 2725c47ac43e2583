import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { AUTH, get, postJson, setThrottle, UOC } from './helpers.js'

describe('User.com throttle (DRF 429)', () => {
  test('exhaust, get DRF\'s 429 with an integer Retry-After, advance /__mock/clock, served again', async ({ app }) => {
    setThrottle(app, 3, 60)
    for (let i = 0; i < 3; i++) expect((await get(app, '/api/public/users/')).statusCode).toBe(200)
    let res = await get(app, '/api/public/users/')
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe('60')
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.body).toBe('{"detail":"Request was throttled. Expected available in 60 seconds."}')
    // Throttled before the body is read: a malformed body still gets the 429.
    res = await postJson(app, UOC, 'user_id=x')
    expect(res.statusCode).toBe(429)

    await app.inject({ method: 'POST', url: '/__mock/clock', payload: { advance: 59 } })
    res = await get(app, '/api/public/users/')
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe('1')
    expect(res.body).toBe('{"detail":"Request was throttled. Expected available in 1 second."}')

    await app.inject({ method: 'POST', url: '/__mock/clock', payload: { advance: 1 } })
    expect((await get(app, '/api/public/users/')).statusCode).toBe(200)
  })

  test('Retry-After rounds up to whole seconds', async ({ app, clock }) => {
    setThrottle(app, 1, 10)
    await get(app, '/api/public/users/')
    clock.advance(2_500)
    const res = await get(app, '/api/public/users/')
    expect(res.headers['retry-after']).toBe('8')
  })

  test('unauthenticated requests and Django 404s do not consume the budget', async ({ app }) => {
    setThrottle(app, 1, 60)
    await app.inject({ method: 'GET', url: '/api/public/users/' })
    await app.inject({ method: 'GET', url: '/api/public/nope/', headers: AUTH })
    expect((await get(app, '/api/public/users/')).statusCode).toBe(200)
    expect((await get(app, '/api/public/users/')).statusCode).toBe(429)
  })

  test('off with perPeriod 0, or with enabled: false', async ({ app }) => {
    setThrottle(app, 0)
    for (let i = 0; i < 5; i++) expect((await get(app, '/api/public/users/')).statusCode).toBe(200)
    app.kernel.accounts.saveSettings('default', { rateLimits: { enabled: false, usercom: { perPeriod: 1, periodSeconds: 60 } } })
    for (let i = 0; i < 5; i++) expect((await get(app, '/api/public/users/')).statusCode).toBe(200)
  })
})
