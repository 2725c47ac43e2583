import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { get, postJson, send, UOC } from './helpers.js'

describe('POST /users-by-id/{custom_id}/events/ and /users/{id}/events/', () => {
  test('created is true on the user\'s first event of a name, false after; ids continue', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'c1' })
    await postJson(app, UOC, { user_id: 'c2' })
    const body = { name: 'profile_updated', timestamp: 1426967129, data: { keyData1: 'value for key data 1' } }
    const outcomes: string[] = []
    for (const url of ['/api/public/users-by-id/c1/events/', '/api/public/users/1/events/', '/api/public/users-by-id/c2/events/']) {
      const res = await postJson(app, url, body)
      expect(res.headers['content-type']).toBe('application/json')
      expect(res.headers.allow).toBe('POST, OPTIONS')
      outcomes.push(`${res.statusCode} ${res.body}`)
    }
    expect(outcomes).toEqual(['200 {"id":1,"created":true}', '200 {"id":2,"created":false}', '200 {"id":3,"created":true}'])
    // Events are in the dump (timestamp as a DRF datetime) and go with reset.
    const state = app.services.find(s => s.name === 'usercom')!.state
    expect(state.dump('default', 'http://localhost').events).toEqual([
      { id: 1, client: 1, name: 'profile_updated', timestamp: '2015-03-21T19:45:29Z', data: { keyData1: 'value for key data 1' } },
      { id: 2, client: 1, name: 'profile_updated', timestamp: '2015-03-21T19:45:29Z', data: { keyData1: 'value for key data 1' } },
      { id: 3, client: 2, name: 'profile_updated', timestamp: '2015-03-21T19:45:29Z', data: { keyData1: 'value for key data 1' } }
    ])
    state.reset('default')
    expect(state.dump('default', 'http://localhost').events).toEqual([])
  })

  test('no timestamp is now; an unknown custom id is 404 (the PrestaShop plugin relies on it)', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'c1' })
    expect((await postJson(app, '/api/public/users-by-id/c1/events/', { name: 'x' })).body).toBe('{"id":1,"created":true}')
    expect(app.services.find(s => s.name === 'usercom')!.state.dump('default', 'http://localhost').events).toEqual([{ id: 1, client: 1, name: 'x', timestamp: '2024-01-01T00:00:00Z', data: {} }])
    const res = await postJson(app, '/api/public/users-by-id/nobody/events/', { name: 'x' })
    expect(res.statusCode).toBe(404)
    expect(res.body).toBe('{"detail":"Not found."}')
  })

  test('DRF\'s 400s: name required, timestamp a number in range, data an object', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'c1' })
    const url = '/api/public/users-by-id/c1/events/'
    const cases: Array<[unknown, string]> = [
      [{}, '{"name":["This field is required."]}'],
      [{ name: '', timestamp: 'soon', data: [1] }, '{"name":["This field may not be blank."],"timestamp":["A valid number is required."],"data":["Expected a dictionary of items but got type \\"list\\"."]}'],
      [{ name: null, timestamp: null }, '{"name":["This field may not be null."],"timestamp":["This field may not be null."]}'],
      [{ name: 'a', timestamp: 1e12 }, '{"timestamp":["Ensure this value is less than or equal to 253402300799."]}'],
      [{ name: 'a', timestamp: -1 }, '{"timestamp":["Ensure this value is greater than or equal to 0."]}'],
      [[], '{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}']
    ]
    for (const [body, expected] of cases) {
      const res = await postJson(app, url, body)
      expect(res.statusCode).toBe(400)
      expect(res.body).toBe(expected)
    }
    expect(app.services.find(s => s.name === 'usercom')!.state.dump('default', 'http://localhost').events).toEqual([])
  })
})

describe('GET /users/search/ with e-mail lookups', () => {
  test('email__contains is case-sensitive containment; i-lookups fold case; lookups AND; many=true lists every match', async ({ app }) => {
    for (const [id, email] of [['a', 'Ann@User.com'], ['b', 'bob@user.com'], ['c', 'carl@other.org'], ['d', 'dora@user.com.evil']]) {
      await postJson(app, UOC, { user_id: id, email })
    }
    const ids = async (query: string): Promise<string> => {
      const res = await get(app, `/api/public/users/search/?${query}&many=true`)
      expect(res.statusCode).toBe(200)
      return (res.json() as Array<{ user_id: string }>).map(u => u.user_id).join(',')
    }
    expect(await ids('email__contains=%40user.com')).toBe('b,d')
    expect(await ids('email__icontains=%40USER.com')).toBe('a,b,d')
    expect(await ids('email__startswith=b')).toBe('b')
    expect(await ids('email__istartswith=A')).toBe('a')
    expect(await ids('email__endswith=user.com')).toBe('b')
    expect(await ids('email__iendswith=USER.COM')).toBe('a,b')
    expect(await ids('email__exact=ann%40user.com')).toBe('')
    expect(await ids('email__iexact=ann%40user.com')).toBe('a')
    expect(await ids('email__icontains=user&email__endswith=.evil')).toBe('d')
    // Without many: one user object (the lowest id), 404 when none.
    const one = await get(app, '/api/public/users/search/?email__contains=user')
    expect(one.statusCode).toBe(200)
    expect(one.json()).toMatchObject({ user_id: 'b', email: 'bob@user.com' })
    const none = await get(app, '/api/public/users/search/?email__contains=nobody')
    expect(none.statusCode).toBe(404)
    expect(none.body).toBe('{"detail":"Not found."}')
  })

  test('a lookup uses the covering e-mail index, never the users table', async ({ app }) => {
    const plan = app.kernel.db.prepare('EXPLAIN QUERY PLAN SELECT id, email FROM usercom_users INDEXED BY usercom_users_email_id WHERE account_id = ? AND email IS NOT NULL').all('default') as Array<{ detail: string }>
    expect(plan.map(p => p.detail).join(';')).toMatch(/USING COVERING INDEX usercom_users_email_id/)
    await send(app, { method: 'GET', url: '/api/public/users/search/?email__contains=x' })
  })
})
