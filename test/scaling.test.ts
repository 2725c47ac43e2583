import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUserDouble, type UserDouble } from 'userdouble'
import { pickUpstream, routeKey } from '../scripts/scaling/route.js'
import { startProxy, type Proxy } from '../scripts/scaling/proxy.js'

describe('the routing rule (scripts/scaling/route.ts)', () => {
  const three = ['http://ud-0:8080', 'http://ud-1:8080', 'http://ud-2:8080']
  const keys = Array.from({ length: 300 }, (_, i) => `Basic ${Buffer.from(`user${i}@example.com/token:secret${i}`).toString('base64')}`)

  it('keys on the header with the scheme lower-cased and blanks trimmed, credentials verbatim', () => {
    expect(routeKey('Basic QWxhZGRpbg==')).toBe('basic QWxhZGRpbg==')
    expect(routeKey('  BASIC   QWxhZGRpbg== ')).toBe('basic QWxhZGRpbg==')
    expect(routeKey('Token abc')).not.toBe(routeKey('Token ABC'))
    expect(routeKey(undefined)).toBe('')
  })

  it('gives one key one upstream, every time, and spreads keys over all of them', () => {
    const picks = keys.map(k => pickUpstream(routeKey(k), three))
    expect(keys.map(k => pickUpstream(routeKey(k), three))).toEqual(picks)
    expect(pickUpstream(routeKey(keys[0]!.replace('Basic', 'basic')), three)).toBe(picks[0])
    for (const i of [0, 1, 2]) expect(picks.filter(p => p === i).length).toBeGreaterThan(60)
  })

  it('is consistent: removing an upstream moves only the keys it held', () => {
    const two = [three[0]!, three[2]!]
    for (const k of keys) {
      const before = three[pickUpstream(routeKey(k), three)]
      const after = two[pickUpstream(routeKey(k), two)]
      if (before !== three[1]) expect(after).toBe(before)
    }
  })
})

describe('two userdoubles behind the proxy (scripts/scaling/proxy.ts)', () => {
  // Zendesk's account-wide limit set low, so "exact" can be seen: 6 a minute per account.
  const LIMIT = 6
  let uds: UserDouble[]
  let proxy: Proxy

  beforeAll(async () => {
    uds = [await startUserDouble({ config: { ZENDESK_RATE_LIMIT: LIMIT } }), await startUserDouble({ config: { ZENDESK_RATE_LIMIT: LIMIT } })]
    proxy = await startProxy({ upstreams: uds.map(u => u.url) })
  })
  afterAll(async () => {
    await proxy?.close()
    for (const u of uds ?? []) await u.close()
  })

  interface View { id: string, zendesk: { email: string, apiToken: string, baseUrl: string }, usercom: { apiKey: string } }
  const zdAuth = (a: View): string => `Basic ${Buffer.from(`${a.zendesk.email}/token:${a.zendesk.apiToken}`).toString('base64')}`
  const createOrUpdate = (a: View, i: number): Promise<Response> => fetch(`${proxy.url}/api/v2/users/create_or_update.json`, {
    method: 'POST',
    headers: { authorization: zdAuth(a), 'content-type': 'application/json' },
    body: JSON.stringify({ user: { name: `User ${i}`, email: `u${i}@example.com`, external_id: `ext-${i}` } })
  })

  it('creates an account on every process with the same credentials, and routes each account to one process', async () => {
    // Accounts until one is served by each process (the rule spreads them; 20 is plenty).
    const byProcess = new Map<number, View>()
    for (let i = 0; i < 20 && byProcess.size < 2; i++) {
      const res = await fetch(`${proxy.url}/__mock/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      expect(res.status).toBe(201)
      const view = await res.json() as View
      expect(view.zendesk.baseUrl).toBe(`${proxy.url}/api/v2`)
      for (const u of uds) {
        const direct = await fetch(`${u.url}/__mock/accounts/${view.id}`)
        expect(direct.status).toBe(200)
        const seen = await direct.json() as View
        expect({ zendesk: { ...seen.zendesk, baseUrl: '' }, usercom: { ...seen.usercom, baseUrl: '' } })
          .toEqual({ zendesk: { ...view.zendesk, baseUrl: '' }, usercom: { ...view.usercom, baseUrl: '' } })
      }
      byProcess.set(pickUpstream(routeKey(zdAuth(view)), uds.map(u => u.url)), view)
    }
    expect([...byProcess.keys()].sort()).toEqual([0, 1])

    for (const [index, account] of byProcess) {
      // Its state is one process's: what was created is found, updates see the same user.
      const created = await createOrUpdate(account, 1)
      expect(created.status).toBe(201)
      const user = (await created.json() as { user: { id: number, url: string } }).user
      expect(user.url).toBe(`${proxy.url}/api/v2/users/${user.id}.json`)
      const again = await createOrUpdate(account, 1)
      expect(again.status).toBe(200)
      expect(((await again.json()) as { user: { id: number } }).user.id).toBe(user.id)
      const got = await fetch(`${proxy.url}/api/v2/users/${user.id}.json`, { headers: { authorization: zdAuth(account) } })
      expect(got.status).toBe(200)
      expect(((await got.json()) as { user: { id: number } }).user.id).toBe(user.id)

      // Its limit is exact: the budget is spent on one process (3 calls so far), so the
      // LIMIT + 1st call is refused, not the 2 × LIMIT + 1st.
      for (let i = 4; i <= LIMIT; i++) expect((await createOrUpdate(account, 100 + i)).status).toBe(201)
      const refused = await createOrUpdate(account, 999)
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)

      // Every one of its requests is in that process's journal, none in the other's.
      const mine = await uds[index]!.requests({ account: account.id })
      const other = await uds[1 - index]!.requests({ account: account.id })
      expect(mine.length).toBe(LIMIT + 1)
      expect(other).toEqual([])
    }
  })

  it('fans control-plane writes out to every process, and reads one chosen by header', async () => {
    const res = await fetch(`${proxy.url}/__mock/reset`, { method: 'POST' })
    expect(res.status).toBe(200)
    for (const u of uds) expect(await u.requests()).toEqual([])
    const one = await fetch(`${proxy.url}/__mock/health`, { headers: { 'x-userdouble-upstream': '1' } })
    expect(one.status).toBe(200)
    const bad = await fetch(`${proxy.url}/__mock/health`, { headers: { 'x-userdouble-upstream': '2' } })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ error: 'x-userdouble-upstream must be an index below 2' })
  })
})
