import { describe, expect, it } from 'vitest'
import { FaultRules } from '../../src/kernel/faults.js'
import { seededRandom } from '../../src/kernel/ids.js'

describe('FaultRules', () => {
  it('fills in the defaults: respond when a status is given, else delay; probability 1; unbounded', () => {
    const rules = new FaultRules(1)
    expect(rules.add({ status: 503 })).toEqual({ id: 'fault-1', status: 503, method: undefined, action: 'respond', probability: 1, latencyMs: 0, hits: 0, remaining: null })
    expect(rules.add({ latencyMs: 50, method: 'post', times: 2 })).toEqual({ id: 'fault-2', latencyMs: 50, method: 'POST', times: 2, action: 'delay', probability: 1, hits: 0, remaining: 2 })
  })

  it('with times N, hits exactly the next N matching requests and then retires', () => {
    const rules = new FaultRules(1)
    const rule = rules.add({ vendor: 'zendesk', status: 500, times: 2 })
    expect(rules.match('usercom', 'GET', '/api/public/users/', 'default')).toBeUndefined()
    expect(rules.match('zendesk', 'GET', '/api/v2/users.json', 'default')).toMatchObject({ id: rule.id, hits: 1, remaining: 1 })
    expect(rules.match('zendesk', 'GET', '/api/v2/users.json', 'default')).toMatchObject({ id: rule.id, hits: 2, remaining: 0 })
    expect(rules.size).toBe(0)
    expect(rules.match('zendesk', 'GET', '/api/v2/users.json', 'default')).toBeUndefined()
  })

  it('with a probability, hits exactly the requests the seeded source picks, the same ones for the same seed', () => {
    const picks = (seed: number): boolean[] => {
      const rules = new FaultRules(seed)
      rules.add({ probability: 0.3, status: 500 })
      return Array.from({ length: 200 }, () => rules.match('zendesk', 'GET', '/x', null) !== undefined)
    }
    const source = seededRandom(1234)
    const expected = Array.from({ length: 200 }, () => source() < 0.3)
    expect(picks(1234)).toEqual(expected)
    expect(picks(1234)).toEqual(picks(1234))
    expect(picks(4321)).not.toEqual(expected)
    expect(expected.filter(Boolean).length).toBeGreaterThan(0)
    expect(expected.filter(Boolean).length).toBeLessThan(200)
  })

  it('with a probability and times N, retires after N hits, not N matches', () => {
    const rules = new FaultRules(99)
    rules.add({ probability: 0.5, status: 500, times: 3 })
    const source = seededRandom(99)
    let expectedHits = 0
    let draws = 0
    while (expectedHits < 3) { draws++; if (source() < 0.5) expectedHits++ }
    let hits = 0
    for (let i = 0; i < draws; i++) if (rules.match('zendesk', 'GET', '/x', null)) hits++
    expect(hits).toBe(3)
    expect(rules.size).toBe(0)
  })

  it('a probability of 0 never hits', () => {
    const rules = new FaultRules(5)
    rules.add({ probability: 0, status: 500 })
    for (let i = 0; i < 50; i++) expect(rules.match('zendesk', 'GET', '/x', null)).toBeUndefined()
  })

  it('matches on vendor, method, exact path or prefix, and account; the first matching rule wins', () => {
    const rules = new FaultRules(1)
    const exact = rules.add({ method: 'get', path: '/api/v2/users/me.json', status: 500 })
    const prefix = rules.add({ vendor: 'zendesk', path: '/api/v2/users/*', status: 502 })
    const mine = rules.add({ account: 'acct1', status: 503 })
    expect(rules.match('zendesk', 'GET', '/api/v2/users/me.json', 'default')?.id).toBe(exact.id)
    expect(rules.match('zendesk', 'POST', '/api/v2/users/me.json', 'default')?.id).toBe(prefix.id)
    expect(rules.match('zendesk', 'GET', '/api/v2/users/7.json', 'default')?.id).toBe(prefix.id)
    expect(rules.match('zendesk', 'GET', '/api/v2/users', 'default')).toBeUndefined()
    expect(rules.match('usercom', 'GET', '/api/v2/users/7.json', 'default')).toBeUndefined()
    expect(rules.match('usercom', 'GET', '/api/public/users/', 'acct1')?.id).toBe(mine.id)
    expect(rules.match('usercom', 'GET', '/api/public/users/', null)).toBeUndefined()
  })

  it('lists, removes and clears rules, per account or all', () => {
    const rules = new FaultRules(1)
    rules.add({ account: 'a', status: 500 })
    rules.add({ account: 'b', status: 500 })
    rules.add({ status: 500 })
    expect(rules.list('a').map(r => r.id)).toEqual(['fault-1'])
    expect(rules.list().map(r => r.id)).toEqual(['fault-1', 'fault-2', 'fault-3'])
    expect(rules.remove('fault-2')).toBe(true)
    expect(rules.remove('fault-2')).toBe(false)
    rules.clear('a')
    expect(rules.list().map(r => r.id)).toEqual(['fault-3'])
    rules.clear()
    expect(rules.size).toBe(0)
    expect(rules.add({ status: 500 }).id).toBe('fault-4')
  })
})
