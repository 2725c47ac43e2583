import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startUserDouble, type AccountHandle, type StartOptions, type UserDouble } from 'userdouble'

/**
 * `startUserDouble()` reuses the app an earlier `close()` set aside (src/in-process.ts): the app
 * must then give exactly what a new one gives, the old handle must be dead, and closing must not
 * hang on open connections.
 */

const CLOSED = /^this userdouble is closed: start another with startUserDouble\(\)$/
/** The Host header of every injected request, the same on both apps compared. */
const HOST = 'userdouble.test:4010'
/** The first id of a Zendesk sequence (users, fields), whatever the seed. */
const FIRST_ZENDESK_ID = 360000000128

/** Apps seen by `start`, to close the spares left in this file's pool at the end. */
const seen = new Set<FastifyInstance>()
let started: UserDouble[] = []

/** Starts userdouble; the test's handles are closed after it (a second `close()` does nothing). */
async function start (options?: StartOptions): Promise<UserDouble> {
  const ud = await startUserDouble(options)
  started.push(ud)
  seen.add(ud.app)
  return ud
}

afterEach(async () => {
  for (const ud of started) await ud.close()
  started = []
})

// Only default options leave spares behind (other configurations are discarded where used).
afterAll(async () => {
  for (;;) {
    const ud = await startUserDouble()
    const spare = seen.has(ud.app)
    await discard(ud)
    if (!spare) return
  }
})

/** Closes the handle and its app for good, as a user's `app.close()` does: never reused. */
async function discard (ud: UserDouble): Promise<void> {
  await ud.app.close()
  await ud.close()
}

/**
 * Identity, not `toBe`: on a mismatch vitest would print both Fastify instances, and reading a
 * closed one's `listeningOrigin` throws, which hides the assertion's message.
 */
const same = (a: FastifyInstance, b: FastifyInstance): boolean => a === b

/** Closes `ud` and starts again with `options`: the app `ud` had must come back, made fresh. */
async function reopen (ud: UserDouble, options?: StartOptions): Promise<UserDouble> {
  const app = ud.app
  await ud.close()
  const next = await start(options)
  expect(same(next.app, app), 'the closed app is reused').toBe(true)
  return next
}

const basic = (a: Pick<AccountHandle, 'zendesk'>): string => `Basic ${Buffer.from(`${a.zendesk.email}/token:${a.zendesk.apiToken}`).toString('base64')}`
const token = (a: Pick<AccountHandle, 'usercom'>): string => `Token ${a.usercom.apiKey}`

interface Answer { status: number, headers: Record<string, unknown>, body: unknown }

async function call (app: FastifyInstance, method: 'GET' | 'POST', url: string, authorization?: string, body?: unknown): Promise<Answer> {
  const res = await app.inject({
    method,
    url,
    headers: { host: HOST, ...(authorization ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) })
  })
  let parsed: unknown = res.body
  try { parsed = JSON.parse(res.body) } catch { /* not JSON: kept as text */ }
  return { status: res.statusCode, headers: { ...res.headers }, body: parsed }
}

const userId = (a: Answer): number => (a.body as { user: { id: number } }).user.id

/**
 * A run's results without what differs between two equivalent runs, and only that:
 * - the port each app listens on (`ud.url`, in handles' `baseUrl` and in state dumps): each
 *   start takes a free port, so it becomes `ORIGIN`;
 * - Node's `date` response header (answers and journal entries): the real wall time of the
 *   answer, not the emulated clock;
 * - journal entries' `durationMs`: how long the request really took;
 * - the default account's `createdAt`: written at start, and again at reuse, from the real time
 *   (the clock is real then; the script sets it only later). users/me would show it too, as its
 *   agent's `created_at`, so the script does not ask it as the default account;
 * - `/__mock/health`'s `uptime`: seconds since the app's real start.
 */
function normalise (value: unknown, url: string, holder?: string): unknown {
  if (typeof value === 'string') return value.replaceAll(url, 'ORIGIN')
  if (Array.isArray(value)) return value.map(v => normalise(v, url))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    if (key === 'date' && (holder === 'headers' || holder === 'responseHeaders')) continue
    if (key === 'durationMs' || key === 'uptime') continue
    if (key === 'createdAt' && (value as { id?: unknown }).id === 'default') continue
    out[key] = normalise(v, url, key)
  }
  return out
}

/**
 * Dirties every part `restoreFresh` must bring back: rows, accounts, id sequences and PRNGs, the
 * cached user-field definitions, bulk jobs, faults, limits and their windows, the journal, the
 * clock. It runs at the instant the script starts at, so windows it left would show in the
 * script's rate-limit headers.
 */
async function dirty (ud: UserDouble): Promise<void> {
  const app = ud.app
  ud.clock.set('2031-05-06T07:08:09Z')
  await ud.setRateLimits({ zendesk: { perMinute: 50 }, usercom: { perPeriod: 30 } })
  for (let i = 0; i < 3; i++) {
    const res = await call(app, 'POST', '/api/v2/users/create_or_update.json', basic(ud), { user: { name: `Old ${i}`, email: `old${i}@example.com`, external_id: `old-${i}` } })
    expect(res.status).toBe(201)
  }
  expect((await call(app, 'POST', '/api/v2/user_fields.json', basic(ud), { user_field: { type: 'text', key: 'old_field', title: 'Old field' } })).status).toBe(201)
  // Renders a user with the field, so the store caches the account's definitions.
  expect((await call(app, 'POST', '/api/v2/users/create_or_update.json', basic(ud), { user: { name: 'Old 3', email: 'ada@example.com', user_fields: { old_field: 'x' } } })).status).toBe(201)
  expect((await call(app, 'POST', '/api/v2/users/create_or_update_many.json', basic(ud), { users: [{ name: 'Old 4', email: 'old4@example.com' }] })).status).toBe(200)
  expect((await call(app, 'GET', '/api/v2/users/me.json', basic(ud))).status).toBe(200)
  for (let i = 0; i < 2; i++) {
    const res = await call(app, 'POST', '/api/public/users/update_or_create/', token(ud), { user_id: `old-${i}`, email: `old${i}@example.com` })
    expect(res.status).toBe(201)
  }
  const extra = await ud.createAccount()
  const fixed = await ud.createAccount({ id: 'acct-fixed' })
  expect((await call(app, 'POST', '/api/v2/users/create_or_update.json', basic(fixed), { user: { name: 'Fixed', email: 'fixed@example.com' } })).status).toBe(201)
  expect((await call(app, 'POST', '/api/public/users/update_or_create/', token(extra), { user_id: 'x', email: 'x@example.com' })).status).toBe(201)
  await ud.addFault({ vendor: 'zendesk', path: '/api/v2/users/*', status: 503, body: { error: 'down' } })
  await fixed.addFault({ vendor: 'usercom', status: 500, probability: 0.5 })
  expect((await call(app, 'GET', '/api/v2/users/1.json', basic(ud))).status).toBe(503)
  expect((await ud.requests()).length).toBe(12)
  ud.clock.advance(30)
}

/** One session over both vendors and the control plane: everything it saw, in order. */
async function script (ud: UserDouble): Promise<unknown[]> {
  const app = ud.app
  const out: unknown[] = []
  ud.clock.set('2031-05-06T07:08:09Z')
  const zd = basic(ud)
  const uc = token(ud)

  // Zendesk: create_or_update a new user and then the same one, a field, a user with a value.
  const ada = await call(app, 'POST', '/api/v2/users/create_or_update.json', zd, { user: { name: 'Ada', email: 'ada@example.com', external_id: 'ext-ada' } })
  expect(ada.status).toBe(201)
  expect(userId(ada)).toBe(FIRST_ZENDESK_ID)
  const again = await call(app, 'POST', '/api/v2/users/create_or_update.json', zd, { user: { email: 'ada@example.com', name: 'Ada Lovelace' } })
  expect(again.status).toBe(200)
  expect(userId(again)).toBe(FIRST_ZENDESK_ID)
  const field = await call(app, 'POST', '/api/v2/user_fields.json', zd, { user_field: { type: 'text', key: 'plan', title: 'Plan' } })
  expect(field.status).toBe(201)
  const bob = await call(app, 'POST', '/api/v2/users/create_or_update.json', zd, { user: { name: 'Bob', email: 'bob@example.com', user_fields: { plan: 'gold' } } })
  expect(bob.status).toBe(201)
  expect((bob.body as { user: { user_fields: unknown } }).user.user_fields).toEqual({ plan: 'gold' })
  out.push(ada, again, field, bob)
  out.push(await call(app, 'GET', `/api/v2/users/${userId(ada)}.json`, zd))
  out.push(await call(app, 'GET', '/api/v2/users/search.json?query=bob@example.com', zd))
  out.push(await call(app, 'GET', '/api/v2/users/search.json?query=Ada', zd))
  out.push(await call(app, 'GET', '/api/v2/user_fields.json', zd))
  // The job id draws a token from the seeded PRNG.
  const job = await call(app, 'POST', '/api/v2/users/create_or_update_many.json', zd, { users: [{ name: 'Cy', email: 'cy@example.com' }, { name: 'Ada L.', email: 'ada@example.com' }] })
  expect(job.status).toBe(200)
  out.push(job)
  ud.clock.advance(3)
  const done = await call(app, 'GET', `/api/v2/job_statuses/${(job.body as { job_status: { id: string } }).job_status.id}.json`, zd)
  expect((done.body as { job_status: { status: string } }).job_status.status).toBe('completed')
  out.push(done)
  const wrong = await call(app, 'GET', '/api/v2/users.json', `Basic ${Buffer.from(`${ud.zendesk.email}/token:wrong`).toString('base64')}`)
  expect(wrong.status).toBe(401)
  const unknownUser = await call(app, 'GET', '/api/v2/users/999999.json', zd)
  expect(unknownUser.status).toBe(404)
  const noRoute = await call(app, 'GET', '/api/v2/no_such_thing.json', zd)
  expect(noRoute.status).toBe(404)
  out.push(wrong, unknownUser, noRoute)

  // User.com: update_or_create a new user and then the same one, GET it, a wrong key, no route.
  const una = await call(app, 'POST', '/api/public/users/update_or_create/', uc, { user_id: 'u1', email: 'u1@example.com', first_name: 'Una' })
  expect(una.status).toBe(201)
  const unaAgain = await call(app, 'POST', '/api/public/users/update_or_create/', uc, { user_id: 'u1', last_name: 'One' })
  expect(unaAgain.status).toBe(200)
  out.push(una, unaAgain)
  out.push(await call(app, 'GET', `/api/public/users/${(una.body as { id: number }).id}/`, uc))
  const badKey = await call(app, 'GET', '/api/public/users/', 'Token nope')
  expect(badKey.status).toBe(401)
  const noPath = await call(app, 'GET', '/api/public/no_such_thing/', uc)
  expect(noPath.status).toBe(404)
  out.push(badKey, noPath)

  // Accounts: the id the dirty session took is free again; a generated one comes from ID_SEED.
  const fixed = await ud.createAccount({ id: 'acct-fixed' })
  const generated = await ud.createAccount()
  expect(generated.id).toMatch(/^acct-[0-9a-f]{10}$/)
  for (const a of [fixed, generated]) out.push({ id: a.id, zendesk: a.zendesk, usercom: a.usercom })
  out.push(await call(app, 'POST', '/api/public/users/update_or_create/', token(generated), { user_id: 'g1', email: 'g1@example.com' }))
  out.push(await call(app, 'POST', '/api/v2/users/create_or_update.json', basic(fixed), { user: { name: 'Fixed', email: 'fixed@example.com' } }))
  // users/me draws a token from the seeded PRNG too. Asked as an account made here: the agent it
  // shows was created with the account, and the default account's is the real start time.
  out.push(await call(app, 'GET', '/api/v2/users/me.json', basic(generated)))
  ud.clock.advance(90)

  // The control plane.
  const journal = await ud.requests()
  expect(journal.map(e => e.id)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1))
  expect(journal[0]!.time).toBe('2031-05-06T07:08:09.000Z')
  expect(journal.at(-1)!.time).toBe('2031-05-06T07:08:12.000Z')
  out.push(journal)
  out.push(await ud.state(), await generated.state(), await fixed.state())
  out.push(await ud.rateLimits(), await fixed.rateLimits())
  const faults = await ud.faults()
  expect(faults).toEqual([])
  out.push(faults, await fixed.faults())
  const clock = ud.clock.state()
  expect(clock).toEqual({ mode: 'frozen', now: '2031-05-06T07:09:42.000Z', offsetMs: 0 })
  out.push(clock)
  out.push(await call(app, 'GET', '/__mock/accounts'))
  // Not its headers: content-length counts the digits of the uptime.
  const health = await call(app, 'GET', '/__mock/health')
  out.push({ status: health.status, body: health.body })
  return out
}

describe('a reused app', () => {
  it('gives exactly what a new app with the same configuration gives', async () => {
    const options = { config: { ID_SEED: 42 } }
    const first = await start(options)
    const app = first.app
    await dirty(first)

    const reused = await reopen(first, options)
    const onReused = normalise(await script(reused), reused.url)
    await discard(reused)

    const fresh = await start({ ...options, reuse: false })
    expect(same(fresh.app, app)).toBe(false)
    const onFresh = normalise(await script(fresh), fresh.url)
    await fresh.close()

    expect(onReused).toEqual(onFresh)
  })

  it('keeps nothing of the previous session and listens on its new port', async () => {
    const first = await start()
    first.clock.set('2030-01-01T00:00:00Z')
    const created = await fetch(`${first.zendesk.baseUrl}/users/create_or_update.json`, {
      method: 'POST',
      headers: { authorization: basic(first), 'content-type': 'application/json' },
      body: JSON.stringify({ user: { name: 'Old', email: 'old@example.com' } })
    })
    expect(created.status).toBe(201)
    const { user } = await created.json() as { user: { id: number } }

    const next = await reopen(first)
    const { port } = next.app.server.address() as AddressInfo
    expect(next.url).toBe(`http://127.0.0.1:${port}`)
    expect(next.zendesk.baseUrl).toBe(`http://127.0.0.1:${port}/api/v2`)
    expect(next.usercom.baseUrl).toBe(`http://127.0.0.1:${port}/api/public`)
    expect(await next.requests()).toEqual([])
    expect(next.clock.state().mode).toBe('real')

    const gone = await fetch(`${next.zendesk.baseUrl}/users/${user.id}.json`, { headers: { authorization: basic(next) } })
    expect(gone.status).toBe(404)
    expect(await gone.json()).toEqual({ error: 'RecordNotFound', description: 'Not found' })
    const journal = await next.requests()
    expect(journal.map(e => [e.id, e.method, e.path, e.status])).toEqual([[1, 'GET', `/api/v2/users/${user.id}.json`, 404]])
  })
})

describe('which app startUserDouble() reuses', () => {
  it('one set aside with the same options; never with reuse: false, a log level or host localhost', async () => {
    const first = await start()
    const app = first.app
    const second = await reopen(first)
    await second.close()

    // Another configuration builds its own app, and gets that one back in turn.
    const limited = await start({ config: { ZENDESK_RATE_LIMIT: 123 } })
    const limitedApp = limited.app
    expect(same(limitedApp, app)).toBe(false)
    expect((await limited.rateLimits()).zendesk.perMinute).toBe(123)
    await limited.close()
    const limitedAgain = await start({ config: { ZENDESK_RATE_LIMIT: 123 } })
    expect(same(limitedAgain.app, limitedApp), 'the closed app of that configuration is reused').toBe(true)
    expect((await limitedAgain.rateLimits()).zendesk.perMinute).toBe(123)
    await discard(limitedAgain)

    for (const options of [{ reuse: false }, { logLevel: 'silent' as const }, { host: 'localhost' }]) {
      const other = await start(options)
      const otherApp = other.app
      expect(same(otherApp, app), JSON.stringify(options)).toBe(false)
      expect((await fetch(`${other.url}/__mock/health`)).status).toBe(200)
      await other.close()
      // Closed for good: the same options build again.
      const again = await start(options)
      expect(same(again.app, otherApp), JSON.stringify(options)).toBe(false)
      await again.close()
    }

    // The default configuration's spare waited meanwhile.
    const back = await start()
    expect(same(back.app, app), 'the closed app is reused').toBe(true)
  })

  it('never one over a file database, whose data stays across starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userdouble-reuse-'))
    try {
      const options = { config: { DATABASE_PATH: join(dir, 'userdouble.db') } }
      const first = await start(options)
      const app = first.app
      const created = await call(app, 'POST', '/api/v2/users/create_or_update.json', basic(first), { user: { name: 'Kept', email: 'kept@example.com' } })
      expect(created.status).toBe(201)
      await first.close()

      const second = await start(options)
      expect(same(second.app, app)).toBe(false)
      const kept = await call(second.app, 'GET', `/api/v2/users/${userId(created)}.json`, basic(second))
      expect(kept.status).toBe(200)
      expect(kept.body).toMatchObject({ user: { id: userId(created), name: 'Kept', email: 'kept@example.com' } })
      await second.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('two different apps to two concurrent starts, before and after both closed', async () => {
    const [a, b] = await Promise.all([start(), start()])
    const apps = [a!.app, b!.app]
    expect(same(apps[0]!, apps[1]!)).toBe(false)
    for (const ud of [a!, b!]) expect((await fetch(`${ud.url}/__mock/health`)).status).toBe(200)
    await Promise.all([a!.close(), b!.close()])

    const [c, d] = await Promise.all([start(), start()])
    expect(same(c!.app, d!.app)).toBe(false)
    for (const ud of [c!, d!]) {
      expect(apps.some(app => same(app, ud.app)), 'a closed app is reused').toBe(true)
      // Each one fresh: the account's first user gets the first id.
      const res = await call(ud.app, 'POST', '/api/v2/users/create_or_update.json', basic(ud), { user: { name: 'Ada', email: 'ada@example.com' } })
      expect(res.status).toBe(201)
      expect(userId(res)).toBe(FIRST_ZENDESK_ID)
      expect((await fetch(`${ud.url}/__mock/health`)).status).toBe(200)
    }
  })
})

describe('a closed handle', () => {
  it('refuses every method, its URL refuses connections, and close() again resolves', async () => {
    const ud = await start()
    const account = await ud.createAccount()
    const url = ud.url
    await ud.close()

    expect(() => ud.app).toThrow(CLOSED)
    await expect(ud.state()).rejects.toThrow(CLOSED)
    await expect(ud.requests()).rejects.toThrow(CLOSED)
    await expect(ud.waitForRequest({}, { timeout: 10 })).rejects.toThrow(CLOSED)
    await expect(ud.createAccount()).rejects.toThrow(CLOSED)
    await expect(ud.account('default')).rejects.toThrow(CLOSED)
    await expect(ud.reset()).rejects.toThrow(CLOSED)
    await expect(ud.addFault({ status: 500 })).rejects.toThrow(CLOSED)
    await expect(account.reset()).rejects.toThrow(CLOSED)
    await expect(account.state()).rejects.toThrow(CLOSED)
    expect(() => ud.clock.state()).toThrow(CLOSED)
    expect(() => { ud.clock.set('2030-01-01T00:00:00Z') }).toThrow(CLOSED)
    await expect(fetch(`${url}/__mock/health`)).rejects.toThrow('fetch failed')
    await expect(ud.close()).resolves.toBeUndefined()
  })

  it('does not reach the app a later start reuses, even when closed again', async () => {
    const ud = await start()
    const next = await reopen(ud)
    await expect(ud.requests()).rejects.toThrow(CLOSED)
    await ud.close()
    expect((await fetch(`${next.url}/__mock/health`)).status).toBe(200)
    expect((await next.requests()).map(e => e.path)).toEqual([])
  })
})

describe('app.close() by a user', () => {
  it('before ud.close(): both resolve, and the app is not given again', async () => {
    const ud = await start()
    const app = ud.app
    await ud.app.close()
    await ud.close()
    const next = await start()
    expect(same(next.app, app)).toBe(false)
    const res = await call(next.app, 'POST', '/api/v2/users/create_or_update.json', basic(next), { user: { name: 'Ada', email: 'ada@example.com' } })
    expect(res.status).toBe(201)
    expect((await fetch(`${next.url}/__mock/health`)).status).toBe(200)
  })

  it('on a reused app: it stops listening and is not given again', async () => {
    const first = await start()
    const app = first.app
    const reused = await reopen(first)
    const url = reused.url
    await reused.app.close()
    await reused.close()
    await expect(fetch(`${url}/__mock/health`)).rejects.toThrow('fetch failed')
    const next = await start()
    expect(same(next.app, app)).toBe(false)
    expect((await fetch(`${next.url}/__mock/health`)).status).toBe(200)
  })

  it('after ud.close() set the app aside: it is not given again', async () => {
    const ud = await start()
    const app = ud.app
    await ud.close()
    await app.close()
    const next = await start()
    expect(same(next.app, app)).toBe(false)
    expect((await fetch(`${next.url}/__mock/health`)).status).toBe(200)
  })
})

describe('close() with open connections', () => {
  it('does not wait for a keep-alive connection or an event stream, and ends the stream', { timeout: 5000 }, async () => {
    const ud = await start()
    const app = ud.app
    // undici keeps this connection open for a next fetch.
    const health = await fetch(`${ud.url}/__mock/health`)
    expect(health.status).toBe(200)
    await health.arrayBuffer()
    const stream = await fetch(`${ud.url}/__mock/requests/stream`)
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const reader = stream.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe('retry: 2000\n: userdouble journal\n\n')

    await ud.close()
    expect(await reader.read()).toEqual({ done: true, value: undefined })

    // The reused app serves requests, and streams the new journal from id 1.
    const next = await start()
    expect(same(next.app, app), 'the closed app is reused').toBe(true)
    const again = await fetch(`${next.url}/__mock/requests/stream`)
    const events = again.body!.getReader()
    expect(new TextDecoder().decode((await events.read()).value)).toBe('retry: 2000\n: userdouble journal\n\n')
    expect((await fetch(`${next.zendesk.baseUrl}/users/me.json`)).status).toBe(200)
    const event = new TextDecoder().decode((await events.read()).value)
    expect(event).toMatch(/^id: 1\nevent: request\ndata: \{"account":null,"vendor":"zendesk","method":"GET","path":"\/api\/v2\/users\/me.json",/)
    await events.cancel()
  })
})

describe('the spares', () => {
  it('are at most four, the oldest closed for good: a new configuration is still reused after four others', async () => {
    for (const n of [1, 2, 3, 4]) await (await start({ config: { ZENDESK_RATE_LIMIT: n } })).close()
    const ud = await start({ config: { ID_SEED: 42 } })
    const app = ud.app
    await ud.close()
    const again = await start({ config: { ID_SEED: 42 } })
    expect(again.app).toBe(app)
  })

  it('stay four when six handles close at once', async () => {
    const uds = await Promise.all(Array.from({ length: 6 }, async () => await start({ config: { ID_SEED: 7 } })))
    const apps = new Set(uds.map(u => u.app))
    await Promise.all(uds.map(async u => { await u.close() }))
    const next = await Promise.all(Array.from({ length: 6 }, async () => await start({ config: { ID_SEED: 7 } })))
    expect(next.filter(u => apps.has(u.app))).toHaveLength(4)
    for (const u of next) expect((await u.app.inject({ method: 'GET', url: '/__mock/health' })).statusCode).toBe(200)
  })

  it('a second close() waits for the first, so the next start reuses the app', async () => {
    const ud = await start({ config: { ID_SEED: 8 } })
    const app = ud.app
    const first = ud.close()
    await ud.close()
    await first
    const next = await start({ config: { ID_SEED: 8 } })
    expect(next.app).toBe(app)
  })
})
