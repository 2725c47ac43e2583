import { readFileSync } from 'node:fs'
import { describe, expect, onTestFinished } from 'vitest'
import { makeApp, test } from '../../helpers/app.js'
import { BEARER_AUTH, JSON_TYPE, PASSWORD_AUTH, TOKEN_AUTH, createOrUpdate, get } from './helpers.js'

const errors = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/recorded-errors.json', import.meta.url), 'utf8'))

describe('authentication', () => {
  test('Basic email/token, Basic email:password and Bearer all work', async ({ app }) => {
    for (const authorization of [TOKEN_AUTH, PASSWORD_AUTH, BEARER_AUTH]) {
      const res = await get(app, '/api/v2/users/search.json?query=x', { authorization })
      expect(res.statusCode).toBe(200)
    }
  })

  test('missing, malformed or wrong Basic credentials: 401 "Couldn\'t authenticate you" with WWW-Authenticate', async ({ app }) => {
    const cases = [
      undefined,
      'Basic !!!',
      'Digest abc',
      `Basic ${Buffer.from('admin@userdouble.test/token:wrong').toString('base64')}`,
      `Basic ${Buffer.from('admin@userdouble.test:wrong').toString('base64')}`,
      `Basic ${Buffer.from('someone@else.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')}`
    ]
    for (const authorization of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: authorization ? { authorization } : {}, payload: { user: { name: 'x' } } })
      expect(res.statusCode).toBe(401)
      expect(res.headers['content-type']).toBe(JSON_TYPE)
      expect(res.headers['www-authenticate']).toBe('Basic realm="Web Password"')
      expect(res.body).toBe(JSON.stringify(errors.unauthenticated))
      expect(res.headers['x-zendesk-api-version']).toBe('v2')
    }
  })

  test('a wrong Bearer token: 401 invalid_token', async ({ app }) => {
    const res = await get(app, '/api/v2/users/1.json', { authorization: 'Bearer nope' })
    expect(res.statusCode).toBe(401)
    expect(res.body).toBe(JSON.stringify(errors.invalidToken))
  })

  test('the email part is case-insensitive; credentials in the query string are not processed', async ({ app }) => {
    const upper = `Basic ${Buffer.from('ADMIN@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')}`
    expect((await get(app, '/api/v2/users/search.json?query=x', { authorization: upper })).statusCode).toBe(200)
    const res = await app.inject({ method: 'GET', url: '/api/v2/users/search.json?access_token=userdouble0zendesk0oauth0token00000000000000000000000000000000000' })
    expect(res.statusCode).toBe(401)
  })
})

describe('headers on every answer', () => {
  test('x-zendesk-api-version, x-request-id (like 80ae9918ce8c30a1-SEA) and JSON with charset', async ({ app }) => {
    const answers = [
      await createOrUpdate(app, { user: { name: 'H', email: 'h@example.com' } }),
      await get(app, '/api/v2/users/1.json'),
      await get(app, '/api/v2/nothing'),
      await app.inject({ method: 'GET', url: '/api/v2/users/me' })
    ]
    const ids = new Set<string>()
    for (const res of answers) {
      expect(res.headers['x-zendesk-api-version']).toBe('v2')
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{16}-SEA$/)
      expect(res.headers['content-type']).toBe(JSON_TYPE)
      ids.add(res.headers['x-request-id'] as string)
    }
    expect(ids.size).toBe(answers.length)
    expect(answers[0]!.headers['cache-control']).toBe('max-age=0, private, must-revalidate')
    expect(answers[1]!.headers['cache-control']).toBe('no-cache')
  })
})

describe('unknown paths and wrong methods', () => {
  test('404 InvalidEndpoint JSON, with or without credentials', async ({ app }) => {
    const cases: Array<[string, string]> = [
      ['GET', '/api/v2/tickets.json'],
      ['GET', '/api/v2'],
      ['PATCH', '/api/v2/users/1.json'],
      ['DELETE', '/api/v2/users/1/identities.json'],
      ['POST', '/api/v2/users/me.json'],
      ['GET', '/api/v2/users/create_or_update_many.json.json']
    ]
    for (const [method, url] of cases) {
      for (const headers of [{ authorization: TOKEN_AUTH }, {}]) {
        const res = await app.inject({ method: method as 'GET', url, headers })
        expect(res.statusCode, `${method} ${url}`).toBe(404)
        expect(res.headers['content-type']).toBe(JSON_TYPE)
        expect(res.body).toBe(JSON.stringify(errors.invalidEndpoint))
      }
    }
  })
})

describe('a word where Rails routes users/{id}', () => {
  test('DELETE users/create_or_update is the id route\'s 400, as GET is (§1.1)', async ({ app }) => {
    const res = await app.inject({ method: 'DELETE', url: '/api/v2/users/create_or_update.json', headers: { authorization: TOKEN_AUTH } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toBe('You passed an invalid value for the id attribute. Invalid parameter: id must be an integer from api/v2/users/destroy')
  })
})

describe('origin of url and Location', () => {
  test('Host, then X-Forwarded-Proto/Host; a hostile host falls back to localhost', async () => {
    // X-Forwarded-* counts only from a trusted proxy (TRUST_PROXY).
    const app = await makeApp({ config: { TRUST_PROXY: 'on' } })
    onTestFinished(async () => { await app.close() })
    const plain = await createOrUpdate(app, { user: { name: 'O', email: 'o@example.com' } }, { host: '127.0.0.1:4010' })
    expect(plain.headers.location).toBe('http://127.0.0.1:4010/api/v2/users/360000000128.json')
    const forwarded = await createOrUpdate(app, { user: { email: 'o@example.com' } }, { host: 'internal:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'acme.zendesk.com' })
    expect(forwarded.headers.location).toBe('https://acme.zendesk.com/api/v2/users/360000000128.json')
    expect(forwarded.json().user.url).toBe('https://acme.zendesk.com/api/v2/users/360000000128.json')
    const hostile = await createOrUpdate(app, { user: { email: 'o@example.com' } }, { 'x-forwarded-host': 'evil.test/"><script>' })
    expect(hostile.headers.location).toBe('http://localhost/api/v2/users/360000000128.json')
  })
})
