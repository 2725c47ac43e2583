import { describe, expect } from 'vitest'
import { basic, test } from '../helpers/app.js'

describe('the inspector\'s control-plane additions', () => {
  test('users of an account: newest first, keyset pages, search, counts', async ({ app }) => {
    const account = (await app.inject({ method: 'GET', url: '/__mock/accounts/default' })).json()
    const auth = basic(`${account.zendesk.email}/token`, account.zendesk.apiToken)
    const ids: number[] = []
    for (const [name, email] of [['Ann One', 'ann@example.com'], ['Bob Two', 'bob@example.com'], ['Cy Three', 'cy@example.com']]) {
      const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update', headers: { authorization: auth }, payload: { user: { name, email } } })
      expect(res.statusCode).toBe(201)
      ids.push(res.json().user.id)
    }
    const first = await app.inject({ method: 'GET', url: '/__mock/accounts/default/users?vendor=zendesk&limit=2' })
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({
      vendor: 'zendesk',
      total: 3,
      users: [
        { id: ids[2], name: 'Cy Three', email: 'cy@example.com', externalId: null, role: 'end-user', updatedAt: '2024-01-01T00:00:00Z' },
        { id: ids[1], name: 'Bob Two', email: 'bob@example.com', externalId: null, role: 'end-user', updatedAt: '2024-01-01T00:00:00Z' }
      ],
      next: String(ids[1])
    })
    const second = (await app.inject({ method: 'GET', url: `/__mock/accounts/default/users?vendor=zendesk&limit=2&cursor=${first.json().next}` })).json()
    expect(second.users.map((u: { id: number }) => u.id)).toEqual([ids[0]])
    expect(second.next).toBeNull()
    const found = (await app.inject({ method: 'GET', url: '/__mock/accounts/default/users?vendor=zendesk&q=BOB' })).json()
    expect(found.users.map((u: { email: string }) => u.email)).toEqual(['bob@example.com'])
    const wildcard = (await app.inject({ method: 'GET', url: '/__mock/accounts/default/users?vendor=zendesk&q=%25' })).json()
    expect(wildcard.users).toEqual([])
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/default/users?vendor=usercom' })).json()).toEqual({ vendor: 'usercom', total: 0, users: [], next: null })
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/default/counts' })).json()).toMatchObject({ zendesk: { users: 3 }, usercom: { users: 0 } })
  })

  test('bad input gets the control plane\'s errors', async ({ app }) => {
    const unknown = await app.inject({ method: 'GET', url: '/__mock/accounts/nope/users?vendor=zendesk' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toEqual({ error: { code: 'account_not_found', message: 'no account nope' } })
    const vendor = await app.inject({ method: 'GET', url: '/__mock/accounts/default/users?vendor=acme' })
    expect(vendor.statusCode).toBe(400)
    expect(vendor.json().error.code).toBe('invalid_request')
  })

  test('open rate-limit windows with what is left, on the emulated clock', async ({ app, clock }) => {
    const account = (await app.inject({ method: 'GET', url: '/__mock/accounts/default' })).json()
    const auth = basic(`${account.zendesk.email}/token`, account.zendesk.apiToken)
    await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update', headers: { authorization: auth }, payload: { user: { name: 'Ann', email: 'ann@example.com' } } })
    clock.advance(15_000)
    const res = await app.inject({ method: 'GET', url: '/__mock/accounts/default/rate-limits/windows' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      now: '2024-01-01T00:00:15.000Z',
      enabled: true,
      windows: [
        { key: 'default:zendesk:minute', vendor: 'zendesk', kind: 'account per minute', subject: null, limit: 700, used: 1, remaining: 699, start: '2024-01-01T00:00:00.000Z', resetSeconds: 45 },
        { key: 'default:zendesk:create_or_update-user:ann@example.com', vendor: 'zendesk', kind: 'create_or_update per user per minute', subject: 'ann@example.com', limit: 5, used: 1, remaining: 4, start: '2024-01-01T00:00:00.000Z', resetSeconds: 45 }
      ],
      more: 0
    })
    clock.advance(60_000)
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/default/rate-limits/windows' })).json().windows).toEqual([])
  })
})
