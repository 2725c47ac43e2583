import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { startUserDouble, type UserDouble } from 'userdouble'

let ud: UserDouble | undefined
afterEach(async () => { await ud?.close(); ud = undefined })

describe('startUserDouble()', () => {
  it('listens on a free port with an in-memory database and the default credentials', async () => {
    ud = await startUserDouble()
    expect(ud.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(ud.zendesk).toEqual({ subdomain: 'userdouble', email: 'admin@userdouble.test', apiToken: 'userdoubleZendeskApiToken0000000000000000', password: 'userdouble-password', oauthToken: 'userdouble0zendesk0oauth0token00000000000000000000000000000000000', baseUrl: `${ud.url}/api/v2` })
    expect(ud.usercom).toEqual({ apiKey: 'userdouble0usercom0api0key00000000000000000000000000000000000000', baseUrl: `${ud.url}/api/public` })
    const health = await (await fetch(`${ud.url}/__mock/health`)).json() as { database: string }
    expect(health.database).toBe('memory')
  })

  it('clock.set throws on an invalid date or one a timestamp cannot show, and leaves the clock alone', async () => {
    ud = await startUserDouble()
    ud.clock.set('2030-01-02T03:04:05Z')
    expect(() => { ud!.clock.set('2030-13-45') }).toThrow('"2030-13-45" is not a valid ISO 8601 date')
    expect(() => { ud!.clock.set('+010000-01-01T00:00:00Z') }).toThrow(/is not an ISO 8601 instant/)
    expect(() => { ud!.clock.set('+275761-01-01T00:00:00Z') }).toThrow(/is not an ISO 8601 instant/)
    expect(() => { ud!.clock.advance(1e13) }).toThrow(RangeError)
    const clock = await (await fetch(`${ud.url}/__mock/clock`)).json() as { now: string }
    expect(clock.now).toBe('2030-01-02T03:04:05.000Z')
  })

  // How fast it starts is the bench's to measure (startUserDouble() in-process, median of 5).
  it('starts and closes', async () => {
    ud = await startUserDouble()
    await ud.close()
    await expect(fetch(`${ud.url}/__mock/health`)).rejects.toThrow()
    ud = undefined
  })

  it('createAccount gives an isolated account; reset and requests work per account', async () => {
    ud = await startUserDouble()
    const worker = await ud.createAccount()
    expect(worker.id).not.toBe('default')
    expect(worker.zendesk.baseUrl).toBe(`${ud.url}/api/v2`)
    const res = await fetch(`${worker.usercom.baseUrl}/users/update_or_create/`, {
      method: 'POST',
      headers: { authorization: `Token ${worker.usercom.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'u1', email: 'a@example.com' })
    })
    expect(res.status).toBe(201)
    const mine = await worker.requests()
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ account: worker.id, vendor: 'usercom', method: 'POST', path: '/api/public/users/update_or_create/', status: 201 })
    expect(mine[0]!.headers.authorization).toBe('Token ***')
    expect(await ud.requests({ account: 'default' })).toEqual([])
    const state = await worker.state()
    expect((state.usercom as { users: unknown[] }).users).toHaveLength(1)
    await worker.reset()
    expect(((await worker.state()).usercom as { users: unknown[] }).users).toHaveLength(0)
    expect(await worker.requests()).toEqual([])
  })

  it('is what docs/in-process.md shows', () => {
    const page = readFileSync(new URL('../docs/in-process.md', import.meta.url), 'utf8')
    for (const file of ['global-setup.ts', 'users.e2e.test.ts']) {
      const source = readFileSync(new URL(`./examples/vitest/${file}`, import.meta.url), 'utf8')
      expect(page).toContain(source.trim())
    }
  })
})
