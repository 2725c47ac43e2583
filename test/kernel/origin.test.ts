import { describe, expect } from 'vitest'
import { makeApp, test } from '../helpers/app.js'

describe('the origin in URLs, on every surface', () => {
  test('follows Host, ignores X-Forwarded-* from an untrusted peer (TRUST_PROXY off, the default)', async ({ app }) => {
    const base = async (headers: Record<string, string>) => (await app.inject({ method: 'GET', url: '/__mock/accounts/default', headers })).json().usercom.baseUrl
    expect(await base({ host: 'ud.test:9000' })).toBe('http://ud.test:9000/api/public')
    expect(await base({ host: 'ud.test', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' })).toBe('http://ud.test/api/public')
    const auth = `Basic ${Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')}`
    const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: auth, host: 'ud.test', 'x-forwarded-host': 'evil.example' }, payload: { user: { name: 'A', email: 'a@example.com' } } })
    expect(res.statusCode).toBe(201)
    expect(res.headers.location).toMatch(/^http:\/\/ud\.test\/api\/v2\/users\/\d+\.json$/)
    expect(res.json().user.url).toMatch(/^http:\/\/ud\.test\//)
  })
  test('follows X-Forwarded-* from a peer listed in TRUST_PROXY only', async () => {
    const listed = await makeApp({ config: { TRUST_PROXY: '127.0.0.1' } })
    const other = await makeApp({ config: { TRUST_PROXY: '10.0.0.0/8' } })
    const headers = { host: 'ud.test', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'proxy.example' }
    expect((await listed.inject({ method: 'GET', url: '/__mock/accounts/default', headers })).json().usercom.baseUrl).toBe('https://proxy.example/api/public')
    expect((await other.inject({ method: 'GET', url: '/__mock/accounts/default', headers })).json().usercom.baseUrl).toBe('http://ud.test/api/public')
    await listed.close()
    await other.close()
  })
  test('with TRUST_PROXY on, follows the nearest proxy\'s X-Forwarded-*, and never echoes a hostile host', async () => {
    const app = await makeApp({ config: { TRUST_PROXY: 'on' } })
    const base = async (headers: Record<string, string>) => (await app.inject({ method: 'GET', url: '/__mock/accounts/default', headers })).json().usercom.baseUrl
    expect(await base({ host: 'ud.test:9000' })).toBe('http://ud.test:9000/api/public')
    expect(await base({ host: 'ud.test', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'outer, proxy.example:8443' })).toBe('https://proxy.example:8443/api/public')
    expect(await base({ host: 'evil.test/<script>' })).toBe('http://localhost/api/public')
    expect(await base({ host: '[::1]:8080', 'x-forwarded-proto': 'gopher' })).toBe('http://[::1]:8080/api/public')
    expect(await base({ host: 'ud.test', 'x-forwarded-host': 'evil.test/<script>' })).toBe('http://localhost/api/public')
    await app.close()
  })
})
