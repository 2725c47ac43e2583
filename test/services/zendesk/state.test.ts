import type { FastifyInstance } from 'fastify'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { createOrUpdate, get, limitsOff } from './helpers.js'

const OTHER_AUTH = `Basic ${Buffer.from('other@example.com/token:otherToken').toString('base64')}`

function addOther (app: FastifyInstance): void {
  app.kernel.accounts.upsert({
    id: 'other',
    name: 'Other',
    credentials: { zendesk: { subdomain: 'other', email: 'other@example.com', apiToken: 'otherToken', password: 'otherPassword', oauthToken: 'otherOAuth' }, usercom: { apiKey: 'o'.repeat(64) } }
  })
}

async function populate (app: FastifyInstance): Promise<void> {
  limitsOff(app)
  await createOrUpdate(app, { user: { name: 'Ann', email: 'ann@example.com', external_id: 'ann', tags: ['x'], user_fields: { plan: 'pro' }, organization: { name: 'Acme' }, phone: '+1555' } })
  await createOrUpdate(app, { user: { external_id: 'ann', email: 'ann.alt@example.com' } })
  await createOrUpdate(app, { user: { name: 'Bob', email: 'bob@example.com', role: 'admin' } })
  await app.inject({ method: 'DELETE', url: '/api/v2/users/360000000256.json', headers: { authorization: `Basic ${Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')}` } })
}

describe('state handle (control plane)', () => {
  test('dump renders users exactly as GET users/{id} does, plus identities and organizations; count is cheap', async ({ app }) => {
    await populate(app)
    const state = app.services.find(s => s.name === 'zendesk')!.state
    const dump = state.dump('default', 'http://localhost:80') as { users: unknown[], identities: Array<{ value: string, primary: boolean }>, organizations: Array<{ name: string }> }
    expect(dump.users).toEqual([
      (await get(app, '/api/v2/users/360000000128.json')).json().user,
      (await get(app, '/api/v2/users/360000000256.json')).json().user
    ])
    expect(dump.identities.map(i => [i.value, i.primary])).toEqual([['ann@example.com', true], ['+1555', false], ['ann.alt@example.com', false]])
    expect(dump.organizations.map(o => o.name)).toEqual(['Acme'])
    expect(state.count('default')).toEqual({ users: 2, organizations: 1, job_statuses: 0 })
  })

  test('dump, load into another account, dump: identical apart from origin-dependent URLs; the loaded data behaves', async ({ app }) => {
    await populate(app)
    addOther(app)
    const state = app.services.find(s => s.name === 'zendesk')!.state
    const dump = state.dump('default', 'http://a.test')
    expect(state.load('other', structuredClone(dump))).toEqual({ users: 2, identities: 3, organizations: 1 })
    expect(state.dump('other', 'http://a.test')).toEqual(dump)
    expect(JSON.stringify(state.dump('other', 'http://b.test'))).toBe(JSON.stringify(dump).replaceAll('http://a.test', 'http://b.test'))

    // Matching works on loaded identities (the secondary email), and new ids never collide.
    const found = await createOrUpdate(app, { user: { email: 'ANN.ALT@example.com', notes: 'loaded' } }, { authorization: OTHER_AUTH })
    expect(found.statusCode).toBe(200)
    expect(found.json().user.id).toBe(360000000128)
    const fresh = await createOrUpdate(app, { user: { name: 'New', email: 'new@example.com' } }, { authorization: OTHER_AUTH })
    expect(fresh.json().user.id).toBe(360000000384)
  })

  test('load replaces the account\'s data; reset deletes only that account\'s rows', async ({ app }) => {
    await populate(app)
    addOther(app)
    const state = app.services.find(s => s.name === 'zendesk')!.state
    state.load('other', { users: [{ name: 'Seeded', email: 'seeded@example.com' }] })
    state.load('other', { users: [{ name: 'Only', email: 'only@example.com', external_id: 'only' }] })
    expect(state.count('other')).toEqual({ users: 1, organizations: 0, job_statuses: 0 })
    state.reset('default')
    expect(state.count('default')).toEqual({ users: 0, organizations: 0, job_statuses: 0 })
    expect(state.count('other').users).toBe(1)
    expect((await get(app, '/api/v2/users/search.json?external_id=ONLY', { authorization: OTHER_AUTH })).json().count).toBe(1)
  })

  test('the seed path: users with only a name and email get ids, timestamps and a primary identity', async ({ app }) => {
    const state = app.services.find(s => s.name === 'zendesk')!.state
    const users = Array.from({ length: 20_000 }, (_, i) => ({ name: `Seed ${i}`, email: `seed${i}@example.com`, external_id: `seed-${i}` }))
    expect(state.load('default', { users })).toEqual({ users: 20_000, identities: 20_000, organizations: 0 })
    const res = await createOrUpdate(app, { user: { email: 'SEED19999@example.com', notes: 'hit' } })
    expect(res.statusCode).toBe(200)
    expect(res.json().user).toMatchObject({ name: 'Seed 19999', external_id: 'seed-19999', created_at: '2024-01-01T00:00:00Z', notes: 'hit' })
  })

  test('a bad document is refused whole, with a 400-class error, and nothing changes', async ({ app }) => {
    await populate(app)
    const state = app.services.find(s => s.name === 'zendesk')!.state
    expect(() => state.load('default', { users: [{ name: 'A', email: 'dup@example.com' }, { name: 'B', email: 'DUP@example.com' }] })).toThrow(expect.objectContaining({ statusCode: 400 }))
    expect(() => state.load('default', { users: [{ email: 'nameless@example.com' }] })).toThrow('zendesk.users[0].name must be a non-empty string')
    expect(() => state.load('default', { users: 'nope' })).toThrow('zendesk.users must be an array of objects')
    expect(state.count('default').users).toBe(2)
  })

  test('a dump finishes bulk jobs whose time has come', async ({ app, clock }) => {
    await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update_many.json', headers: { authorization: `Basic ${Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')}` }, payload: { users: [{ name: 'Bulk', email: 'bulk@example.com' }] } })
    const state = app.services.find(s => s.name === 'zendesk')!.state
    expect((state.dump('default', 'http://x') as { users: unknown[] }).users).toHaveLength(0)
    clock.advance(2000)
    expect((state.dump('default', 'http://x') as { users: unknown[] }).users).toHaveLength(1)
  })
})
