import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { describe, expect } from 'vitest'
import { makeApp, test } from '../../helpers/app.js'
import { JSON_TYPE, TEXT_TYPE, TOKEN_AUTH, createOrUpdate, get } from './helpers.js'

const errors = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/recorded-errors.json', import.meta.url), 'utf8'))
const FIRST_ID = 360000000128

function setLimits (app: FastifyInstance, rateLimits: Record<string, unknown>): void {
  app.kernel.accounts.saveSettings('default', { rateLimits })
}

const advance = (app: FastifyInstance, seconds: number) => app.inject({ method: 'POST', url: '/__mock/clock', payload: { advance: seconds } })

describe('account-wide budget per minute', () => {
  test('every answer carries the five headers with true values (default 700)', async ({ app, clock }) => {
    let res = await get(app, '/api/v2/users/search.json?query=x')
    expect(res.headers).toMatchObject({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '699', 'ratelimit-limit': '700', 'ratelimit-remaining': '699', 'ratelimit-reset': '60' })
    clock.advance(15_500)
    res = await get(app, '/api/v2/nothing/here')
    expect(res.statusCode).toBe(404)
    expect(res.headers).toMatchObject({ 'x-rate-limit-remaining': '698', 'ratelimit-remaining': '698', 'ratelimit-reset': '45' })
    res = await createOrUpdate(app, { user: { name: 'x' } })
    expect(res.headers['x-rate-limit-remaining']).toBe('697')
  })

  test('spent: 429 text/plain with the recorded text and Retry-After until the aligned minute ends', async ({ app, clock }) => {
    setLimits(app, { zendesk: { perMinute: 3 } })
    clock.advance(20_000)
    for (let i = 0; i < 3; i++) expect((await get(app, '/api/v2/users/1.json')).statusCode).toBe(404)
    const res = await get(app, '/api/v2/users/1.json')
    expect(res.statusCode).toBe(429)
    expect(res.headers['content-type']).toBe(TEXT_TYPE)
    expect(res.body).toBe(errors.account429)
    expect(res.headers).toMatchObject({ 'retry-after': '40', 'x-rate-limit': '3', 'x-rate-limit-remaining': '0', 'ratelimit-limit': '3', 'ratelimit-remaining': '0', 'ratelimit-reset': '40', 'x-zendesk-api-version': 'v2' })
    await advance(app, 40)
    expect((await get(app, '/api/v2/users/1.json')).statusCode).toBe(404)
  })

  test('200 parallel requests against a budget of 50 admit exactly 50', async ({ app }) => {
    setLimits(app, { zendesk: { perMinute: 50 } })
    const answers = await Promise.all(Array.from({ length: 200 }, () => get(app, '/api/v2/users/search.json?query=x')))
    const codes = answers.map(r => r.statusCode)
    expect(codes.filter(c => c === 200)).toHaveLength(50)
    expect(codes.filter(c => c === 429)).toHaveLength(150)
  })

  test('budgets are per account', async ({ app }) => {
    setLimits(app, { zendesk: { perMinute: 1 } })
    app.kernel.accounts.upsert({
      id: 'other',
      name: 'Other',
      credentials: { zendesk: { subdomain: 'other', email: 'other@example.com', apiToken: 'otherToken', password: 'otherPassword', oauthToken: 'otherOAuth' }, usercom: { apiKey: 'o'.repeat(64) } }
    })
    const other = `Basic ${Buffer.from('other@example.com/token:otherToken').toString('base64')}`
    expect((await get(app, '/api/v2/users/1.json')).statusCode).toBe(404)
    expect((await get(app, '/api/v2/users/1.json')).statusCode).toBe(429)
    const res = await get(app, '/api/v2/users/1.json', { authorization: other })
    expect(res.statusCode).toBe(404)
    expect(res.headers['x-rate-limit-remaining']).toBe('699')
  })
})

describe('per end user: 5 create_or_update / PUT per minute', () => {
  test('six calls for one email: five served, the sixth the exact 429; another user unaffected; after advance 60 served again', async ({ app }) => {
    const body = { user: { name: 'Six', email: 'six@example.com' } }
    const first = await createOrUpdate(app, body)
    expect(first.statusCode).toBe(201)
    expect(first.headers['zendesk-ratelimit-create-update-user']).toBe('total=5; remaining=4; resets=60')
    for (let i = 0; i < 4; i++) expect((await createOrUpdate(app, body)).statusCode).toBe(200)
    await advance(app, 20)

    const sixth = await createOrUpdate(app, body)
    expect(sixth.statusCode).toBe(429)
    expect(sixth.headers['content-type']).toBe(TEXT_TYPE)
    expect(sixth.body).toBe('You have exceeded the rate limit for updating a single unique user. user email: six@example.com id:  external_id: ')
    expect(sixth.headers).toMatchObject({
      'retry-after': '40',
      'zendesk-ratelimit-create-update-user': 'total=5; remaining=0; resets=40',
      'x-rate-limit': '700',
      'x-rate-limit-remaining': '694',
      'ratelimit-limit': '700',
      'ratelimit-remaining': '694',
      'ratelimit-reset': '40'
    })
    expect(sixth.headers['cache-control']).toBe('no-cache')

    const other = await createOrUpdate(app, { user: { name: 'Other', email: 'other@example.com' } })
    expect(other.statusCode).toBe(201)

    await advance(app, 60)
    const again = await createOrUpdate(app, body)
    expect(again.statusCode).toBe(200)
    expect(again.json().user.id).toBe(FIRST_ID)
  })

  test('Retry-After is an integer of at least 1: the seconds until the window frees, rounded up', async ({ app, clock }) => {
    const body = { user: { name: 'R', external_id: 'r' } }
    for (let i = 0; i < 5; i++) await createOrUpdate(app, body)
    clock.advance(59_500)
    const res = await createOrUpdate(app, body)
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe('1')
    clock.advance(500)
    expect((await createOrUpdate(app, body)).statusCode).toBe(200)
  })

  test('the key is external_id, else email, lowercased; the 429 quotes the request\'s values', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'K', external_id: 'Key-1', email: 'k1@example.com' } })
    for (let i = 0; i < 4; i++) await createOrUpdate(app, { user: { external_id: 'KEY-1', email: `k${i + 2}@example.com` } })
    const res = await createOrUpdate(app, { user: { external_id: 'key-1', email: 'K7@Example.com', id: 77 } })
    expect(res.statusCode).toBe(429)
    expect(res.body).toBe('You have exceeded the rate limit for updating a single unique user. user email: K7@Example.com id: 77 external_id: key-1')
  })

  test('PUT users/{id} shares the limit, keyed by the path id: the recorded 99-byte body when the PUT sends only tags', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'Tagged', email: 'tagged@example.com' } })
    const put = () => app.inject({ method: 'PUT', url: `/api/v2/users/${FIRST_ID}.json`, headers: { authorization: TOKEN_AUTH }, payload: { user: { tags: ['a'] } } })
    for (let i = 0; i < 5; i++) expect((await put()).statusCode).toBe(200)
    const res = await put()
    expect(res.statusCode).toBe(429)
    expect(res.body).toBe(errors.perUser429)
    expect(Buffer.byteLength(res.body)).toBe(99)
    expect(res.headers['x-rate-limit']).toBe('700')
  })

  test('requests that name no profile are not limited per user', async ({ app }) => {
    for (let i = 0; i < 7; i++) expect((await createOrUpdate(app, { user: { name: `Anon ${i}` } })).statusCode).toBe(201)
  })
})

describe('optional per-second account cap on create_or_update / PUT', () => {
  test('off by default; with 1 per second, the second call in a second is refused', async ({ app, clock }) => {
    expect((await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })).statusCode).toBe(201)
    expect((await createOrUpdate(app, { user: { name: 'B', email: 'b@example.com' } })).statusCode).toBe(201)
    setLimits(app, { zendesk: { perSecond: 1 } })
    clock.advance(1000)
    expect((await createOrUpdate(app, { user: { name: 'C', email: 'c@example.com' } })).statusCode).toBe(201)
    const res = await createOrUpdate(app, { user: { name: 'D', email: 'd@example.com' } })
    expect(res.statusCode).toBe(429)
    expect(res.body).toBe('You have exceeded the rate limit for updating a single unique user. user email: d@example.com id:  external_id: ')
    expect(res.headers).toMatchObject({ 'retry-after': '1', 'zendesk-ratelimit-create-update-user': 'total=1; remaining=0; resets=1' })
    clock.advance(1000)
    expect((await createOrUpdate(app, { user: { name: 'D', email: 'd@example.com' } })).statusCode).toBe(201)
  })
})

describe('bulk jobs in flight', () => {
  test('at most maxJobs queued or working, else 429 TooManyJobs with the current ids', async ({ app, clock }) => {
    setLimits(app, { zendesk: { maxJobs: 2 } })
    const many = () => app.inject({ method: 'POST', url: '/api/v2/users/create_or_update_many.json', headers: { authorization: TOKEN_AUTH }, payload: { users: [{ name: 'J', email: 'j@example.com' }] } })
    const a = (await many()).json().job_status.id
    const second = await many()
    expect(second.headers['zendesk-ratelimit-inflight-jobs']).toBe('total=2; remaining=0; resets=2')
    const b = second.json().job_status.id
    const res = await many()
    expect(res.statusCode).toBe(429)
    expect(res.headers['content-type']).toBe(JSON_TYPE)
    expect(res.headers['retry-after']).toBe('2')
    expect(res.json()).toEqual({ error: 'TooManyJobs', description: 'Too many UserBulkUpdateJobV2 jobs are currently queued or running. Try again later.', current_job_ids: [a, b] })
    clock.advance(2000)
    expect((await many()).statusCode).toBe(200)
  })
})

describe('switched off', () => {
  test('enabled: false lifts every limit and drops the account headers', async ({ app }) => {
    setLimits(app, { enabled: false, zendesk: { perMinute: 1, maxJobs: 1 } })
    for (let i = 0; i < 7; i++) {
      const res = await createOrUpdate(app, { user: { name: 'Same', email: 'same@example.com' } })
      expect(res.statusCode).toBe(i === 0 ? 201 : 200)
      expect(res.headers['x-rate-limit']).toBeUndefined()
      expect(res.headers['zendesk-ratelimit-create-update-user']).toBeUndefined()
    }
  })

  test('a limit of 0 is off; RATE_LIMITS=off turns them all off', async ({ app }) => {
    setLimits(app, { zendesk: { perMinute: 0, perUserPerMinute: 0 } })
    for (let i = 0; i < 7; i++) expect((await createOrUpdate(app, { user: { name: 'Z', email: 'z@example.com' } })).headers['x-rate-limit']).toBeUndefined()
    const off = await makeApp({ config: { RATE_LIMITS: 'off', ZENDESK_RATE_LIMIT: 1 } })
    try {
      for (let i = 0; i < 3; i++) expect((await get(off, '/api/v2/users/1.json')).statusCode).toBe(404)
    } finally {
      await off.close()
    }
  })

  test('the configured default is the budget (ZENDESK_RATE_LIMIT)', async () => {
    const app = await makeApp({ config: { ZENDESK_RATE_LIMIT: 200 } })
    try {
      expect((await get(app, '/api/v2/users/1.json')).headers['x-rate-limit']).toBe('200')
    } finally {
      await app.close()
    }
  })
})
