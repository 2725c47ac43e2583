import type { InjectOptions } from 'fastify'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.js'
import { fixedClock } from '../src/kernel/clock.js'
import { openDatabase } from '../src/kernel/database.js'
import { contractProblems } from './helpers/contract.js'
import { seededRandom } from '../src/kernel/ids.js'

/**
 * The audit kept in the suite: at least 10,000 generated requests across both vendors and the
 * control plane, from a seeded generator (FUZZ_SEED, FUZZ_COUNT to vary it), and then the
 * database's invariants. Every answer must be one its surface documents: no 5xx, no Fastify
 * default body, JSON wherever JSON is claimed, and the OpenAPI documents' shape.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202)
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000)

// The kernel's seeded mulberry32, so a failure repeats with its seed.
const prng = seededRandom

const ZD_AUTH = 'Basic ' + Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')
const UC_AUTH = 'Token userdouble0usercom0api0key00000000000000000000000000000000000000'

function generator (rand: () => number) {
  const int = (n: number): number => Math.floor(rand() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  const chance = (p: number): boolean => rand() < p
  const strings = ['', ' ', 'a', 'Ann Smith', 'ann@example.com', 'ANN@EXAMPLE.COM', 'x'.repeat(300), '\u0000', '\ud800', '\u202e<script>', '😀'.repeat(10), 'null', '1e400', '-1', '0', '%E0', '../..', 'a,b,c', 'true', ' e@x.de ', 'name:Ann', 'email:ann@example.com', 'external_id:e1', '日本語']
  const numbers = [0, -1, 1, 1.5, 2 ** 31, 2 ** 53, 2 ** 63, 1e20, -1e20, Number.MAX_SAFE_INTEGER, 360000000128, 1e308]
  const keys = ['user', 'users', 'name', 'email', 'user_id', 'custom_id', 'external_id', 'identities', 'tags', 'user_fields', 'role', 'id', 'phone', 'first_name', 'last_name', 'attributes', 'score', 'organization', 'verified', 'type', 'value', 'notes', 'details', 'status', 'company_id', 'key', 'unsubscribed', 'gender', '__proto__', 'constructor']
  const value = (depth: number): unknown => {
    const r = int(depth > 2 ? 4 : 7)
    if (r === 0) return pick(strings)
    if (r === 1) return pick(numbers)
    if (r === 2) return pick([true, false, null])
    if (r === 3) return `${pick(['u', 'e', 'ann'])}${int(50)}@example.com`
    if (r === 4) return Array.from({ length: int(4) }, () => value(depth + 1))
    return object(depth + 1)
  }
  const object = (depth: number): Record<string, unknown> => Object.fromEntries(Array.from({ length: int(5) }, () => [pick(keys), value(depth)]))
  const zendeskUser = (): Record<string, unknown> => {
    const u: Record<string, unknown> = chance(0.8) ? { name: `User ${int(40)}`, email: `u${int(40)}@example.com` } : {}
    if (chance(0.3)) u.external_id = `e${int(40)}`
    if (chance(0.2)) u.identities = [{ type: 'email', value: `i${int(40)}@example.com` }]
    if (chance(0.2)) u.tags = [pick(strings), 'vip']
    if (chance(0.3)) Object.assign(u, object(1))
    return u
  }
  const usercomUser = (): Record<string, unknown> => {
    const u: Record<string, unknown> = chance(0.8) ? { user_id: `uid${int(40)}`, email: `c${int(40)}@example.com` } : {}
    if (chance(0.3)) u.first_name = pick(strings)
    if (chance(0.3)) Object.assign(u, object(1))
    if (chance(0.2)) u[`attr_${int(5)}`] = value(1)
    return u
  }
  const id = (): string => pick([String(360000000128 + int(60)), String(int(100)), '-1', '0', 'abc', '100000000000000000000', 'me', '1.5', 'x'.repeat(120), '%E0'])
  // A lone surrogate has no UTF-8: sent as the bytes a careless client would send.
  const enc = (v: string): string => { try { return encodeURIComponent(v) } catch { return '%ED%A0%80' } }
  const query = (): string => {
    if (!chance(0.5)) return ''
    const params = Array.from({ length: 1 + int(3) }, () => `${pick(['page', 'per_page', 'query', 'external_id', 'email', 'ids', 'external_ids', 'sort', 'role', 'limit', 'account', 'vendor', 'status', 'after', 'since', 'key'])}=${enc(String(pick([...strings, ...numbers, '100000000000000000000', '2', '1,2,3'])))}`)
    return '?' + params.join('&')
  }
  const zendeskPaths = () => pick([
    '/api/v2/users.json', `/api/v2/users/${id()}.json`, '/api/v2/users/create_or_update.json', '/api/v2/users/create_many.json', '/api/v2/users/create_or_update_many.json',
    '/api/v2/users/update_many.json', '/api/v2/users/destroy_many.json', '/api/v2/users/search.json', '/api/v2/users/show_many.json', '/api/v2/users/me.json',
    `/api/v2/job_statuses/${id()}.json`, '/api/v2/job_statuses.json', `/api/v2/users/${id()}/identities.json`, '/api/v2/nowhere.json', '/api/v2/users/count.json'
  ])
  const usercomPaths = () => pick([
    '/api/public/users/', '/api/public/users/update_or_create/', `/api/public/users/${id()}/`, `/api/public/users-by-id/${pick(['uid1', 'uid2', id()])}/`,
    '/api/public/users/search/', `/api/public/users/${id()}/set_attribute/`, `/api/public/users/${id()}/events/`, '/api/public/nowhere/', '/api/public/users'
  ])
  const controlPaths = () => pick([
    '/__mock/health', '/__mock/clock', '/__mock/accounts', '/__mock/accounts/default', `/__mock/accounts/${pick(['default', 'nope', id()])}/state`,
    '/__mock/requests', '/__mock/accounts/default/rate-limits', '/__mock/faults', '/__mock/openapi/zendesk.json', '/__mock/nowhere', '/__mock/accounts/default/users'
  ])
  const body = (surface: string): { payload?: string | Buffer, contentType?: string } => {
    const r = rand()
    if (r < 0.1) return {}
    if (r < 0.15) return { payload: pick(['{"user":', 'x', '[]', 'null', '"x"', '{}', '\u0000', '{"a":1e400}']), contentType: 'application/json' }
    if (r < 0.2) return { payload: 'user[name]=a&user[email]=b@c.de&user_id=u1&email=x%40y.z', contentType: 'application/x-www-form-urlencoded' }
    if (r < 0.23) return { payload: 'hello', contentType: pick(['text/plain', 'a/b/c', 'application/xml', 'multipart/form-data', '']) }
    if (surface === 'zendesk') {
      const many = chance(0.2)
      return { payload: JSON.stringify(many ? { users: Array.from({ length: int(4) }, zendeskUser) } : chance(0.9) ? { user: zendeskUser() } : object(0)), contentType: 'application/json' }
    }
    if (surface === 'usercom') return { payload: JSON.stringify(chance(0.9) ? usercomUser() : object(0)), contentType: 'application/json' }
    // The control plane: shapes near its own, never a fault rule (they answer what they are told to).
    return { payload: JSON.stringify(pick([{ advance: pick(numbers) }, { now: pick(strings) }, { mode: pick(['real', 'frozen', 'x']) }, { name: pick(strings) }, object(0), { zendesk: { users: [object(1)] } }])), contentType: 'application/json' }
  }
  return (): { method: string, url: string, headers: Record<string, string>, payload?: string | Buffer } => {
    const surface = pick(['zendesk', 'zendesk', 'usercom', 'usercom', 'control'])
    const path = surface === 'zendesk' ? zendeskPaths() : surface === 'usercom' ? usercomPaths() : controlPaths()
    let method = pick(['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])
    let url = path + query()
    // Half the time, a well-formed call: the writes that build up state, with hostile values inside.
    if (chance(0.4)) {
      ;[method, url] = surface === 'zendesk'
        ? pick([['POST', '/api/v2/users/create_or_update.json'], ['POST', '/api/v2/users.json'], ['PUT', `/api/v2/users/${360000000128 + int(60)}.json`], ['POST', '/api/v2/users/create_or_update_many.json'], ['GET', `/api/v2/users/search.json?query=${pick(['User', 'u1', 'e1'])}&page=${pick(['1', '2', '100000000000000000000'])}`]])
        : surface === 'usercom'
          ? pick([['POST', '/api/public/users/update_or_create/'], ['POST', '/api/public/users/'], ['PUT', `/api/public/users/${1 + int(40)}/`], ['GET', `/api/public/users-by-id/uid${int(40)}/`], ['GET', `/api/public/users/search/?email=c${int(40)}@example.com`]])
          : pick([['GET', '/__mock/requests?limit=5'], ['POST', '/__mock/clock'], ['GET', '/__mock/accounts/default/state']])
    }
    // The control plane's destructive calls would erase the state the vendors build up.
    if (surface === 'control' && method === 'POST' && path === '/__mock/faults') method = 'GET'
    if (surface === 'control' && method === 'DELETE' && path.startsWith('/__mock/accounts')) method = 'GET'
    const headers: Record<string, string> = {}
    const auth = rand()
    if (auth < 0.8) headers.authorization = surface === 'usercom' ? UC_AUTH : ZD_AUTH
    else if (auth < 0.9) headers.authorization = pick(['Basic xxx', 'Bearer ', 'Token abc', UC_AUTH, ZD_AUTH, 'Basic ' + Buffer.from('a:b').toString('base64')])
    if (chance(0.1)) headers.accept = pick(['text/html', 'application/xml', '*/*', 'application/json; version=2', 'x/y'])
    const b = method === 'GET' || method === 'HEAD' ? (chance(0.05) ? body(surface) : {}) : body(surface)
    if (b.contentType !== undefined && b.contentType !== '') headers['content-type'] = b.contentType
    return { method, url, headers, ...(b.payload !== undefined ? { payload: b.payload } : {}) }
  }
}

describe('fuzz', () => {
  it(`${COUNT} generated requests (seed ${SEED}): no 5xx, no Fastify default body, valid JSON, the documents' shapes; database invariants after`, async () => {
    const db = openDatabase(':memory:')
    const app = await buildApp({ db, clock: fixedClock('2024-01-01T00:00:00Z'), config: { ID_SEED: 7, RATE_LIMITS: 'off' } })
    const next = generator(prng(SEED))
    const failures: string[] = []
    const statuses = new Map<number, number>()
    for (let i = 0; i < COUNT; i++) {
      const req = next()
      const res = await app.inject(req as InjectOptions)
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      const where = `#${i} ${req.method} ${req.url.slice(0, 120)} → ${res.statusCode}`
      if (res.statusCode >= 500) failures.push(`${where}: 5xx ${res.payload.slice(0, 200)}`)
      if (res.payload.includes('"statusCode":') && res.payload.includes('"error":')) failures.push(`${where}: Fastify's default body ${res.payload.slice(0, 200)}`)
      const type = String(res.headers['content-type'] ?? '')
      if (/json/i.test(type) && req.method !== 'HEAD' && res.payload.length > 0) {
        try { JSON.parse(res.payload) } catch { failures.push(`${where}: content-type ${type} but not JSON: ${res.payload.slice(0, 200)}`) }
      }
      for (const p of await contractProblems({ method: req.method, url: req.url, statusCode: res.statusCode, headers: res.headers, payload: res.payload })) failures.push(p.slice(0, 400))
      if (failures.length > 20) break
    }
    expect(failures).toEqual([])
    // The requests reached the vendors, not only their 401s and 404s.
    expect(statuses.get(200)! + (statuses.get(201) ?? 0)).toBeGreaterThan(COUNT / 10)

    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])
    // Every user the vendors hold reads back through its own API.
    const zdIds = db.prepare('SELECT id FROM zendesk_users WHERE account_id = ?').pluck().all('default') as number[]
    for (const id of zdIds) expect((await app.inject({ method: 'GET', url: `/api/v2/users/${id}.json`, headers: { authorization: ZD_AUTH } })).statusCode, `zendesk user ${id}`).toBe(200)
    const ucIds = db.prepare('SELECT id FROM usercom_users WHERE account_id = ?').pluck().all('default') as number[]
    for (const id of ucIds) expect((await app.inject({ method: 'GET', url: `/api/public/users/${id}/`, headers: { authorization: UC_AUTH } })).statusCode, `usercom user ${id}`).toBe(200)
    expect(zdIds.length + ucIds.length).toBeGreaterThan(0)
    const state = await app.inject({ method: 'GET', url: '/__mock/accounts/default/state' })
    expect(state.statusCode).toBe(200)
    JSON.parse(state.payload)
    process.stdout.write(`fuzz: ${COUNT} requests, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}, ${zdIds.length} Zendesk and ${ucIds.length} User.com users read back\n`)
    await app.close()
    db.close()
  }, 600_000)
})
