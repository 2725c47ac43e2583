import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { AUTH, get, KEY, postJson, send, UOC } from './helpers.js'

describe('DRF TokenAuthentication', () => {
  test.for([
    [undefined, 'Authentication credentials were not provided.'],
    ['Bearer abc', 'Authentication credentials were not provided.'],
    ['Token', 'Invalid token header. No credentials provided.'],
    ['Token a b', 'Invalid token header. Token string should not contain spaces.'],
    [`Token ${KEY.slice(1)}x`, 'Invalid token.']
  ] as const)('%s → 401 %s', async ([authorization, detail], { app }) => {
    const res = await app.inject({ method: 'GET', url: '/api/public/users/1/', headers: authorization === undefined ? {} : { authorization } })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Token')
    expect(res.headers.allow).toBe('GET, PUT, PATCH, DELETE, HEAD, OPTIONS')
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.body).toBe(JSON.stringify({ detail }))
  })

  test('a key that is not UTF-8', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/api/public/users/', headers: { authorization: Buffer.from([0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x20, 0xff]).toString('latin1') } })
    expect(res.statusCode).toBe(401)
    expect(res.body).toBe('{"detail":"Invalid token header. Token string should not contain invalid characters."}')
  })

  test('the keyword is case-insensitive', async ({ app }) => {
    expect((await app.inject({ method: 'GET', url: '/api/public/users/', headers: { authorization: `token ${KEY}` } })).statusCode).toBe(200)
  })

  test('auth is checked before the body is parsed and before the method', async ({ app }) => {
    let res = await app.inject({ method: 'POST', url: UOC, headers: { 'content-type': 'application/json' }, payload: 'user_id=x' })
    expect(res.statusCode).toBe(401)
    res = await app.inject({ method: 'GET', url: UOC })
    expect(res.statusCode).toBe(401)
    expect(res.body).toBe('{"detail":"Authentication credentials were not provided."}')
  })
})

describe('Django\'s URL edges', () => {
  test('a missing trailing slash is a 301 to the slashed URL, query kept, no auth needed', async ({ app }) => {
    for (const [method, url, location] of [
      ['POST', '/api/public/users/update_or_create', '/api/public/users/update_or_create/'],
      ['GET', '/api/public/users/5?x=1', '/api/public/users/5/?x=1'],
      ['DELETE', '/api/public/users-by-id/abc', '/api/public/users-by-id/abc/']
    ] as const) {
      const res = await app.inject({ method, url })
      expect(res.statusCode).toBe(301)
      expect(res.headers.location).toBe(location)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.body).toBe('')
    }
  })

  test('an unknown path is 404 {"detail":"Not found."}, with or without credentials', async ({ app }) => {
    for (const headers of [{}, AUTH]) {
      for (const url of ['/api/public/nope/', '/api/public/users/1/nope/', '/api/public/users/1.5/', '/api/public/nope']) {
        const res = await app.inject({ method: 'GET', url, headers })
        expect(res.statusCode).toBe(404)
        expect(res.headers['content-type']).toBe('application/json')
        expect(res.body).toBe('{"detail":"Not found."}')
      }
    }
  })

  test('a wrong method is 405 with Allow, on static and parametric routes', async ({ app }) => {
    let res = await send(app, { method: 'DELETE', url: '/api/public/users/search/' })
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS')
    expect(res.body).toBe('{"detail":"Method \\"DELETE\\" not allowed."}')
    res = await send(app, { method: 'POST', url: '/api/public/users/7/' })
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toBe('GET, PUT, PATCH, DELETE, HEAD, OPTIONS')
    expect(res.body).toBe('{"detail":"Method \\"POST\\" not allowed."}')
    res = await send(app, { method: 'PUT', url: UOC })
    expect(res.body).toBe('{"detail":"Method \\"PUT\\" not allowed."}')
  })

  test('OPTIONS answers DRF\'s metadata', async ({ app }) => {
    const res = await send(app, { method: 'OPTIONS', url: UOC })
    expect(res.statusCode).toBe(200)
    expect(res.headers.allow).toBe('POST, OPTIONS')
    expect(res.body).toBe('{"name":"Update or create","description":"","renders":["application/json"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]}')
  })
})

describe('DRF content negotiation and versioning', () => {
  test('the accepted media type is the Content-Type; indent pretty-prints', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'u1' })
    let res = await get(app, '/api/public/users/search/?key=nokey', { accept: 'application/json; version=2' })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toBe('application/json; version=2')
    res = await get(app, '/api/public/users/search/?key=nokey', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })
    expect(res.headers['content-type']).toBe('application/json')
    res = await get(app, '/api/public/users/search/?key=nokey', { accept: 'application/json; indent=2' })
    expect(res.body).toBe('{\n  "detail": "Not found."\n}')
  })

  test('?format=json is DRF\'s URL format override; another format is a 404', async ({ app }) => {
    expect((await get(app, '/api/public/users/?format=json')).statusCode).toBe(200)
    const res = await app.inject({ method: 'GET', url: '/api/public/users/?format=xml' })
    expect(res.statusCode).toBe(404)
    expect(res.body).toBe('{"detail":"Not found."}')
  })

  test('406 for an unacceptable Accept or an unknown version, before authentication', async ({ app }) => {
    let res = await app.inject({ method: 'GET', url: '/api/public/users/', headers: { accept: 'text/html' } })
    expect(res.statusCode).toBe(406)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.body).toBe('{"detail":"Could not satisfy the request Accept header."}')
    res = await app.inject({ method: 'GET', url: '/api/public/users/', headers: { accept: '*/*; version=3' } })
    expect(res.statusCode).toBe(406)
    expect(res.body).toBe('{"detail":"Invalid version in \\"Accept\\" header."}')
  })
})
