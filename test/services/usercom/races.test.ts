import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { makeApp } from '../../helpers/app.js'
import { AUTH, setThrottle, UOC } from './helpers.js'

/** Real sockets: the app listens on a free port and the requests race over HTTP. */
let app: FastifyInstance | undefined
afterEach(async () => { await app?.close(); app = undefined })

async function listen (): Promise<string> {
  app = await makeApp()
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

describe('concurrency over real sockets', () => {
  test('100 concurrent update_or_create for one new user_id: one user, one created:true', async () => {
    const base = await listen()
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => fetch(base + UOC, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'race-1', score: i })
    }).then(async r => ({ status: r.status, body: await r.text() }))))
    expect(responses.filter(r => r.status === 201).map(r => r.body)).toEqual(['{"created":true,"id":1}'])
    expect(responses.filter(r => r.status === 200)).toHaveLength(99)
    expect(new Set(responses.filter(r => r.status === 200).map(r => r.body))).toEqual(new Set(['{"created":false,"id":1}']))
    expect(app!.kernel.db.prepare("SELECT count(*) FROM usercom_users WHERE user_id = 'race-1'").pluck().get()).toBe(1)
  })

  test('N parallel requests against a remaining budget of M admit exactly M', async () => {
    const base = await listen()
    setThrottle(app!, 50)
    for (let i = 0; i < 10; i++) expect((await fetch(base + '/api/public/users/', { headers: AUTH })).status).toBe(200)
    const statuses = await Promise.all(Array.from({ length: 200 }, () => fetch(base + '/api/public/users/', { headers: AUTH }).then(r => r.status)))
    expect(statuses.filter(s => s === 200)).toHaveLength(40)
    expect(statuses.filter(s => s === 429)).toHaveLength(160)
  })
})
