import { describe, expect } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { test } from '../../helpers/app.js'
import { AUTH, get, postJson, send, UOC } from './helpers.js'

const OTHER_KEY = 'b'.repeat(64)
const OTHER = { id: 'other', name: 'Other', credentials: { zendesk: { subdomain: 'other', email: 'o@x.test', apiToken: 't2', password: 'p2', oauthToken: 'o2' }, usercom: { apiKey: OTHER_KEY } } }
const AS_OTHER = { authorization: `Token ${OTHER_KEY}` }

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function rng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = ['Mary', 'Ann', 'Smith', 'van', 'der', 'Berg', 'Zoë', 'Łukasz', 'O\'Neil', 'de la Cruz', '李', 'x']

function randomUser (r: () => number, i: number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  const maybe = (p = 0.5): boolean => r() < p
  const words = (n: number): string => Array.from({ length: 1 + Math.floor(r() * n) }, () => pick(WORDS)).join(' ').slice(0, 40).trim()
  const body: Record<string, unknown> = { user_id: `u${i}` }
  if (maybe(0.8)) body.first_name = words(3)
  if (maybe(0.8)) body.last_name = words(3)
  if (maybe()) body.email = `${pick(WORDS).replace(/\W/g, '') || 'a'}${i}@example.test`
  for (const f of ['city', 'region', 'country', 'timezone', 'phone_number', 'facebook_url', 'linkedin_url', 'twitter_url', 'google_url', 'gravatar_url']) {
    if (maybe(0.3)) body[f] = words(2)
  }
  if (maybe()) body.gender = pick([1, 2, 3])
  if (maybe()) body.status = pick([1, 2])
  if (maybe()) body.score = Math.floor(r() * 1000) - 500
  if (maybe()) body.assigned_to = Math.floor(r() * 50)
  if (maybe()) body.notifications = maybe()
  if (maybe()) body.unsubscribed = maybe()
  if (maybe()) body.tags = Array.from({ length: Math.floor(r() * 4) }, () => pick(['vip', 'beta', 'new', 'old']))
  if (maybe(0.3)) body.company_id = pick(['acme', 'globex'])
  // Custom attributes of every JSON kind (floats with a fraction: see docs/usercom.md's note on 1.0).
  if (maybe()) body.plan = pick(['free', 'pro'])
  if (maybe()) body['Seats Used'] = Math.floor(r() * 100)
  if (maybe()) body.ratio = Math.round(r() * 1000) / 1000 + 0.0001
  if (maybe()) body.flags = pick([[1, 'a'], { nested: { ok: true } }, null, false])
  return body
}

const dumpOf = (app: FastifyInstance, id: string) => app.services.find(s => s.name === 'usercom')!.state.dump(id, 'http://localhost')

describe('User.com state round trip', () => {
  test('"Mary Ann" "Smith" reloads as itself, and a later last_name update agrees on both accounts', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'm', first_name: 'Mary Ann', last_name: 'Smith' })
    app.kernel.accounts.upsert(OTHER)
    app.services.find(s => s.name === 'usercom')!.state.load('other', JSON.parse(JSON.stringify(dumpOf(app, 'default'))) as Record<string, unknown>)
    for (const auth of [{}, AS_OTHER]) {
      const res = await send(app, { method: 'PUT', url: '/api/public/users-by-id/m/', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"last_name":"Jones"}' })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ user_id: 'm', name: 'Mary Ann Jones' })
    }
    expect(dumpOf(app, 'other')).toEqual(dumpOf(app, 'default'))
  })

  test.for([1, 2, 3, 4, 5])('seed %i: random users, events and deletes → dump → load → dump is identical, and later writes agree', async (seed, { app, clock }) => {
    const r = rng(seed)
    for (let i = 0; i < 30; i++) {
      const res = await postJson(app, UOC, randomUser(r, i))
      expect(res.statusCode).toBe(201)
      clock.advance(Math.floor(r() * 5000))
    }
    // Updates, events, and a delete (its tags and attributes stay defined in the account).
    for (let i = 0; i < 10; i++) {
      const id = 1 + Math.floor(r() * 30)
      await send(app, { method: 'PATCH', url: `/api/public/users/${id}/`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ last_name: 'Lee Ann', extra_attr: i }) })
      await postJson(app, `/api/public/users/${id}/events/`, { name: `e${i % 3}`, timestamp: 1426967129 + i, data: { i, tag: 'x' } })
    }
    await postJson(app, UOC, { user_id: 'gone', tags: ['only-here'], lonely: 1 })
    await send(app, { method: 'DELETE', url: '/api/public/users-by-id/gone/' })

    const first = dumpOf(app, 'default')
    app.kernel.accounts.upsert(OTHER)
    app.services.find(s => s.name === 'usercom')!.state.load('other', JSON.parse(JSON.stringify(first)) as Record<string, unknown>)
    const second = dumpOf(app, 'other')
    expect(second).toEqual(first)
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))

    // The same writes on both accounts give the same answers.
    for (const [url, body] of [[UOC, { user_id: 'u3', last_name: 'Smith', tags: ['only-here'], lonely: 2 }], ['/api/public/users/2/events/', { name: 'e0', timestamp: 1 }]] as const) {
      const a = await postJson(app, url, body)
      const b = await postJson(app, url, body, AS_OTHER)
      expect(b.statusCode).toBe(a.statusCode)
      expect(b.body).toBe(a.body)
    }
    expect((await get(app, '/api/public/users/4/', AS_OTHER)).body).toBe((await get(app, '/api/public/users/4/')).body)
  })
})

describe('User.com seeds', () => {
  test('a seed needs only a name or an e-mail: ids, keys and timestamps are generated, first/last names honoured', async ({ app }) => {
    const counts = app.services.find(s => s.name === 'usercom')!.state.load('default', {
      users: [
        { name: 'Ann Lee' },
        { email: 'mary@example.test', first_name: 'Mary Ann', last_name: 'Smith', tags: ['vip'] },
        { id: 7, user_id: 'c7', last_name: 'Solo' }
      ]
    })
    expect(counts).toEqual({ users: 3, tags: 1, attributes: 0, companies: 0, events: 0 })
    const ann = (await get(app, '/api/public/users/8/')).json()
    expect(ann).toMatchObject({ id: 8, name: 'Ann Lee', user_id: null, email: null, tags: [], created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' })
    expect(ann.key).toMatch(/^[A-Za-z0-9]{12}$/)
    expect((await get(app, '/api/public/users/9/')).json()).toMatchObject({ name: 'Mary Ann Smith', email: 'mary@example.test', tags: [{ id: 1, name: 'vip' }] })
    expect((await get(app, '/api/public/users/7/')).json()).toMatchObject({ name: 'Solo', user_id: 'c7' })
    // The names are kept apart: changing one part keeps the other whole.
    const res = await send(app, { method: 'PUT', url: '/api/public/users/9/', headers: { 'content-type': 'application/json' }, payload: '{"last_name":"Jones"}' })
    expect(res.json().name).toBe('Mary Ann Jones')
    // Sequences continue past the seed.
    expect((await postJson(app, UOC, { user_id: 'n' })).body).toBe('{"created":true,"id":10}')
  })

  test('a seed user with nothing to identify it is refused, naming the user', async ({ app }) => {
    expect(() => app.services.find(s => s.name === 'usercom')!.state.load('default', { users: [{ name: 'ok' }, { city: 'Paris' }] }))
      .toThrow('usercom: users[1] needs a name (name, first_name or last_name), an email, a user_id or an id')
    expect((await get(app, '/api/public/users/', AUTH)).json().count).toBe(0)
  })
})
