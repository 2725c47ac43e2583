import { describe, expect } from 'vitest'
import { test } from '../helpers/app.js'

describe('/__mock/accounts', () => {
  test('POST creates an account with its own credentials for both vendors and base URLs', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: '/__mock/accounts', headers: { host: 'ud.test:9999' }, payload: { name: 'worker 1' } })
    expect(res.statusCode).toBe(201)
    const a = res.json()
    expect(Object.keys(a)).toEqual(['id', 'name', 'zendesk', 'usercom', 'rateLimits', 'createdAt'])
    expect(a.id).toMatch(/^acct-[0-9a-f]{10}$/)
    expect(a.name).toBe('worker 1')
    expect(a.zendesk).toEqual({
      subdomain: a.id,
      email: `admin@${a.id}.userdouble.test`,
      apiToken: expect.stringMatching(/^[A-Za-z0-9]{40}$/),
      password: expect.stringMatching(/^[A-Za-z0-9]{16}$/),
      oauthToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      baseUrl: 'http://ud.test:9999/api/v2'
    })
    expect(a.usercom).toEqual({ apiKey: expect.stringMatching(/^[A-Za-z0-9]{64}$/), baseUrl: 'http://ud.test:9999/api/public' })
    expect(a.createdAt).toBe('2024-01-01T00:00:00.000Z')
    expect(app.kernel.accounts.find('usercom', 'key', a.usercom.apiKey)?.id).toBe(a.id)
    expect(app.kernel.accounts.find('zendesk', 'token', `${a.zendesk.email.toLowerCase()}/token:${a.zendesk.apiToken}`)?.id).toBe(a.id)
  })

  test('POST takes chosen credentials and refuses ones another account holds', async ({ app }) => {
    const key = 'K'.repeat(64)
    const first = await app.inject({ method: 'POST', url: '/__mock/accounts', payload: { id: 'w1', usercom: { apiKey: key } } })
    expect(first.statusCode).toBe(201)
    expect(first.json().usercom.apiKey).toBe(key)
    const again = await app.inject({ method: 'POST', url: '/__mock/accounts', payload: { id: 'w2', usercom: { apiKey: key } } })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toEqual({ error: { code: 'conflict', message: 'credentials of account w2 (usercom-key) are already used by account w1' } })
    const dup = await app.inject({ method: 'POST', url: '/__mock/accounts', payload: { id: 'w1' } })
    expect(dup.json()).toEqual({ error: { code: 'conflict', message: 'account w1 exists' } })
  })

  test('POST refuses a malformed body with a control-plane 400', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: '/__mock/accounts', payload: { usercom: { apiKey: 'short' } } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('invalid_request')
    const bad = await app.inject({ method: 'POST', url: '/__mock/accounts', headers: { 'content-type': 'application/json' }, payload: '{"id":' })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(bad.json().error.code).toBe('invalid_request')
  })

  test('GET lists and shows; DELETE removes, but never the configured account', async ({ app }) => {
    await app.inject({ method: 'POST', url: '/__mock/accounts', payload: { id: 'w1' } })
    const list = await app.inject({ method: 'GET', url: '/__mock/accounts' })
    expect(list.json().accounts.map((a: { id: string }) => a.id)).toEqual(['default', 'w1'])
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/w1' })).json().id).toBe('w1')
    const del = await app.inject({ method: 'DELETE', url: '/__mock/accounts/w1' })
    expect(del.statusCode).toBe(204)
    expect(del.body).toBe('')
    const gone = await app.inject({ method: 'GET', url: '/__mock/accounts/w1' })
    expect(gone.statusCode).toBe(404)
    expect(gone.json()).toEqual({ error: { code: 'account_not_found', message: 'no account w1' } })
    const def = await app.inject({ method: 'DELETE', url: '/__mock/accounts/default' })
    expect(def.statusCode).toBe(409)
  })

  test('rate limits are shown and changed per account at runtime', async ({ app }) => {
    const shown = await app.inject({ method: 'GET', url: '/__mock/accounts/default/rate-limits' })
    expect(shown.json()).toEqual({ enabled: true, zendesk: { perMinute: 700, perUserPerMinute: 5, perSecond: 0, maxJobs: 30 }, usercom: { perPeriod: 600, periodSeconds: 60 } })
    const changed = await app.inject({ method: 'PUT', url: '/__mock/accounts/default/rate-limits', payload: { zendesk: { perMinute: 200 } } })
    expect(changed.json().zendesk).toEqual({ perMinute: 200, perUserPerMinute: 5, perSecond: 0, maxJobs: 30 })
    const again = await app.inject({ method: 'PUT', url: '/__mock/accounts/default/rate-limits', payload: { usercom: { perPeriod: 0 }, enabled: false } })
    expect(again.json()).toEqual({ enabled: false, zendesk: { perMinute: 200, perUserPerMinute: 5, perSecond: 0, maxJobs: 30 }, usercom: { perPeriod: 0, periodSeconds: 60 } })
    await app.inject({ method: 'POST', url: '/__mock/accounts/default/reset' })
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/default/rate-limits' })).json().zendesk.perMinute).toBe(700)
  })
})

describe('admin token', () => {
  test('is not needed when ADMIN_TOKEN is unset', async ({ app }) => {
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts' })).statusCode).toBe(200)
  })
})
