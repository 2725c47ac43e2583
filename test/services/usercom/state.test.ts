import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { get, postJson, UOC } from './helpers.js'

const OTHER = { id: 'other', name: 'Other', credentials: { zendesk: { subdomain: 'other', email: 'o@x.test', apiToken: 't2', password: 'p2', oauthToken: 'o2' }, usercom: { apiKey: 'b'.repeat(64) } } }

describe('User.com state handle', () => {
  test('dump renders users as GET does; load into another account reproduces it; ids continue', async ({ app, clock }) => {
    await postJson(app, UOC, { user_id: 'u1', first_name: 'John', last_name: 'Doe', tags: ['a', 'b'], company_id: 'acme', Plan: 'pro', ratio: 0.25 })
    clock.advance(1234)
    await postJson(app, UOC, { user_id: 'u2', email: 'x@y.test', gender: 3, notifications: false })
    const state = app.services.find(s => s.name === 'usercom')!.state
    const dump = state.dump('default', 'http://localhost')
    // GET's rendering plus the two stored parts `name` joins.
    expect(dump.users).toEqual([
      { ...(await get(app, '/api/public/users/1/')).json(), first_name: 'John', last_name: 'Doe' },
      { ...(await get(app, '/api/public/users/2/')).json(), first_name: null, last_name: null }
    ])
    expect(state.count('default')).toEqual({ users: 2 })

    app.kernel.accounts.upsert(OTHER)
    expect(state.load('other', JSON.parse(JSON.stringify(dump)) as Record<string, unknown>)).toEqual({ users: 2, tags: 2, attributes: 2, companies: 1, events: 0 })
    expect(state.dump('other', 'http://localhost')).toEqual(dump)

    // The loaded account's sequences continue after the loaded ids.
    const res = await postJson(app, UOC, { user_id: 'u3' }, { authorization: `Token ${'b'.repeat(64)}` })
    expect(res.body).toBe('{"created":true,"id":3}')
  })

  test('load replaces, reset deletes only that account', async ({ app }) => {
    app.kernel.accounts.upsert(OTHER)
    const state = app.services.find(s => s.name === 'usercom')!.state
    await postJson(app, UOC, { user_id: 'keep' }, { authorization: `Token ${'b'.repeat(64)}` })
    await postJson(app, UOC, { user_id: 'u1' })
    state.load('default', { users: [] })
    expect(state.count('default')).toEqual({ users: 0 })
    await postJson(app, UOC, { user_id: 'u1' })
    state.reset('default')
    expect(state.count('default')).toEqual({ users: 0 })
    expect(state.count('other')).toEqual({ users: 1 })
  })

  test('a bad dump is refused whole, nothing half-written', async ({ app }) => {
    const state = app.services.find(s => s.name === 'usercom')!.state
    await postJson(app, UOC, { user_id: 'u1' })
    const good = { id: 5, key: 'abcdefghijkl', user_id: 'x', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' }
    expect(() => state.load('default', { users: [good, { ...good, id: 6, created_at: 'yesterday' }] })).toThrow(/created_at is not a DRF datetime/)
    expect(() => state.load('default', { users: [good, { ...good, id: 6 }] })).toThrow(/appears twice/)
    expect(state.count('default')).toEqual({ users: 1 })
  })
})
