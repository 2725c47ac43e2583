import { Writable } from 'node:stream'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { ControlError, createControlClient, startUserDouble, type ControlHandle, type UserDouble } from 'userdouble'

// The same methods, in process (startUserDouble) and over HTTP (createControlClient against a
// listening userdouble): each test below runs on both.
let ud: UserDouble | undefined
afterEach(async () => { await ud?.close(); ud = undefined })

const HANDLES = {
  'in process': async (u: UserDouble): Promise<ControlHandle> => u,
  'over HTTP': async (u: UserDouble): Promise<ControlHandle> => createControlClient(`${u.url}/`)
}

const zendeskAuth = (h: ControlHandle): string => `Basic ${Buffer.from(`${h.zendesk.email}/token:${h.zendesk.apiToken}`).toString('base64')}`
const createZendesk = async (h: ControlHandle, user: Record<string, unknown>) => fetch(`${h.zendesk.baseUrl}/users/create_or_update.json`, {
  method: 'POST', headers: { authorization: zendeskAuth(h), 'content-type': 'application/json' }, body: JSON.stringify({ user })
})
const createUsercom = async (h: { usercom: { baseUrl: string, apiKey: string } }, body: Record<string, unknown>) => fetch(`${h.usercom.baseUrl}/users/update_or_create/`, {
  method: 'POST', headers: { authorization: `Token ${h.usercom.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body)
})

describe.each(Object.entries(HANDLES))('the control API %s', (_name, open) => {
  it('gives both base URLs without a trailing slash, so baseUrl + "/users/…" works for both vendors', async () => {
    ud = await startUserDouble()
    const h = await open(ud)
    expect(h.url).toBe(ud.url)
    expect(h.zendesk.baseUrl).toBe(`${ud.url}/api/v2`)
    expect(h.usercom.baseUrl).toBe(`${ud.url}/api/public`)
    expect((await createZendesk(h, { name: 'Ada', email: 'ada@example.com' })).status).toBe(201)
    const res = await createUsercom(h, { user_id: 'ada', email: 'ada@example.com' })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ created: true, id: expect.any(Number) })
  })

  it('state() is typed per vendor: zendesk.users, usercom.users in their wire shapes', async () => {
    ud = await startUserDouble()
    const h = await open(ud)
    await createZendesk(h, { name: 'Ada Lovelace', email: 'ada@example.com', external_id: 'ada-1' })
    await createUsercom(h, { user_id: 'ada-1', email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' })
    const state = await h.state()
    const zd = state.zendesk.users[0]!
    expect([zd.name, zd.email, zd.external_id, zd.role, zd.active, zd.url]).toEqual(['Ada Lovelace', 'ada@example.com', 'ada-1', 'end-user', true, `${ud.url}/api/v2/users/${zd.id}.json`])
    expect(state.zendesk.identities.map(i => [i.type, i.value, i.primary])).toEqual([['email', 'ada@example.com', true]])
    const uc = state.usercom.users[0]!
    expect([uc.user_id, uc.email, uc.name, uc.first_name, uc.last_name, uc.status]).toEqual(['ada-1', 'ada@example.com', 'Ada Lovelace', 'Ada', 'Lovelace', 'visitor'])
    await h.loadState({ zendesk: { users: [] }, usercom: { users: [] } })
    const empty = await h.state()
    expect([empty.zendesk.users, empty.usercom.users]).toEqual([[], []])
  })

  it('setRateLimits: the limits in force come back, and the next request over it is the vendor\'s 429', async () => {
    ud = await startUserDouble()
    const h = await open(ud)
    const before = await h.rateLimits()
    expect(before).toEqual({ enabled: true, zendesk: { perMinute: 700, perUserPerMinute: 5, perSecond: 0, maxJobs: 30 }, usercom: { perPeriod: 600, periodSeconds: 60 } })
    expect(await h.setRateLimits({ zendesk: { perMinute: 1 } })).toEqual({ ...before, zendesk: { ...before.zendesk, perMinute: 1 } })
    expect((await createZendesk(h, { name: 'Ada', email: 'ada@example.com' })).status).toBe(201)
    const limited = await createZendesk(h, { name: 'Grace', email: 'grace@example.com' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await limited.text()).toBe('Number of allowed API requests per minute exceeded')
    await h.clock.advance(60)
    expect((await createZendesk(h, { name: 'Grace', email: 'grace@example.com' })).status).toBe(201)
  })

  it('addFault only meets this account\'s requests; faults() and clearFaults()', async () => {
    ud = await startUserDouble()
    const h = await open(ud)
    const other = await h.createAccount({ id: 'worker-1' })
    const rule = await other.addFault({ vendor: 'usercom', method: 'POST', path: '/api/public/users/update_or_create/', times: 1, status: 503, body: { detail: 'down' } })
    expect(rule).toMatchObject({ account: 'worker-1', vendor: 'usercom', status: 503, times: 1, remaining: 1, hits: 0, action: 'respond' })
    expect(await other.faults()).toEqual([rule])
    expect(await h.faults()).toEqual([])
    expect((await createUsercom(h, { user_id: 'a' })).status).toBe(201)
    const hit = await createUsercom(other, { user_id: 'a' })
    expect(hit.status).toBe(503)
    expect(await hit.json()).toEqual({ detail: 'down' })
    expect((await createUsercom(other, { user_id: 'a' })).status).toBe(201)
    await other.addFault({ vendor: 'zendesk', status: 500 })
    await other.clearFaults()
    expect(await other.faults()).toEqual([])
  })

  it('waitForRequest resolves to the journal entry once the request lands, and times out naming the filter', async () => {
    ud = await startUserDouble()
    const h = await open(ud)
    const later = new Promise(resolve => setTimeout(resolve, 150)).then(async () => createUsercom(h, { user_id: 'late', email: 'late@example.com' }))
    const entry = await h.waitForRequest({ method: 'POST', path: '/api/public/users/update_or_create/', bodyContains: 'late@example.com' }, { timeout: 5000 })
    expect(entry).toMatchObject({ account: 'default', vendor: 'usercom', method: 'POST', path: '/api/public/users/update_or_create/', status: 201, body: { user_id: 'late', email: 'late@example.com' } })
    expect(entry.headers.authorization).toBe('Token ***')
    await later
    await expect(h.waitForRequest({ path: '/api/v2/users/42' }, { timeout: 120, interval: 30 }))
      .rejects.toThrow(new Error('waitForRequest: no request matching {"path":"/api/v2/users/42"} within 120 ms'))
    const worker = await h.createAccount()
    await expect(worker.waitForRequest({ bodyContains: 'late@example.com' }, { timeout: 50 })).rejects.toThrow(/no request matching/)
  })

  it('clock.set takes an ISO instant and refuses anything else before anything changes', async () => {
    ud = await startUserDouble()
    const h = await open(ud)
    await h.clock.set('2030-01-02T03:04:05Z')
    const res = await createZendesk(h, { name: 'Ada', email: 'ada@example.com' })
    expect(((await res.json()) as { user: { created_at: string } }).user.created_at).toBe('2030-01-02T03:04:05Z')
    await expect(async () => h.clock.set('yesterday')).rejects.toThrow(new TypeError('clock.set: "yesterday" is not an ISO 8601 instant such as 2024-01-01T00:00:00Z (a date-time needs Z or an offset)'))
    await expect(async () => h.clock.set('2030-01-01T00:00:00')).rejects.toThrow(TypeError)
    await expect(async () => h.clock.set(new Date(Number.NaN))).rejects.toThrow(new TypeError('clock.set: "Invalid Date" is not a valid date'))
    await expect(async () => h.clock.set('1969-12-31T23:59:59Z')).rejects.toThrow(new RangeError('clock.set: 1969-12-31T23:59:59.000Z is out of range: the clock takes 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z'))
    await expect(async () => h.clock.advance(Number.POSITIVE_INFINITY)).rejects.toThrow(new TypeError('clock.advance: Infinity is not a finite number of seconds'))
    expect(await h.clock.state()).toEqual({ mode: 'frozen', now: '2030-01-02T03:04:05.000Z', offsetMs: 0 })
    await h.clock.set(new Date('2031-01-01T00:00:00Z'))
    await h.clock.advance(90)
    expect(await h.clock.state()).toEqual({ mode: 'frozen', now: '2031-01-01T00:01:30.000Z', offsetMs: 0 })
    // Requests still work after a refused set.
    expect((await createZendesk(h, { name: 'Grace', email: 'grace@example.com' })).status).toBe(201)
    await h.clock.real()
    expect((await h.clock.state()).mode).toBe('real')
  })

  it('account(id) is a handle on an existing account; reset() clears every account', async () => {
    ud = await startUserDouble()
    const h = await open(ud)
    const made = await h.createAccount({ name: 'w' })
    const again = await h.account(made.id)
    expect([again.id, again.zendesk, again.usercom]).toEqual([made.id, made.zendesk, made.usercom])
    await createUsercom(made, { user_id: 'x' })
    expect((await again.state()).usercom.users).toHaveLength(1)
    await h.reset()
    expect((await again.state()).usercom.users).toEqual([])
    await expect(h.account('nope')).rejects.toThrow(/no account nope/)
  })
})

describe('in process only', () => {
  it('clock.advance refuses to leave the range', async () => {
    ud = await startUserDouble()
    ud.clock.set('9999-12-31T23:59:00Z')
    expect(() => ud!.clock.advance(120)).toThrow(new RangeError('clock.advance: 120 seconds from 9999-12-31T23:59:00.000Z is out of range: the clock takes 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z'))
    expect(ud.clock.state().now).toBe('9999-12-31T23:59:00.000Z')
  })

  it('logger: a given pino logger gets one line per request', async () => {
    const lines: Array<Record<string, unknown>> = []
    const sink = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString())); done() } })
    ud = await startUserDouble({ logger: pino({ level: 'info' }, sink) })
    await fetch(`${ud.url}/__mock/health`)
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(lines.filter(l => l.msg === 'request').map(l => [l.method, l.url, l.statusCode])).toEqual([['GET', '/__mock/health', 200]])
  })

  it('logLevel / config.LOG_LEVEL make a pino logger at that level', async () => {
    ud = await startUserDouble({ logLevel: 'debug' })
    expect(ud.app.log.level).toBe('debug')
    await ud.close()
    ud = await startUserDouble({ config: { LOG_LEVEL: 'warn' } })
    expect(ud.app.log.level).toBe('warn')
  })
})

describe('createControlClient against an instance with ADMIN_TOKEN', () => {
  it('sends the token; without it, a ControlError with the control plane\'s status and code', async () => {
    ud = await startUserDouble({ config: { ADMIN_TOKEN: 'sesame' } })
    const refused = await createControlClient(ud.url).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(ControlError)
    expect(refused).toMatchObject({ status: 401, code: 'unauthorized', message: 'GET /__mock/accounts/default answered 401: the control plane needs Authorization: Bearer <ADMIN_TOKEN>' })
    const client = await createControlClient(ud.url, { adminToken: 'sesame' })
    expect(client.usercom.baseUrl).toBe(`${ud.url}/api/public`)
    expect(await client.health()).toMatchObject({ status: 'ok' })
    await expect(client.addFault({ status: 99 })).rejects.toMatchObject({ status: 400 })
  })
})
