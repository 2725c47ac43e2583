import { describe, expect } from 'vitest'
import { test } from './helpers/app.js'
import { VERSION } from '../src/kernel/kernel.js'

describe('GET /__mock/health', () => {
  test('answers 200 JSON with status, version and uptime', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/__mock/health' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    const body = res.json()
    expect(Object.keys(body)).toEqual(['status', 'version', 'uptime', 'database', 'accounts'])
    expect(body).toMatchObject({ status: 'ok', version: VERSION, database: 'memory', accounts: 1 })
    expect(typeof body.uptime).toBe('number')
    expect(body.uptime).toBeGreaterThanOrEqual(0)
  })
})

describe('outside every surface', () => {
  test('an unknown path gets a JSON 404, not Fastify\'s body', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/nothing/here?x=1' })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'userdouble serves /api/v2 (Zendesk), /api/public (User.com) and /__mock; nothing at GET /nothing/here' } })
  })

  test('an unknown control-plane path gets the control plane\'s 404', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: '/__mock/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no control-plane route POST /__mock/nope' } })
  })
})

describe('a path that cannot be decoded', () => {
  test('gets the addressed vendor\'s answer, never FST_ERR_BAD_URL', async ({ app }) => {
    const zd = await app.inject({ method: 'GET', url: '/api/v2/users/%E0.json' })
    expect(zd.statusCode).toBe(400)
    expect(zd.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(zd.body).toBe('Bad Request')
    const uc = await app.inject({ method: 'GET', url: '/api/public/users/%E0/' })
    expect(uc.statusCode).toBe(404)
    expect(uc.headers['content-type']).toBe('application/json')
    expect(uc.body).toBe('{"detail":"Not found."}')
    const other = await app.inject({ method: 'GET', url: '/__mock/%E0' })
    expect(other.statusCode).toBe(400)
    expect(other.json().error.code).toBe('bad_url')
  })
})
