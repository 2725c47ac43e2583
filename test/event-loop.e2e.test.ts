import { monitorEventLoopDelay } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.js'
import { fixedClock } from '../src/kernel/clock.js'
import { openDatabase } from '../src/kernel/database.js'
import { BODY_LIMIT as USERCOM_BODY_LIMIT } from '../src/services/usercom/index.js'
import { MAX_ATTRIBUTES } from '../src/services/usercom/serializer.js'

const ZD_AUTH = 'Basic ' + Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')
const UC_AUTH = 'Token userdouble0usercom0api0key00000000000000000000000000000000000000'
/**
 * The longest the event loop may be held by one request. The bound is ~100 ms; the
 * margin absorbs a shared, noisy machine (GC, other processes), while the quadratic work this
 * guards against took seconds.
 */
const MAX_BLOCK_MS = Number(process.env.MAX_BLOCK_MS ?? 300)

/**
 * The largest requests each vendor accepts, sent to a listening server while `/__mock/health` is
 * polled over another socket: the event loop's longest stall (perf_hooks' histogram, in this
 * process, which is the server's) and the slowest health answer stay under the bound.
 */
async function measure (url: string, send: () => Promise<Response>): Promise<{ status: number, maxDelayMs: number, maxHealthMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 })
  let polling = true
  let maxHealthMs = 0
  const poll = (async () => {
    for (;;) {
      if (!polling) return
      const t0 = performance.now()
      await (await fetch(`${url}/__mock/health`)).arrayBuffer()
      maxHealthMs = Math.max(maxHealthMs, performance.now() - t0)
      await new Promise(resolve => setTimeout(resolve, 5))
    }
  })()
  await new Promise(resolve => setTimeout(resolve, 50))
  h.enable()
  const res = await send()
  await res.arrayBuffer()
  // Long enough for the histogram's timer to have fired at least once after the request.
  await new Promise(resolve => setTimeout(resolve, 30))
  h.disable()
  polling = false
  await poll
  // No sample at all would make max 0 and the bound vacuous.
  expect(h.count).toBeGreaterThan(0)
  return { status: res.status, maxDelayMs: h.max / 1e6, maxHealthMs }
}

describe('no single request holds the event loop', () => {
  it(`User.com update_or_create at the body limit with ${MAX_ATTRIBUTES} attributes, and Zendesk create_or_update_many with 100 users: each under ${MAX_BLOCK_MS} ms`, async () => {
    const db = openDatabase(':memory:')
    const app = await buildApp({ db, clock: fixedClock('2024-01-01T00:00:00Z'), config: { ID_SEED: 1, RATE_LIMITS: 'off' } })
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    try {
      // Warm up: compile the routes' validators and serializers outside the measurement.
      await (await fetch(`${url}/api/public/users/update_or_create/`, { method: 'POST', headers: { authorization: UC_AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ user_id: 'warm', a: 1 }) })).arrayBuffer()
      await (await fetch(`${url}/api/v2/users/create_or_update_many.json`, { method: 'POST', headers: { authorization: ZD_AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ users: [{ name: 'w', email: 'w@example.com' }] }) })).arrayBuffer()

      const attrs: Record<string, string> = { user_id: 'big', email: 'big@example.com' }
      const valueLength = Math.floor((USERCOM_BODY_LIMIT - 4096) / MAX_ATTRIBUTES) - 40
      for (let i = 0; i < MAX_ATTRIBUTES; i++) attrs[`attribute_${String(i).padStart(4, '0')}`] = 'v'.repeat(valueLength)
      const ucBody = JSON.stringify(attrs)
      expect(ucBody.length).toBeLessThanOrEqual(USERCOM_BODY_LIMIT)
      expect(ucBody.length).toBeGreaterThan(USERCOM_BODY_LIMIT * 0.9)
      const uc = await measure(url, () => fetch(`${url}/api/public/users/update_or_create/`, { method: 'POST', headers: { authorization: UC_AUTH, 'content-type': 'application/json' }, body: ucBody }))
      expect(uc.status).toBe(201)
      expect(uc.maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
      expect(uc.maxHealthMs).toBeLessThan(MAX_BLOCK_MS * 2)
      // The same again, now an update of every attribute.
      const again = await measure(url, () => fetch(`${url}/api/public/users/update_or_create/`, { method: 'POST', headers: { authorization: UC_AUTH, 'content-type': 'application/json' }, body: ucBody }))
      expect(again.status).toBe(200)
      expect(again.maxDelayMs).toBeLessThan(MAX_BLOCK_MS)

      // Zendesk: 100 users (the documented maximum), each with identities and long notes; the job runs when the clock moves.
      const users = Array.from({ length: 100 }, (_, i) => ({
        name: `Bulk ${i}`,
        email: `bulk${i}@example.com`,
        notes: 'n'.repeat(5000),
        tags: Array.from({ length: 20 }, (_, t) => `tag${t}`),
        identities: Array.from({ length: 10 }, (_, k) => ({ type: 'email', value: `bulk${i}.${k}@example.com` }))
      }))
      const zd = await measure(url, () => fetch(`${url}/api/v2/users/create_or_update_many.json`, { method: 'POST', headers: { authorization: ZD_AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ users }) }))
      expect(zd.status).toBe(200)
      expect(zd.maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
      app.kernel.clock.advance(5000)
      const run = await measure(url, () => fetch(`${url}/api/v2/users/search.json?query=bulk99@example.com`, { headers: { authorization: ZD_AUTH } }))
      expect(run.status).toBe(200)
      expect(run.maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
      // The job ran: its last user is there.
      const found = await (await fetch(`${url}/api/v2/users/search.json?query=bulk99@example.com`, { headers: { authorization: ZD_AUTH } })).json() as { users: Array<{ name: string }> }
      expect(found.users.map(u => u.name)).toEqual(['Bulk 99'])
      process.stdout.write(`event loop: User.com ${ucBody.length} bytes ${uc.maxDelayMs.toFixed(1)} ms (update ${again.maxDelayMs.toFixed(1)} ms); Zendesk bulk ${zd.maxDelayMs.toFixed(1)} ms, job run ${run.maxDelayMs.toFixed(1)} ms; slowest health ${uc.maxHealthMs.toFixed(1)} ms\n`)
    } finally {
      await app.close()
      db.close()
    }
  }, 60_000)
})
