import { Writable } from 'node:stream'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { Journal } from '../../src/kernel/journal.js'
import { basic, makeApp, test } from '../helpers/app.js'

const entry = (i: number, account: string | null = 'a') => ({
  at: Date.UTC(2024, 0, 1, 0, 0, i),
  account,
  vendor: 'zendesk' as const,
  method: 'POST',
  path: '/api/v2/users/create_or_update.json',
  query: '',
  headers: { authorization: 'Basic c2VjcmV0' },
  body: { user: { email: `u${i}@x.test` } },
  status: 201,
  responseHeaders: {},
  responseBody: '{"user":{}}',
  durationMs: 1
})

describe('Journal', () => {
  it('is a bounded ring per account, oldest first', () => {
    const j = new Journal(3)
    for (let i = 0; i < 5; i++) j.record(entry(i))
    j.record(entry(9, 'b'))
    expect(j.size).toBe(4)
    expect(j.query({ account: 'a' }).map(e => (e.body as { user: { email: string } }).user.email)).toEqual(['u2@x.test', 'u3@x.test', 'u4@x.test'])
    expect(j.query().map(e => e.id)).toEqual([3, 4, 5, 6])
  })
  it('filters by body, time and path prefix, and masks credentials when read', () => {
    const j = new Journal(10)
    for (let i = 0; i < 3; i++) j.record(entry(i))
    expect(j.query({ bodyContains: 'u1@x.test' })).toHaveLength(1)
    expect(j.query({ since: '2024-01-01T00:00:01Z' })).toHaveLength(2)
    expect(j.query({ until: '2024-01-01T00:00:00Z' })).toHaveLength(1)
    expect(j.query({ path: '/api/v2/users/*' })).toHaveLength(3)
    expect(j.query({ path: '/api/v2/users' })).toHaveLength(0)
    expect(j.query({ limit: 1 })[0]!.responseBody).toEqual({ user: {} })
    expect(j.query()[0]!.headers.authorization).toBe('Basic ***')
  })
  it('records nothing with a limit of 0', () => {
    const j = new Journal(0)
    j.record(entry(1))
    expect(j.size).toBe(0)
  })
})

describe('/__mock/requests', () => {
  test('records vendor requests with masked credentials, filters and clears', async ({ app }) => {
    const auth = basic('admin@userdouble.test/token', 'userdoubleZendeskApiToken0000000000000000')
    await app.inject({ method: 'GET', url: '/api/v2/users/1.json?access_token=topsecret', headers: { authorization: auth } })
    await app.inject({ method: 'POST', url: '/api/public/users/update_or_create/', headers: { authorization: 'Token userdouble0usercom0api0key00000000000000000000000000000000000000', 'content-type': 'application/json' }, payload: { user_id: 'x', password: 'hunter2' } })
    await app.inject({ method: 'GET', url: '/__mock/health' })
    const res = await app.inject({ method: 'GET', url: '/__mock/requests' })
    expect(res.statusCode).toBe(200)
    const { count, requests } = res.json()
    expect(count).toBe(2)
    expect(requests[0]).toMatchObject({ vendor: 'zendesk', account: 'default', method: 'GET', path: '/api/v2/users/1.json', query: '?access_token=***', time: '2024-01-01T00:00:00.000Z' })
    expect(requests[0].headers.authorization).toBe('Basic ***')
    expect(requests[1]).toMatchObject({ vendor: 'usercom', account: 'default', method: 'POST', path: '/api/public/users/update_or_create/' })
    expect(requests[1].headers.authorization).toBe('Token ***')
    expect(requests[1].body).toEqual({ user_id: 'x', password: '***' })
    const text = res.body
    for (const secret of ['topsecret', 'hunter2', 'userdoubleZendeskApiToken', 'userdouble0usercom0api0key', auth.slice(6)]) expect(text).not.toContain(secret)
    expect((await app.inject({ method: 'GET', url: '/__mock/requests?vendor=usercom' })).json().count).toBe(1)
    expect((await app.inject({ method: 'GET', url: '/__mock/requests?method=get&path=/api/v2/*' })).json().count).toBe(1)
    expect((await app.inject({ method: 'DELETE', url: '/__mock/requests' })).statusCode).toBe(204)
    expect((await app.inject({ method: 'GET', url: '/__mock/requests' })).json()).toEqual({ count: 0, requests: [] })
  })
})

describe('logs', () => {
  it('hold one line per request and no credential', async () => {
    let out = ''
    const sink = new Writable({ write (chunk, _enc, cb) { out += chunk.toString(); cb() } })
    const app = await makeApp({ logger: pino({ level: 'info' }, sink) })
    const auth = basic('admin@userdouble.test/token', 'userdoubleZendeskApiToken0000000000000000')
    await app.inject({ method: 'GET', url: '/api/v2/users/me.json?access_token=topsecret', headers: { authorization: auth } })
    await app.inject({ method: 'POST', url: '/api/public/users/update_or_create/', headers: { authorization: 'Token userdouble0usercom0api0key00000000000000000000000000000000000000' }, payload: { user_id: 'x' } })
    await app.close()
    const lines = out.trim().split('\n').map(l => JSON.parse(l) as { msg: string, url?: string })
    expect(lines.filter(l => l.msg === 'request')).toHaveLength(2)
    expect(lines[0]!.url).toBe('/api/v2/users/me.json?access_token=***')
    for (const secret of ['topsecret', 'userdoubleZendeskApiToken', 'userdouble0usercom0api0key', auth.slice(6)]) expect(out).not.toContain(secret)
  })
  it('mask api_token= and key= in the request line', async () => {
    let out = ''
    const sink = new Writable({ write (chunk, _enc, cb) { out += chunk.toString(); cb() } })
    const app = await makeApp({ logger: pino({ level: 'info' }, sink) })
    await app.inject({ method: 'GET', url: '/api/v2/users.json?api_token=tok1&page=2' })
    await app.inject({ method: 'GET', url: '/api/public/users/?key=tok2', headers: { 'x-auth-token': 'tok3' } })
    await app.close()
    const urls = out.trim().split('\n').map(l => (JSON.parse(l) as { url?: string }).url)
    expect(urls).toEqual(['/api/v2/users.json?api_token=***&page=2', '/api/public/users/?key=***'])
    for (const secret of ['tok1', 'tok2', 'tok3']) expect(out).not.toContain(secret)
  })
})

describe('journal bounds on the wire', () => {
  it('unauthenticated 512 KiB posts keep the journal within its byte bound, bodies cut and marked, and it still reads', async () => {
    const app = await makeApp({ config: { JOURNAL_MAX_BYTES: 1_000_000, JOURNAL_BODY_MAX_BYTES: 1024, JOURNAL_ANONYMOUS_LIMIT: 20 } })
    const payload = JSON.stringify({ junk: 'j'.repeat(512 * 1024) })
    for (let i = 0; i < 60; i++) {
      const res = await app.inject({ method: 'POST', url: `/api/v2/nowhere/${i}.json`, headers: { 'content-type': 'application/json' }, payload })
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      expect(res.statusCode).toBeLessThan(500)
    }
    expect(app.kernel.journal.size).toBe(20)
    expect(app.kernel.journal.bytes).toBeLessThanOrEqual(20 * (512 + 64 + 2 * 1024))
    const res = await app.inject({ method: 'GET', url: '/__mock/requests?limit=5&after=0' })
    expect(res.statusCode).toBe(200)
    const { requests } = res.json() as { requests: Array<{ path: string, body: unknown, truncated?: { body?: number } }> }
    expect(requests.map(r => r.path)).toEqual([40, 41, 42, 43, 44].map(i => `/api/v2/nowhere/${i}.json`))
    expect(requests[0]!.truncated).toEqual({ body: payload.length })
    expect(requests[0]!.body).toBe(payload.slice(0, 1024))
    await app.close()
  })
})
