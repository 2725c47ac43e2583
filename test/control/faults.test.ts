import { describe, expect } from 'vitest'
import { test } from '../helpers/app.js'

describe('/__mock/faults', () => {
  test('answers a canned vendor error for the next N matching requests, then retires', async ({ app }) => {
    const add = await app.inject({
      method: 'POST',
      url: '/__mock/faults',
      payload: { vendor: 'zendesk', method: 'POST', path: '/api/v2/users/create_or_update*', times: 2, status: 503, headers: { 'retry-after': '10' }, body: 'Maintenance' }
    })
    expect(add.statusCode).toBe(201)
    expect(add.json()).toEqual({ id: 'fault-1', vendor: 'zendesk', method: 'POST', path: '/api/v2/users/create_or_update*', times: 2, status: 503, headers: { 'retry-after': '10' }, body: 'Maintenance', action: 'respond', probability: 1, latencyMs: 0, hits: 0, remaining: 2 })
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', payload: { user: { name: 'x' } } })
      expect(res.statusCode).toBe(503)
      expect(res.headers['retry-after']).toBe('10')
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(res.body).toBe('Maintenance')
    }
    const third = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', payload: { user: { name: 'x' } } })
    expect(third.statusCode).not.toBe(503)
    expect((await app.inject({ method: 'GET', url: '/__mock/faults' })).json()).toEqual({ faults: [] })
  })

  test('matches on vendor, method and account only', async ({ app }) => {
    await app.inject({ method: 'POST', url: '/__mock/accounts', payload: { id: 'other' } })
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { vendor: 'usercom', account: 'other', status: 500, body: { detail: 'boom' } } })
    const other = app.kernel.accounts.get('other')!
    const hit = await app.inject({ method: 'GET', url: '/api/public/users/1/', headers: { authorization: `Token ${other.credentials.usercom!.apiKey!}` } })
    expect(hit.statusCode).toBe(500)
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(hit.json()).toEqual({ detail: 'boom' })
    const def = app.kernel.accounts.get('default')!
    const miss = await app.inject({ method: 'GET', url: '/api/public/users/1/', headers: { authorization: `Token ${def.credentials.usercom!.apiKey!}` } })
    expect(miss.statusCode).not.toBe(500)
    const zd = await app.inject({ method: 'GET', url: '/api/v2/users/1.json' })
    expect(zd.statusCode).not.toBe(500)
  })

  test('adds latency and then lets the request through', async ({ app }) => {
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { vendor: 'zendesk', latencyMs: 150, times: 1 } })
    const t0 = performance.now()
    const res = await app.inject({ method: 'GET', url: '/api/v2/nothing' })
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140)
    expect(res.statusCode).toBe(404)
  })

  test('drops the connection', async ({ app }) => {
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { vendor: 'zendesk', action: 'drop', times: 1 } })
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    await expect(fetch(`${url}/api/v2/users/1.json`)).rejects.toThrow()
    const after = await fetch(`${url}/api/v2/users/1.json`)
    expect(after.status).toBe(401)
  })

  test('with a probability, hits about that share, the same ones for a given seed', async ({ app }) => {
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { vendor: 'zendesk', probability: 0.5, status: 500, body: 'x' } })
    const statuses: number[] = []
    for (let i = 0; i < 200; i++) statuses.push((await app.inject({ method: 'GET', url: '/api/v2/x' })).statusCode)
    const hits = statuses.filter(s => s === 500).length
    expect(hits).toBeGreaterThan(60)
    expect(hits).toBeLessThan(140)
  })

  test('DELETE removes one rule or all', async ({ app }) => {
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { status: 500 } })
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { status: 502 } })
    expect((await app.inject({ method: 'DELETE', url: '/__mock/faults/fault-1' })).statusCode).toBe(204)
    expect((await app.inject({ method: 'DELETE', url: '/__mock/faults/fault-1' })).json()).toEqual({ error: { code: 'fault_not_found', message: 'no fault rule fault-1' } })
    expect((await app.inject({ method: 'GET', url: '/__mock/faults' })).json().faults.map((f: { id: string }) => f.id)).toEqual(['fault-2'])
    expect((await app.inject({ method: 'DELETE', url: '/__mock/faults' })).statusCode).toBe(204)
    expect((await app.inject({ method: 'GET', url: '/__mock/faults' })).json()).toEqual({ faults: [] })
  })
})
