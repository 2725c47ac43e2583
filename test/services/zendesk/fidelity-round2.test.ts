import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { JSON_TYPE, TOKEN_AUTH, createOrUpdate, get, limitsOff } from './helpers.js'

/** Issue 13 points 1, 2, 6, 7 and the per-user limit of §10.6 (docs/evidence/zendesk.md). */

const FIRST_ID = 360000000128
const md5Tag = (body: string): string => `W/"${createHash('md5').update(body).digest('hex')}"`
const put = (app: FastifyInstance, id: number, user: object, url = `/api/v2/users/${id}.json`) =>
  app.inject({ method: 'PUT', url, headers: { authorization: TOKEN_AUTH }, payload: { user } })

describe('ETag and Cache-Control as recorded (§10.1)', () => {
  test('2xx JSON: weak ETag, the md5 of the body; Cache-Control per endpoint', async ({ app }) => {
    const created = await createOrUpdate(app, { user: { name: 'Tagged', email: 'tagged@example.com' } })
    expect(created.statusCode).toBe(201)
    expect(created.headers.etag).toBe(md5Tag(created.body))
    expect(created.headers['cache-control']).toBe('max-age=0, private, must-revalidate')

    const show = await get(app, `/api/v2/users/${FIRST_ID}.json`)
    expect(show.headers).toMatchObject({ 'cache-control': 'max-age=5, private', etag: md5Tag(show.body), 'content-type': JSON_TYPE })
    const search = await get(app, '/api/v2/users/search.json?query=tagged@example.com')
    expect(search.headers).toMatchObject({ 'cache-control': 'max-age=10, private', etag: md5Tag(search.body) })
    const searchNoSuffix = await get(app, '/api/v2/users/search?query=tagged')
    expect(searchNoSuffix.headers['cache-control']).toBe('max-age=10, private')

    const updated = await put(app, FIRST_ID, { notes: 'n' })
    expect(updated.headers).toMatchObject({ 'cache-control': 'max-age=0, private, must-revalidate', etag: md5Tag(updated.body) })
    for (const url of ['/api/v2/users/me.json', '/api/v2/users/show_many.json?ids=1', '/api/v2/users.json']) {
      const res = await get(app, url)
      expect(res.headers['cache-control']).toBe('max-age=0, private, must-revalidate')
      expect(res.headers.etag).toBe(md5Tag(res.body))
    }
    const deleted = await app.inject({ method: 'DELETE', url: `/api/v2/users/${FIRST_ID}.json`, headers: { authorization: TOKEN_AUTH } })
    expect(deleted.headers.etag).toBe(md5Tag(deleted.body))
  })

  test('the tag follows the body: same body, same tag; changed body, new tag', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })
    const one = await get(app, `/api/v2/users/${FIRST_ID}`)
    const two = await get(app, `/api/v2/users/${FIRST_ID}`)
    expect(two.headers.etag).toBe(one.headers.etag)
    await put(app, FIRST_ID, { notes: 'changed' })
    expect((await get(app, `/api/v2/users/${FIRST_ID}`)).headers.etag).not.toBe(one.headers.etag)
  })

  test('If-None-Match is not honoured (zendesk_api_client_rb#322): 200 with the body', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })
    const first = await get(app, `/api/v2/users/${FIRST_ID}.json`)
    const again = await get(app, `/api/v2/users/${FIRST_ID}.json`, { 'if-none-match': String(first.headers.etag) })
    expect(again.statusCode).toBe(200)
    expect(again.body).toBe(first.body)
  })

  test('errors: no ETag, Cache-Control no-cache (404, 422, 401, text/plain 429)', async ({ app }) => {
    const notFound = await get(app, '/api/v2/users/1.json')
    const invalid = await createOrUpdate(app, { user: { name: 'x', email: 'badmail' } })
    const unauthenticated = await app.inject({ method: 'GET', url: '/api/v2/users/1.json' })
    app.kernel.accounts.saveSettings('default', { rateLimits: { zendesk: { perMinute: 1 } } })
    await get(app, '/api/v2/users/1.json')
    const limited = await get(app, '/api/v2/users/1.json')
    expect([notFound.statusCode, invalid.statusCode, unauthenticated.statusCode, limited.statusCode]).toEqual([404, 422, 401, 429])
    for (const res of [notFound, invalid, unauthenticated, limited]) {
      expect(res.headers.etag).toBeUndefined()
      expect(res.headers['cache-control']).toBe('no-cache')
    }
  })
})

describe('users/me key order (§6, zenpy-rec)', () => {
  test('authenticity_token right after verified, for the agent and the anonymous user', async ({ app }) => {
    for (const headers of [{ authorization: TOKEN_AUTH }, {}]) {
      const res = await app.inject({ method: 'GET', url: '/api/v2/users/me.json', headers })
      expect(res.statusCode).toBe(200)
      const keys = Object.keys(res.json().user)
      expect(keys.slice(keys.indexOf('verified'), keys.indexOf('verified') + 3)).toEqual(['verified', 'authenticity_token', 'external_id'])
      expect(keys.at(-1)).toBe('user_fields')
    }
  })
})

describe('create_or_update_many results as Zendesk writes them (issue 13 point 1)', () => {
  test('request order; Created / Updated with id and email; Failed with UserUpdateError and the message; no index', async ({ app, clock }) => {
    await createOrUpdate(app, { user: { name: 'Existing', email: 'existing@example.com' } })
    const res = await app.inject({
      method: 'POST',
      url: '/api/v2/users/create_or_update_many.json',
      headers: { authorization: TOKEN_AUTH },
      payload: { users: [{ name: 'Bad', email: 'x@example.com_' }, { email: 'EXISTING@example.com', notes: 'bulk' }, { name: 'New', email: 'new@example.com' }, { name: 'N'.repeat(256) }] }
    })
    const id = res.json().job_status.id
    clock.advance(2000)
    const done = await get(app, `/api/v2/job_statuses/${id}.json`)
    expect(done.body).toBe(JSON.stringify({
      job_status: {
        id,
        url: `http://localhost:80/api/v2/job_statuses/${id}.json`,
        total: 4,
        progress: 4,
        status: 'completed',
        message: 'Completed at 2024-01-01 00:00:02 +0000',
        results: [
          { status: 'Failed', error: 'UserUpdateError', details: 'Email: x@example.com_ is not properly formatted' },
          { id: FIRST_ID, status: 'Updated', email: 'existing@example.com' },
          { id: FIRST_ID + 128, status: 'Created', email: 'new@example.com' },
          { status: 'Failed', error: 'UserUpdateError', details: 'Name: is too long (maximum is 255 characters)' }
        ]
      }
    }))
  })
})

describe('validation as Zendesk does it (issue 13 point 2)', () => {
  const invalid = (details: object) => JSON.stringify({ error: 'RecordInvalid', description: 'Record validation errors', details })

  test('an address with an underscore in its domain is not properly formatted (create_or_update and PUT)', async ({ app }) => {
    for (const email of ['x@example.com_', 'x@exa_mple.com']) {
      const res = await createOrUpdate(app, { user: { name: 'X', email } })
      expect(res.statusCode).toBe(422)
      expect(res.body).toBe(invalid({ email: [{ description: `Email: ${email} is not properly formatted` }] }))
    }
    const ok = await createOrUpdate(app, { user: { name: 'X', email: 'first_last@sub.example.com' } })
    expect(ok.statusCode).toBe(201)
    const res = await put(app, FIRST_ID, { email: 'y@example.com_' })
    expect(res.statusCode).toBe(422)
    expect(res.body).toBe(invalid({ email: [{ description: 'Email: y@example.com_ is not properly formatted' }] }))
  })

  test('a name over 255 characters (code points) is a 422 on name; 255 is accepted', async ({ app }) => {
    limitsOff(app)
    const long = await createOrUpdate(app, { user: { name: 'n'.repeat(256), email: 'n@example.com' } })
    expect(long.statusCode).toBe(422)
    expect(long.body).toBe(invalid({ name: [{ description: 'Name: is too long (maximum is 255 characters)', error: 'ValueTooLong' }] }))
    expect((await createOrUpdate(app, { user: { name: '😀'.repeat(255), email: 'n@example.com' } })).statusCode).toBe(201)
  })

  test('the other strings\' chosen limits, every problem in one answer', async ({ app }) => {
    limitsOff(app)
    const res = await createOrUpdate(app, {
      user: { name: 'L', alias: 'a'.repeat(256), external_id: 'e'.repeat(256), phone: '1'.repeat(256), details: 'd'.repeat(65_536), notes: 'n'.repeat(65_536), signature: 's'.repeat(65_536), tags: ['ok', 't'.repeat(256)] }
    })
    expect(res.statusCode).toBe(422)
    expect(res.body).toBe(invalid({
      alias: [{ description: 'Alias: is too long (maximum is 255 characters)', error: 'ValueTooLong' }],
      external_id: [{ description: 'External: is too long (maximum is 255 characters)', error: 'ValueTooLong' }],
      phone: [{ description: 'Phone: is too long (maximum is 255 characters)', error: 'ValueTooLong' }],
      details: [{ description: 'Details: is too long (maximum is 65535 characters)', error: 'ValueTooLong' }],
      notes: [{ description: 'Notes: is too long (maximum is 65535 characters)', error: 'ValueTooLong' }],
      signature: [{ description: 'Signature: is too long (maximum is 65535 characters)', error: 'ValueTooLong' }],
      tags: [{ description: 'Tags: is too long (maximum is 255 characters)', error: 'ValueTooLong' }]
    }))
    const atLimit = await createOrUpdate(app, { user: { name: 'L', alias: 'a'.repeat(255), external_id: 'e'.repeat(255), notes: 'n'.repeat(65_535), tags: ['t'.repeat(255)] } })
    expect(atLimit.statusCode).toBe(201)
  })
})

describe('per-user limit as recorded (§10.6)', () => {
  test('PUTs count per user in the URL, in the aligned clock minute; create_or_update does not count toward them', async ({ app, clock }) => {
    clock.advance(12_000)
    await createOrUpdate(app, { user: { name: 'Limited', email: 'limited@example.com' } })
    clock.advance(4_000)
    // Five PUTs with different bodies (one names another e-mail): all the same user's bucket.
    for (const user of [{ tags: ['a'] }, { notes: 'x' }, { email: 'other@example.com' }, { tags: ['b'] }, { alias: null }]) {
      expect((await put(app, FIRST_ID, user)).statusCode).toBe(200)
    }
    clock.advance(17_000)
    const sixth = await put(app, FIRST_ID, { tags: ['c'] })
    expect(sixth.statusCode).toBe(429)
    expect(sixth.headers['retry-after']).toBe('27')
    expect(sixth.body).toBe('You have exceeded the rate limit for updating a single unique user. user email:  id:  external_id: ')
    // create_or_update for the same user has its own bucket.
    expect((await createOrUpdate(app, { user: { email: 'limited@example.com', notes: 'y' } })).statusCode).toBe(200)
    clock.advance(27_000)
    expect((await put(app, FIRST_ID, { tags: ['d'] })).statusCode).toBe(200)
  })
})

describe('paths with doubled slashes (zendesk-node-api)', () => {
  test('/api/v2//users/{id}.json is /api/v2/users/{id}.json; the query string is kept', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'Slash', email: 'slash@example.com' } })
    const res = await get(app, `/api/v2//users//${FIRST_ID}.json`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe((await get(app, `/api/v2/users/${FIRST_ID}.json`)).body)
    const search = await get(app, '/api/v2//users/search.json?query=a//b')
    expect(search.statusCode).toBe(200)
    expect(search.json().count).toBe(0)
  })
})
