import { Writable } from 'node:stream'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers/app.js'

describe('PUT /__mock/accounts/{id}/state', () => {
  it('refuses a body over STATE_BODY_LIMIT with the control plane\'s 413', async () => {
    const app = await makeApp({ config: { STATE_BODY_LIMIT: 4096 } })
    const users = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, name: `User ${i}`, email: `u${i}@example.com` }))
    const res = await app.inject({ method: 'PUT', url: '/__mock/accounts/default/state', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ zendesk: { users } }) })
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.json()).toEqual({ error: { code: 'payload_too_large', message: 'Request body is too large' } })
    await app.close()
  })
  it('defaults to 64 MiB, and logs what it loaded and how long it took', async () => {
    let out = ''
    const sink = new Writable({ write (chunk, _enc, cb) { out += chunk.toString(); cb() } })
    const app = await makeApp({ logger: pino({ level: 'info' }, sink) })
    expect(app.kernel.config.STATE_BODY_LIMIT).toBe(64 * 1024 * 1024)
    const res = await app.inject({ method: 'PUT', url: '/__mock/accounts/default/state', payload: { usercom: { users: [] } } })
    expect(res.statusCode).toBe(200)
    await app.close()
    const line = out.trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>).find(l => l.msg === 'state loaded')
    expect(line).toMatchObject({ account: 'default', loaded: { usercom: { users: 0 } } })
    expect(typeof line!.ms).toBe('number')
  })
})
