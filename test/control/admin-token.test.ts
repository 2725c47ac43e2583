import { afterEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { makeApp } from '../helpers/app.js'

let app: FastifyInstance
afterEach(async () => { await app.close() })

describe('ADMIN_TOKEN', () => {
  it('guards /__mock/* but health', async () => {
    app = await makeApp({ config: { ADMIN_TOKEN: 's3cret' } })
    expect((await app.inject({ method: 'GET', url: '/__mock/health' })).statusCode).toBe(200)
    const none = await app.inject({ method: 'GET', url: '/__mock/accounts' })
    expect(none.statusCode).toBe(401)
    expect(none.headers['www-authenticate']).toBe('Bearer realm="userdouble control plane"')
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: 'the control plane needs Authorization: Bearer <ADMIN_TOKEN>' } })
    expect((await app.inject({ method: 'POST', url: '/__mock/reset', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/__mock/accounts', headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(200)
  })

  it('is never a vendor credential', async () => {
    app = await makeApp({ config: { ADMIN_TOKEN: 's3cret' } })
    const zd = await app.inject({ method: 'GET', url: '/api/v2/users/1.json', headers: { authorization: 'Bearer s3cret' } })
    expect(zd.statusCode).toBe(401)
    const uc = await app.inject({ method: 'GET', url: '/api/public/users/1/', headers: { authorization: 'Token s3cret' } })
    expect(uc.statusCode).toBe(401)
  })
})
