import { readFileSync } from 'node:fs'
import { describe, expect, onTestFinished } from 'vitest'
import { makeApp, test } from '../../helpers/app.js'
import { BEARER_AUTH, JSON_TYPE, PASSWORD_AUTH, TOKEN_AUTH, createOrUpdate, get, limitsOff } from './helpers.js'

const errors = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/recorded-errors.json', import.meta.url), 'utf8'))
const FIRST_ID = 360000000128
const T0 = '2024-01-01T00:00:00Z'

describe('GET /api/v2/users/{id}', () => {
  test('shows a user, with and without .json', async ({ app }) => {
    const created = (await createOrUpdate(app, { user: { name: 'Show', email: 'show@example.com' } })).json().user
    for (const url of [`/api/v2/users/${FIRST_ID}.json`, `/api/v2/users/${FIRST_ID}`]) {
      const res = await get(app, url)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe(JSON_TYPE)
      expect(res.json()).toEqual({ user: created })
    }
  })

  test('unknown id: 404 RecordNotFound', async ({ app }) => {
    const res = await get(app, '/api/v2/users/999999999999.json')
    expect(res.statusCode).toBe(404)
    expect(res.body).toBe(JSON.stringify(errors.recordNotFound))
  })

  test('a non-integer id (and GET create_or_update, which Rails routes here): the documented 400', async ({ app }) => {
    for (const url of ['/api/v2/users/abc', '/api/v2/users/abc.json', '/api/v2/users/create_or_update']) {
      const res = await get(app, url)
      expect(res.statusCode).toBe(400)
      expect(res.body).toBe(JSON.stringify(errors.idNotInteger))
    }
  })

  test('a doubled suffix does not route: 404 InvalidEndpoint', async ({ app }) => {
    const res = await get(app, `/api/v2/users/${FIRST_ID}.json.json`)
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual(errors.invalidEndpoint)
  })
})

describe('GET /api/v2/users/me', () => {
  test('without credentials: 200, the anonymous user', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/api/v2/users/me.json' })
    expect(res.statusCode).toBe(200)
    const user = res.json().user
    expect(user).toMatchObject({ id: null, url: null, name: 'Anonymous user', email: null, role: 'end-user' })
    expect(typeof user.authenticity_token).toBe('string')
    expect(res.headers['x-rate-limit']).toBeUndefined()
  })

  test('a wrong password is still the anonymous user; a wrong API token is a 401', async ({ app }) => {
    const wrongPassword = await app.inject({ method: 'GET', url: '/api/v2/users/me', headers: { authorization: `Basic ${Buffer.from('admin@userdouble.test:nope').toString('base64')}` } })
    expect(wrongPassword.statusCode).toBe(200)
    expect(wrongPassword.json().user.name).toBe('Anonymous user')
    const wrongToken = await app.inject({ method: 'GET', url: '/api/v2/users/me', headers: { authorization: `Basic ${Buffer.from('admin@userdouble.test/token:nope').toString('base64')}` } })
    expect(wrongToken.statusCode).toBe(401)
    expect(wrongToken.body).toBe(JSON.stringify(errors.unauthenticated))
  })

  test('with credentials, the account\'s admin agent', async ({ app }) => {
    for (const authorization of [TOKEN_AUTH, PASSWORD_AUTH, BEARER_AUTH]) {
      const res = await app.inject({ method: 'GET', url: '/api/v2/users/me.json', headers: { authorization } })
      expect(res.statusCode).toBe(200)
      expect(res.json().user).toMatchObject({ id: 360000000000, email: 'admin@userdouble.test', role: 'admin', role_type: 4, verified: true })
    }
  })
})

describe('GET /api/v2/users/search', () => {
  test('by external_id (exact, case-insensitive) and by query, with the pagination envelope', async ({ app }) => {
    limitsOff(app)
    await createOrUpdate(app, { user: { name: 'Alice Smith', email: 'alice@example.com', external_id: 'A-1' } })
    await createOrUpdate(app, { user: { name: 'Bob Smith', email: 'bob@example.com', notes: 'vip' } })
    const byExt = await get(app, '/api/v2/users/search.json?external_id=a-1')
    expect(byExt.statusCode).toBe(200)
    expect(Object.keys(byExt.json())).toEqual(['users', 'next_page', 'previous_page', 'count'])
    expect(byExt.json()).toMatchObject({ next_page: null, previous_page: null, count: 1 })
    expect(byExt.json().users[0].email).toBe('alice@example.com')
    expect((await get(app, '/api/v2/users/search?query=BOB@example.com')).json().users.map((u: { name: string }) => u.name)).toEqual(['Bob Smith'])
    expect((await get(app, '/api/v2/users/search.json?query=smith')).json().count).toBe(2)
    expect((await get(app, '/api/v2/users/search.json?query=vip')).json().count).toBe(1)
    expect((await get(app, '/api/v2/users/search.json?query=email:alice@example.com')).json().count).toBe(1)
    expect((await get(app, '/api/v2/users/search.json?query=external_id:A-1')).json().count).toBe(1)
    expect((await get(app, '/api/v2/users/search.json?query=nobody')).json()).toEqual({ users: [], next_page: null, previous_page: null, count: 0 })
  })

  test('pages with absolute next_page / previous_page URLs on the client\'s origin', async () => {
    // X-Forwarded-* counts only from a trusted proxy (TRUST_PROXY).
    const app = await makeApp({ config: { TRUST_PROXY: 'on' } })
    onTestFinished(async () => { await app.close() })
    limitsOff(app)
    for (let i = 0; i < 3; i++) await createOrUpdate(app, { user: { name: `Page ${i}`, email: `p${i}@example.com` } })
    const first = await get(app, '/api/v2/users/search.json?query=page&per_page=2', { host: 'acme.zendesk.test', 'x-forwarded-proto': 'https' })
    expect(first.json()).toMatchObject({ count: 3, previous_page: null, next_page: 'https://acme.zendesk.test/api/v2/users/search.json?query=page&per_page=2&page=2' })
    expect(first.json().users).toHaveLength(2)
    const second = await get(app, '/api/v2/users/search.json?query=page&per_page=2&page=2', { host: 'acme.zendesk.test' })
    expect(second.json()).toMatchObject({ count: 3, next_page: null, previous_page: 'http://acme.zendesk.test/api/v2/users/search.json?query=page&per_page=2&page=1' })
    expect(second.json().users.map((u: { name: string }) => u.name)).toEqual(['Page 2'])
  })

  test('deleted users are not found', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'Del', email: 'del@example.com', external_id: 'del' } })
    await app.inject({ method: 'DELETE', url: `/api/v2/users/${FIRST_ID}`, headers: { authorization: TOKEN_AUTH } })
    expect((await get(app, '/api/v2/users/search.json?query=del')).json().count).toBe(0)
    expect((await get(app, '/api/v2/users/search.json?external_id=del')).json().count).toBe(0)
  })
})

describe('GET /api/v2/users/show_many', () => {
  test('by ids and by external_ids; unknown ones are left out; more than 100 is TooManyValues', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'One', email: 'one@example.com', external_id: 'one' } })
    await createOrUpdate(app, { user: { name: 'Two', email: 'two@example.com', external_id: 'two' } })
    const byIds = await get(app, `/api/v2/users/show_many.json?ids=${FIRST_ID},${FIRST_ID + 128},1`)
    expect(byIds.statusCode).toBe(200)
    expect(byIds.json()).toMatchObject({ next_page: null, previous_page: null, count: 2 })
    expect(byIds.json().users.map((u: { name: string }) => u.name)).toEqual(['One', 'Two'])
    const byExt = await get(app, '/api/v2/users/show_many?external_ids=TWO,nope')
    expect(byExt.json().users.map((u: { name: string }) => u.name)).toEqual(['Two'])
    const tooMany = await get(app, `/api/v2/users/show_many.json?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`)
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json()).toEqual({ error: 'TooManyValues', description: 'Parameter ids cannot specify more than 100 values', max_count: 100 })
  })
})

describe('PUT /api/v2/users/{id}', () => {
  test('patches: only the fields sent change (the recorded tags-only PUT)', async ({ app, clock }) => {
    const created = (await createOrUpdate(app, { user: { name: 'John Doe', email: 'grouparoo@demo.com', external_id: 'grouparoo123', alias: 'JD' } })).json().user
    clock.advance(61_000)
    const res = await app.inject({ method: 'PUT', url: `/api/v2/users/${FIRST_ID}.json`, headers: { authorization: TOKEN_AUTH }, payload: { user: { tags: ['a', 'b'] } } })
    expect(res.statusCode).toBe(200)
    expect(res.headers.location).toBeUndefined()
    expect(res.json()).toEqual({ user: { ...created, tags: ['a', 'b'], updated_at: '2024-01-01T00:01:01Z' } })
  })

  test('unknown id 404, non-integer id 400 naming the update action, validation 422', async ({ app }) => {
    const missing = await app.inject({ method: 'PUT', url: '/api/v2/users/1.json', headers: { authorization: TOKEN_AUTH }, payload: { user: { name: 'x' } } })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual(errors.recordNotFound)
    const bad = await app.inject({ method: 'PUT', url: '/api/v2/users/x.json', headers: { authorization: TOKEN_AUTH }, payload: { user: { name: 'x' } } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toBe('You passed an invalid value for the id attribute. Invalid parameter: id must be an integer from api/v2/users/update')
    await createOrUpdate(app, { user: { name: 'Val', email: 'val@example.com' } })
    const invalid = await app.inject({ method: 'PUT', url: `/api/v2/users/${FIRST_ID}`, headers: { authorization: TOKEN_AUTH }, payload: { user: { email: 'badmail' } } })
    expect(invalid.statusCode).toBe(422)
    expect(invalid.json()).toEqual(errors.badEmail)
  })
})

describe('DELETE /api/v2/users/{id}', () => {
  test('soft delete: active false, email, external_id and verified cleared, updated_at bumped; GET still shows it', async ({ app, clock }) => {
    const created = (await createOrUpdate(app, { user: { name: 'Bye', email: 'bye@example.com', external_id: 'bye', verified: true } })).json().user
    clock.advance(2000)
    const res = await app.inject({ method: 'DELETE', url: `/api/v2/users/${FIRST_ID}.json`, headers: { authorization: TOKEN_AUTH } })
    expect(res.statusCode).toBe(200)
    const expected = { user: { ...created, email: null, external_id: null, verified: false, active: false, updated_at: '2024-01-01T00:00:02Z' } }
    expect(res.json()).toEqual(expected)
    expect((await get(app, `/api/v2/users/${FIRST_ID}.json`)).json()).toEqual(expected)
  })

  test('unknown id: 404 RecordNotFound', async ({ app }) => {
    const res = await app.inject({ method: 'DELETE', url: '/api/v2/users/1', headers: { authorization: TOKEN_AUTH } })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual(errors.recordNotFound)
  })
})

describe('POST /api/v2/users/create_or_update_many and GET /api/v2/job_statuses/{id}', () => {
  test('answers a queued job_status, then working, then completed with results, on the injected clock', async ({ app, clock }) => {
    await createOrUpdate(app, { user: { name: 'Existing', email: 'existing@example.com' } })
    const res = await app.inject({
      method: 'POST',
      url: '/api/v2/users/create_or_update_many.json',
      headers: { authorization: TOKEN_AUTH },
      payload: { users: [{ name: 'New', email: 'new@example.com' }, { email: 'existing@example.com', notes: 'bulk' }, { name: 'Bad', email: 'badmail' }] }
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['zendesk-ratelimit-inflight-jobs']).toBe('total=30; remaining=29; resets=2')
    const queued = res.json().job_status
    expect(queued.id).toMatch(/^V3-[0-9a-f]{32}$/)
    expect(res.json()).toEqual({ job_status: { id: queued.id, url: `http://localhost:80/api/v2/job_statuses/${queued.id}.json`, total: 3, progress: null, status: 'queued', message: null, results: null } })
    // Nothing is written before the job completes.
    expect((await get(app, '/api/v2/users/search.json?query=new@example.com')).json().count).toBe(0)

    clock.advance(1500)
    const working = await get(app, `/api/v2/job_statuses/${queued.id}.json`)
    expect(working.json().job_status).toMatchObject({ status: 'working', progress: 1, message: 'Creating User #1', results: null })

    clock.advance(500)
    const done = await get(app, `/api/v2/job_statuses/${queued.id}`)
    expect(done.json()).toEqual({
      job_status: {
        id: queued.id,
        url: `http://localhost:80/api/v2/job_statuses/${queued.id}.json`,
        total: 3,
        progress: 3,
        status: 'completed',
        message: 'Completed at 2024-01-01 00:00:02 +0000',
        results: [
          { id: FIRST_ID + 128, status: 'Created', email: 'new@example.com' },
          { id: FIRST_ID, status: 'Updated', email: 'existing@example.com' },
          { status: 'Failed', error: 'UserUpdateError', details: 'Email: badmail is not properly formatted' }
        ]
      }
    })
    const created = (await get(app, `/api/v2/users/${FIRST_ID + 128}.json`)).json().user
    expect(created).toMatchObject({ name: 'New', created_at: '2024-01-01T00:00:02Z' })
    expect((await get(app, `/api/v2/users/${FIRST_ID}.json`)).json().user.notes).toBe('bulk')
  })

  test('more than 100 users: the recorded TooManyValues', async ({ app }) => {
    const users = Array.from({ length: 101 }, (_, i) => ({ name: `U${i}`, email: `u${i}@example.com` }))
    const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update_many', headers: { authorization: TOKEN_AUTH }, payload: { users } })
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe(JSON.stringify(errors.tooManyValues))
  })

  test('users missing or of the wrong type: 400 Invalid attribute', async ({ app }) => {
    const missing = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update_many.json', headers: { authorization: TOKEN_AUTH }, payload: {} })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toEqual({ error: { title: 'Invalid attribute', message: 'You passed an invalid value for the users attribute. Invalid parameter: users must be an array from api/v2/users/create_or_update_many' } })
    const typed = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update_many.json', headers: { authorization: TOKEN_AUTH }, payload: { users: [{ name: 'x', verified: 'perhaps' }] } })
    expect(typed.json().error.message).toBe('You passed an invalid value for the verified attribute. Invalid parameter: verified must be either true or false from api/v2/users/create_or_update_many')
  })

  test('unknown job id: 404 RecordNotFound', async ({ app }) => {
    const res = await get(app, '/api/v2/job_statuses/V3-00000000000000000000000000000000.json')
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual(errors.recordNotFound)
  })

  test('jobs are kept for a day', async ({ app, clock }) => {
    const id = (await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update_many.json', headers: { authorization: TOKEN_AUTH }, payload: { users: [] } })).json().job_status.id
    clock.advance(86_400_000)
    expect((await get(app, `/api/v2/job_statuses/${id}.json`)).statusCode).toBe(200)
    clock.advance(1000)
    expect((await get(app, `/api/v2/job_statuses/${id}.json`)).statusCode).toBe(404)
  })
})

describe('timestamps', () => {
  test('come from the injected clock, UTC, seconds, Z', async ({ app, clock }) => {
    clock.set(Date.parse('2021-11-15T23:20:11.789Z'))
    const res = await createOrUpdate(app, { user: { name: 'Clock', email: 'clock@example.com' } })
    expect(res.json().user).toMatchObject({ created_at: '2021-11-15T23:20:11Z', updated_at: '2021-11-15T23:20:11Z' })
    expect(T0).toBe('2024-01-01T00:00:00Z')
  })
})
