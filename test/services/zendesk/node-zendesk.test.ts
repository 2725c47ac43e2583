import type { FastifyInstance } from 'fastify'
import { createClient } from 'node-zendesk'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { EMAIL, OAUTH, TOKEN } from './helpers.js'

/**
 * The npm client node-zendesk v6 against a started userdouble on real sockets, pointed at it the
 * way docs/zendesk.md says: `endpointUri: 'http://127.0.0.1:PORT/api/v2'` (v6 ignores `remoteUri`).
 */

async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}/api/v2`
}

/** node-zendesk's declared types leave `response` as `object`; this is what it resolves with. */
interface Answer { response: { status: number, headers: { get: (name: string) => string | null } }, result: unknown }
const answer = (p: Promise<unknown>): Promise<Answer> => p as Promise<Answer>

function setUserLimit (app: FastifyInstance, zendesk: Record<string, number>): void {
  app.kernel.accounts.saveSettings('default', { rateLimits: { zendesk } })
}

describe('node-zendesk v6', () => {
  test('username + token: createOrUpdate creates (201) then updates (200, same id); show reads it back', async ({ app }) => {
    const endpointUri = await listen(app)
    const client = createClient({ username: EMAIL, token: TOKEN, endpointUri })
    const created = await answer(client.users.createOrUpdate({ user: { name: 'Node Client', email: 'node@example.com', external_id: 'node-1' } }))
    expect(created.response.status).toBe(201)
    const user = created.result as unknown as { id: number, url: string, name: string }
    expect(user).toMatchObject({ name: 'Node Client' })
    expect(user.url).toBe(`${endpointUri}/users/${user.id}.json`)

    const updated = await answer(client.users.createOrUpdate({ user: { external_id: 'node-1', name: 'Node Client 2' } }))
    expect(updated.response.status).toBe(200)
    expect((updated.result as unknown as { id: number }).id).toBe(user.id)

    const shown = await client.users.show(user.id)
    expect(shown.result).toMatchObject({ id: user.id, name: 'Node Client 2', email: 'node@example.com' })
  })

  test('oauth: true with the bearer token works', async ({ app }) => {
    const client = createClient({ token: OAUTH, oauth: true, endpointUri: await listen(app) })
    const res = await answer(client.users.createOrUpdate({ user: { name: 'Bearer', email: 'bearer@example.com' } }))
    expect(res.response.status).toBe(201)
  })

  test('a wrong token gets its 401 (node-zendesk throws)', async ({ app }) => {
    const client = createClient({ username: EMAIL, token: 'wrong', endpointUri: await listen(app) })
    await expect(client.users.createOrUpdate({ user: { name: 'x', email: 'x@example.com' } })).rejects.toThrow('Request processing failed: Zendesk Error (401): Not Authorized')
  })

  test('a 422 throws with the status in its message', async ({ app }) => {
    const client = createClient({ username: EMAIL, token: TOKEN, endpointUri: await listen(app) })
    // node-zendesk's JSDoc example leaves out the `user` wrapper (node-zendesk#420).
    await expect(client.users.createOrUpdate({ name: 'Unwrapped', email: 'u@example.com' } as never)).rejects.toThrow('Request processing failed: Zendesk Error (422): Unprocessable Entity')
  })

  test('meeting a 429 it RESOLVES with an Error as result instead of throwing (its Retry-After quirk)', async ({ app }) => {
    const client = createClient({ username: EMAIL, token: TOKEN, endpointUri: await listen(app) })
    const body = { user: { name: 'Limited', email: 'limited@example.com' } }
    for (let i = 0; i < 5; i++) await client.users.createOrUpdate(body)
    const sixth = await answer(client.users.createOrUpdate(body))
    expect(sixth.response.status).toBe(429)
    expect(sixth.result).toBeInstanceOf(Error)
    // Whatever the limit, node-zendesk names "200 requests per minute" (node-zendesk#126).
    expect((sixth.result as unknown as Error).message).toBe('Zendesk rate limits 200 requests per minute')
    expect((sixth.result as unknown as { statusCode: number }).statusCode).toBe(429)
    expect(sixth.response.headers.get('retry-after')).toBe('60')
  })

  test('createOrUpdateMany gives the job_status; jobstatuses.show follows it on the clock', async ({ app, clock }) => {
    const client = createClient({ username: EMAIL, token: TOKEN, endpointUri: await listen(app) })
    const res = await answer(client.users.createOrUpdateMany({ users: [{ name: 'Bulk', email: 'bulk@example.com' }] } as never))
    const job = (res.result as unknown as { job_status: { id: string, status: string } }).job_status
    expect(job.status).toBe('queued')
    clock.advance(2000)
    const done = await client.jobstatuses.show(job.id)
    expect(done.result).toMatchObject({ job_status: { id: job.id, status: 'completed', total: 1 } })
  })
})

describe('races on real sockets', () => {
  test('100 concurrent create_or_update for one new external_id: one user, one 201, the rest 200', async ({ app }) => {
    // The per-user limit (5/min) would refuse 95 of them: it is not what this test is about.
    setUserLimit(app, { perUserPerMinute: 0 })
    const endpointUri = await listen(app)
    const authorization = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => fetch(`${endpointUri}/users/create_or_update.json`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { name: `Racer ${i}`, external_id: 'race-1', email: 'race@example.com' } })
    }).then(async r => ({ status: r.status, id: ((await r.json()) as { user: { id: number } }).user.id }))))
    expect(answers.filter(a => a.status === 201)).toHaveLength(1)
    expect(answers.filter(a => a.status === 200)).toHaveLength(99)
    expect(new Set(answers.map(a => a.id)).size).toBe(1)
    expect(app.kernel.db.prepare('SELECT count(*) FROM zendesk_users').pluck().get()).toBe(1)
  })

  test('200 parallel requests over sockets against a budget of 50 admit exactly 50', async ({ app }) => {
    setUserLimit(app, { perMinute: 50 })
    const endpointUri = await listen(app)
    const authorization = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`
    const codes = await Promise.all(Array.from({ length: 200 }, () => fetch(`${endpointUri}/users/search.json?query=x`, { headers: { authorization } }).then(r => r.status)))
    expect(codes.filter(c => c === 200)).toHaveLength(50)
    expect(codes.filter(c => c === 429)).toHaveLength(150)
  })
})
