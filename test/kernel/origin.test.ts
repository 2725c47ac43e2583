import { describe, expect } from 'vitest'
import { test } from '../helpers/app.js'

describe('the origin in URLs, on every surface', () => {
  test('follows Host and X-Forwarded-*, and never echoes a hostile host', async ({ app }) => {
    const base = async (headers: Record<string, string>) => (await app.inject({ method: 'GET', url: '/__mock/accounts/default', headers })).json().usercom.baseUrl
    expect(await base({ host: 'ud.test:9000' })).toBe('http://ud.test:9000/api/public')
    expect(await base({ host: 'ud.test', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'proxy.example:8443, inner' })).toBe('https://proxy.example:8443/api/public')
    expect(await base({ host: 'evil.test/<script>' })).toBe('http://localhost/api/public')
    expect(await base({ host: '[::1]:8080', 'x-forwarded-proto': 'gopher' })).toBe('http://[::1]:8080/api/public')
  })
})
