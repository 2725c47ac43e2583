import { describe, expect } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { basic, test } from '../helpers/app.js'

interface Creds { id: string, zendesk: { email: string, apiToken: string }, usercom: { apiKey: string } }

async function account (app: FastifyInstance, id: string): Promise<Creds> {
  const res = await app.inject({ method: 'POST', url: '/__mock/accounts', payload: { id } })
  expect(res.statusCode).toBe(201)
  return res.json()
}
const zd = (c: Creds) => basic(`${c.zendesk.email}/token`, c.zendesk.apiToken)
const uc = (c: Creds) => `Token ${c.usercom.apiKey}`

describe('accounts driven in parallel', () => {
  test('never see each other\'s users, ids or rate-limit counters', async ({ app }) => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    const [a, b] = [await account(app, 'worker-a'), await account(app, 'worker-b')]
    const post = (c: Creds, i: number) => fetch(`${url}/api/v2/users/create_or_update.json`, {
      method: 'POST',
      headers: { authorization: zd(c), 'content-type': 'application/json' },
      body: JSON.stringify({ user: { name: `User ${i}`, email: `same${i}@example.com`, external_id: `same-${i}` } })
    })
    const ucPost = (c: Creds, i: number) => fetch(`${url}/api/public/users/update_or_create/`, {
      method: 'POST',
      headers: { authorization: uc(c), 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: `same-${i}` })
    })
    // The same keys in both accounts, all at once: every one is a create in its own account.
    const responses = await Promise.all([0, 1, 2, 3, 4].flatMap(i => [post(a, i), post(b, i), ucPost(a, i), ucPost(b, i)]))
    expect(responses.map(r => r.status)).toEqual(Array(20).fill(201))
    const bodies = await Promise.all(responses.map(r => r.json() as Promise<{ user?: { id: number }, id?: number }>))
    const zdIds = (k: number) => bodies.filter((_, n) => n % 4 === k).map(x => x.user!.id)
    const ucIds = (k: number) => bodies.filter((_, n) => n % 4 === k).map(x => x.id!)
    // Id sequences are per account: both start from the same first id.
    expect([...zdIds(0)].sort()).toEqual([...zdIds(1)].sort())
    expect([...ucIds(2)].sort()).toEqual([...ucIds(3)].sort())

    // A's users are invisible to B, and the other way round.
    const aState = (await app.inject({ method: 'GET', url: '/__mock/accounts/worker-a/state' })).json()
    const bState = (await app.inject({ method: 'GET', url: '/__mock/accounts/worker-b/state' })).json()
    expect(aState.zendesk.users).toHaveLength(5)
    expect(bState.zendesk.users).toHaveLength(5)
    expect(aState.usercom.users).toHaveLength(5)
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/default/state' })).json().zendesk.users).toEqual([])
    const delA = await fetch(`${url}/api/v2/users/${zdIds(0)[0]}.json`, { method: 'DELETE', headers: { authorization: zd(a) } })
    expect(delA.status).toBe(200)
    const stillB = await fetch(`${url}/api/v2/users/${zdIds(0)[0]}.json`, { headers: { authorization: zd(b) } })
    expect(((await stillB.json()) as { user: { active: boolean } }).user.active).toBe(true)

    // Rate-limit counters: A's per-user budget for one e-mail is spent; B's is untouched.
    const one = (c: Creds) => fetch(`${url}/api/v2/users/create_or_update.json`, {
      method: 'POST',
      headers: { authorization: zd(c), 'content-type': 'application/json' },
      body: JSON.stringify({ user: { name: 'Busy', email: 'busy@example.com' } })
    })
    const aRuns = await Promise.all(Array.from({ length: 6 }, () => one(a)))
    expect(aRuns.filter(r => r.status === 429)).toHaveLength(1)
    const bRun = await one(b)
    expect(bRun.status).toBe(201)
    expect(bRun.headers.get('zendesk-ratelimit-create-update-user')).toMatch(/^total=5; remaining=4; resets=\d+$/)
    // Account-wide budgets are separate too: A has made 12 Zendesk requests, B 7.
    expect(Math.min(...aRuns.map(r => Number(r.headers.get('x-rate-limit-remaining'))))).toBe(700 - 12)
    expect(Number(bRun.headers.get('x-rate-limit-remaining'))).toBe(700 - 7)
  })
})

describe('state', () => {
  test('a dump loads into a fresh account and dumps back identical', async ({ app }) => {
    const a = await account(app, 'source')
    for (let i = 0; i < 3; i++) {
      await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: zd(a) }, payload: { user: { name: `Z ${i}`, email: `z${i}@example.com`, external_id: `z-${i}`, tags: ['t'], user_fields: {} } } })
      await app.inject({ method: 'POST', url: '/api/public/users/update_or_create/', headers: { authorization: uc(a), 'content-type': 'application/json' }, payload: { user_id: `u-${i}`, email: `u${i}@example.com`, first_name: 'U', tags: ['x'] } })
    }
    const dump = await app.inject({ method: 'GET', url: '/__mock/accounts/source/state' })
    expect(dump.statusCode).toBe(200)
    const state = dump.json()
    expect(state.zendesk.users).toHaveLength(3)
    expect(state.usercom.users).toHaveLength(3)
    await account(app, 'copy')
    const load = await app.inject({ method: 'PUT', url: '/__mock/accounts/copy/state', payload: state })
    expect(load.statusCode).toBe(200)
    expect(load.json().loaded.zendesk.users).toBe(3)
    expect(load.json().loaded.usercom.users).toBe(3)
    const again = await app.inject({ method: 'GET', url: '/__mock/accounts/copy/state' })
    expect(again.body).toBe(dump.body)
  })

  test('a bad state is refused whole, with nothing written', async ({ app }) => {
    await account(app, 'target')
    const res = await app.inject({ method: 'PUT', url: '/__mock/accounts/target/state', payload: { zendesk: { users: [{ name: 'ok' }] }, usercom: { users: [{ nope: true }] } } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('invalid_state')
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/target/state' })).json().zendesk.users).toEqual([])
  })

  test('reset clears one account and leaves the other', async ({ app }) => {
    const a = await account(app, 'ra')
    const b = await account(app, 'rb')
    for (const c of [a, b]) await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: zd(c) }, payload: { user: { name: 'X', email: 'x@example.com' } } })
    expect((await app.inject({ method: 'POST', url: '/__mock/accounts/ra/reset' })).json()).toEqual({ ok: true })
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/ra/state' })).json().zendesk.users).toEqual([])
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/rb/state' })).json().zendesk.users).toHaveLength(1)
    expect((await app.inject({ method: 'GET', url: '/__mock/requests?account=ra' })).json().count).toBe(0)
    expect((await app.inject({ method: 'GET', url: '/__mock/requests?account=rb' })).json().count).toBe(1)
    await app.inject({ method: 'POST', url: '/__mock/clock', payload: { advance: 3600 } })
    expect((await app.inject({ method: 'POST', url: '/__mock/reset' })).json()).toEqual({ ok: true })
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts/rb/state' })).json().zendesk.users).toEqual([])
    expect((await app.inject({ method: 'GET', url: '/__mock/clock' })).json().mode).toBe('real')
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts' })).json().accounts.map((x: { id: string }) => x.id)).toEqual(['default', 'ra', 'rb'])
    // Credentials survive the reset.
    const after = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: zd(a) }, payload: { user: { name: 'X', email: 'x@example.com' } } })
    expect(after.statusCode).toBe(201)
  })
})
