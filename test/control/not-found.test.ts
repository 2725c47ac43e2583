import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { makeApp } from '../helpers/app.js'

/**
 * Every answer of a request no route takes, under `/__mock` and outside every surface: status,
 * content type, body, and the order of the admin check and body parsing. (The control plane's
 * 404 is answered from the root not-found handler: this pins what its own handler answered.)
 */
const JSON_TYPE = 'application/json; charset=utf-8'
const control = (method: string, path: string) => ({ error: { code: 'not_found', message: `no control-plane route ${method} ${path}` } })
const outside = (method: string, path: string) => ({ error: { code: 'not_found', message: `userdouble serves /api/v2 (Zendesk), /api/public (User.com) and /__mock; nothing at ${method} ${path}` } })
const unauthorized = { error: { code: 'unauthorized', message: 'the control plane needs Authorization: Bearer <ADMIN_TOKEN>' } }

async function answer (app: FastifyInstance, method: string, url: string, headers: Record<string, string> = {}, payload?: string) {
  const res = await app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) })
  return { status: res.statusCode, type: res.headers['content-type'], auth: res.headers['www-authenticate'], body: res.body === '' ? '' : res.json() as unknown }
}

describe('not found, without ADMIN_TOKEN', () => {
  let app: FastifyInstance
  beforeAll(async () => { app = await makeApp() })
  afterAll(async () => { await app.close() })

  it.for([
    ['GET', '/__mock/nope?x=1', 404, control('GET', '/__mock/nope')],
    ['DELETE', '/__mock/nope/deeper', 404, control('DELETE', '/__mock/nope/deeper')],
    ['GET', '/__mock', 404, control('GET', '/__mock')],
    ['GET', '/__mock/', 404, control('GET', '/__mock/')],
    ['GET', '/__mock?x=1', 404, control('GET', '/__mock')],
    ['PROPFIND', '/__mock/nope', 404, control('PROPFIND', '/__mock/nope')],
    ['OPTIONS', '/__mock/nope', 404, control('OPTIONS', '/__mock/nope')],
    ['GET', '/%5F%5Fmock/nope', 404, control('GET', '/%5F%5Fmock/nope')],
    ['GET', '/__mock%2Fnope', 404, outside('GET', '/__mock%2Fnope')],
    ['GET', '/__mockery', 404, outside('GET', '/__mockery')],
    ['GET', '/__MOCK/nope', 404, outside('GET', '/__MOCK/nope')],
    ['GET', '//__mock/nope', 404, outside('GET', '//__mock/nope')],
    ['PROPFIND', '/elsewhere', 404, outside('PROPFIND', '/elsewhere')]
  ] as const)('%s %s → %i', async ([method, url, status, body]) => {
    expect(await answer(app, method, url)).toEqual({ status, type: JSON_TYPE, auth: undefined, body })
  })

  it('answers HEAD as GET (inject keeps the body a socket would not carry)', async () => {
    expect(await answer(app, 'HEAD', '/__mock/nope')).toEqual({ status: 404, type: JSON_TYPE, auth: undefined, body: control('HEAD', '/__mock/nope') })
  })

  it('parses the body first, with the control plane\'s error answers under /__mock and the root\'s elsewhere', async () => {
    const json = { 'content-type': 'application/json' }
    expect(await answer(app, 'POST', '/__mock/nope', json, '{')).toEqual({
      status: 400, type: JSON_TYPE, auth: undefined, body: { error: { code: 'invalid_request', message: expect.stringMatching(/JSON/) } }
    })
    // A type no parser takes is not refused on the way to a 404.
    expect(await answer(app, 'POST', '/__mock/nope', { 'content-type': 'application/xml' }, '<a/>')).toEqual({
      status: 404, type: JSON_TYPE, auth: undefined, body: control('POST', '/__mock/nope')
    })
    expect(await answer(app, 'POST', '/__mock/nope', json, '{}')).toEqual({ status: 404, type: JSON_TYPE, auth: undefined, body: control('POST', '/__mock/nope') })
    expect(await answer(app, 'POST', '/elsewhere', json, '{')).toEqual({
      status: 400, type: JSON_TYPE, auth: undefined, body: { error: { code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: expect.stringMatching(/JSON/) } }
    })
    expect(await answer(app, 'POST', '/elsewhere', { 'content-type': 'application/xml' }, '<a/>')).toEqual({
      status: 404, type: JSON_TYPE, auth: undefined, body: outside('POST', '/elsewhere')
    })
  })
})

describe('not found, with ADMIN_TOKEN', () => {
  let app: FastifyInstance
  beforeAll(async () => { app = await makeApp({ config: { ADMIN_TOKEN: 's3cret' } }) })
  afterAll(async () => { await app.close() })
  const token = { authorization: 'Bearer s3cret' }

  it('asks for the token before anything else under /__mock, and only there', async () => {
    const refused = { status: 401, type: JSON_TYPE, auth: 'Bearer realm="userdouble control plane"', body: unauthorized }
    expect(await answer(app, 'GET', '/__mock/nope')).toEqual(refused)
    expect(await answer(app, 'GET', '/__mock')).toEqual(refused)
    expect(await answer(app, 'GET', '/%5F%5Fmock/nope')).toEqual(refused)
    expect(await answer(app, 'GET', '/__mock/healthz')).toEqual(refused)
    expect(await answer(app, 'GET', '/__mock/nope', { authorization: 'Bearer wrong' })).toEqual(refused)
    expect(await answer(app, 'POST', '/__mock/nope', { 'content-type': 'application/json' }, '{')).toEqual(refused)
    expect(await answer(app, 'GET', '/__mock/nope', token)).toEqual({ status: 404, type: JSON_TYPE, auth: undefined, body: control('GET', '/__mock/nope') })
    expect(await answer(app, 'POST', '/__mock/nope', { ...token, 'content-type': 'application/json' }, '{')).toEqual({
      status: 400, type: JSON_TYPE, auth: undefined, body: { error: { code: 'invalid_request', message: expect.stringMatching(/JSON/) } }
    })
    // Health skips the check, not the paths below it.
    expect(await answer(app, 'GET', '/__mock/health?x')).toMatchObject({ status: 200 })
    expect(await answer(app, 'GET', '/__mock/health/nope')).toEqual(refused)
    expect(await answer(app, 'GET', '/elsewhere')).toEqual({ status: 404, type: JSON_TYPE, auth: undefined, body: outside('GET', '/elsewhere') })
  })
})
