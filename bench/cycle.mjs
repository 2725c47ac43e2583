// The fixture cycle, in a fresh process (issue 17, point 3): `node bench/cycle.mjs userdouble|userdouble-new|fastify N`
// prints one JSON line (`routes`: only the first requests of the first app of a fresh process). Each cycle is start → first create_or_update → first GET → close, through
// `app.inject` (no socket for the calls, but both apps listen on port 0 as startUserDouble does).
// `userdouble-new` runs the cycles with `reuse: false` (a new app every time, what the first
// startUserDouble() of a process and every one without reuse cost) and nothing else.
// `userdouble` also times the per-test pattern (createAccount → 3 vendor calls → reset) and the
// first request of each route against the warm one (route schemas compile on first use, per app).
import { readFileSync } from 'node:fs'

const [mode = 'userdouble', countArg = '20'] = process.argv.slice(2)
const CYCLES = Number(countArg)
const REUSE = mode !== 'userdouble-new'
const recorded = JSON.parse(readFileSync(new URL('../test/fixtures/zendesk/create-or-update-201.json', import.meta.url), 'utf8'))
const recordedBody = JSON.stringify(recorded.body)
const zdBody = (i) => JSON.stringify({ user: { name: `Cycle ${i}`, email: `cycle${i}@bench.test`, external_id: `cycle${i}` } })
const now = () => performance.now()
const json = { 'content-type': 'application/json' }

function expectStatus (res, status, what) {
  if (res.statusCode !== status) throw new Error(`${what}: expected ${status}, got ${res.statusCode} ${res.body}`)
}

const zdAuth = (c) => `Basic ${Buffer.from(`${c.email}/token:${c.apiToken}`).toString('base64')}`
const ucAuth = (c) => `Token ${c.apiKey}`

async function userdouble () {
  const t0 = now()
  const { startUserDouble } = await import('../dist/index.js')
  const importMs = now() - t0
  const cycles = []
  for (let i = 0; i < (mode === 'routes' ? 0 : CYCLES); i++) {
    const a = now()
    const ud = await startUserDouble(REUSE ? {} : { reuse: false })
    const b = now()
    const created = await ud.app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { ...json, authorization: zdAuth(ud.zendesk) }, payload: zdBody(i) })
    expectStatus(created, 201, 'create_or_update')
    const c = now()
    const got = await ud.app.inject({ method: 'GET', url: `/api/v2/users/${created.json().user.id}.json`, headers: { authorization: zdAuth(ud.zendesk) } })
    expectStatus(got, 200, 'GET users/{id}')
    const d = now()
    await ud.close()
    const e = now()
    cycles.push({ start: b - a, create: c - b, get: d - c, close: e - d, total: e - a })
  }
  if (!REUSE) return { mode, importMs, cycles }

  // The per-test pattern on one running userdouble: a fresh account, three vendor calls, reset.
  const ud = await startUserDouble()
  const perTest = []
  for (let i = 0; i < (mode === 'routes' ? 0 : CYCLES); i++) {
    const a = now()
    const acct = await ud.createAccount()
    const created = await ud.app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { ...json, authorization: zdAuth(acct.zendesk) }, payload: zdBody(i) })
    expectStatus(created, 201, 'per-test create_or_update')
    const got = await ud.app.inject({ method: 'GET', url: `/api/v2/users/${created.json().user.id}.json`, headers: { authorization: zdAuth(acct.zendesk) } })
    expectStatus(got, 200, 'per-test GET')
    const uc = await ud.app.inject({ method: 'POST', url: '/api/public/users/update_or_create/', headers: { ...json, authorization: ucAuth(acct.usercom) }, payload: JSON.stringify({ user_id: `cycle${i}`, first_name: 'Cycle' }) })
    expectStatus(uc, 201, 'per-test update_or_create')
    await acct.reset()
    perTest.push(now() - a)
  }
  await ud.close()

  // First request of each route on a fresh app (its schemas compile then) against the median of
  // the next five. Measured on the first app of this process and on a later one.
  const routes = async (app, c) => {
    const z = { authorization: zdAuth(c.zendesk) }
    const u = { authorization: ucAuth(c.usercom) }
    let zdId = 0
    let ucId = 0
    let n = 0
    return [
      ['POST /api/v2/users/create_or_update.json', () => app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { ...json, ...z }, payload: zdBody(`r${n++}`) }), 201, (r) => { zdId ||= r.json().user.id }],
      ['GET /api/v2/users/{id}.json', () => app.inject({ method: 'GET', url: `/api/v2/users/${zdId}.json`, headers: z }), 200],
      ['PUT /api/v2/users/{id}.json', () => app.inject({ method: 'PUT', url: `/api/v2/users/${zdId}.json`, headers: { ...json, ...z }, payload: '{"user":{"name":"Renamed"}}' }), 200],
      ['GET /api/v2/users/search.json?query=', () => app.inject({ method: 'GET', url: '/api/v2/users/search.json?query=email%3Acycler0%40bench.test', headers: z }), 200],
      ['POST /api/public/users/update_or_create/', () => app.inject({ method: 'POST', url: '/api/public/users/update_or_create/', headers: { ...json, ...u }, payload: JSON.stringify({ user_id: `r${n++}`, first_name: 'Route' }) }), 201, (r) => { ucId ||= r.json().id }],
      ['GET /api/public/users/{id}/', () => app.inject({ method: 'GET', url: `/api/public/users/${ucId}/`, headers: u }), 200],
      ['POST /__mock/accounts', () => app.inject({ method: 'POST', url: '/__mock/accounts', headers: json, payload: '{}' }), 201],
      ['POST /__mock/reset', () => app.inject({ method: 'POST', url: '/__mock/reset' }), 200]
    ]
  }
  const firstRequests = async () => {
    // Six PUTs of one user would trip Zendesk's per-user limit (5/min): counted, never reached.
    const ud = await startUserDouble({ config: { ZENDESK_USER_RATE_LIMIT: 1_000_000_000 } })
    const out = []
    for (const [name, call, status, after] of await routes(ud.app, ud)) {
      const times = []
      for (let i = 0; i < 6; i++) {
        const a = now()
        const res = await call()
        times.push(now() - a)
        expectStatus(res, status, name)
        after?.(res)
      }
      out.push({ route: name, first: times[0], warm: median(times.slice(1)) })
    }
    await ud.close()
    return out
  }
  if (mode === 'routes') return { mode, importMs, firstApp: await firstRequests() }
  // This process has run many cycles by now: "later app" is what every test after the first sees.
  const laterApp = await firstRequests()
  return { mode, importMs, cycles, perTest, laterApp }
}

// The bare-Fastify counterpart: the same calls on an app answering the recorded body.
async function fastify () {
  const t0 = now()
  const { default: Fastify } = await import('fastify')
  const importMs = now() - t0
  const cycles = []
  for (let i = 0; i < CYCLES; i++) {
    const a = now()
    const app = Fastify({ logger: false })
    app.post('/api/v2/users/create_or_update.json', async (_req, reply) => reply.code(201).type('application/json; charset=utf-8').send(recordedBody))
    app.get('/api/v2/users/:id.json', async (_req, reply) => reply.code(200).type('application/json; charset=utf-8').send(recordedBody))
    await app.listen({ host: '127.0.0.1', port: 0 })
    const b = now()
    const created = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: json, payload: zdBody(i) })
    expectStatus(created, 201, 'create_or_update')
    const c = now()
    const got = await app.inject({ method: 'GET', url: `/api/v2/users/${created.json().user.id}.json` })
    expectStatus(got, 200, 'GET')
    const d = now()
    await app.close()
    const e = now()
    cycles.push({ start: b - a, create: c - b, get: d - c, close: e - d, total: e - a })
  }
  return { mode, importMs, cycles }
}

function median (xs) { return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] }

const result = mode === 'fastify' ? await fastify() : await userdouble()
process.stdout.write(JSON.stringify(result) + '\n')
