import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { JSON_TYPE, TOKEN_AUTH, createOrUpdate, get, limitsOff } from './helpers.js'

/** Issue 13 point 5 (the User Identities API) and issue 14 point 1 (identities in create_or_update). */

const errors = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/recorded-errors.json', import.meta.url), 'utf8'))

const T0 = '2024-01-01T00:00:00Z'
const T5 = '2024-01-01T00:00:05Z'
const USER = 360000000128
const ORIGIN = 'http://localhost:80'
const FIRST_IDENTITY = 360000000128

function send (app: FastifyInstance, method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload?: unknown) {
  return app.inject({ method, url, headers: { authorization: TOKEN_AUTH }, ...(payload === undefined ? {} : { payload: payload as object }) })
}

/** An e-mail identity in the recorded key order (§10.4, #041). */
function email (id: number, value: string, primary: boolean, verified: boolean, created = T0, updated = created, user = USER) {
  return {
    url: `${ORIGIN}/api/v2/users/${user}/identities/${id}.json`,
    id,
    user_id: user,
    type: 'email',
    value,
    verified,
    primary,
    created_at: created,
    updated_at: updated,
    undeliverable_count: 0,
    deliverable_state: 'deliverable'
  }
}

const page = (identities: unknown[]) => ({ identities, next_page: null, previous_page: null, count: identities.length })

/** The recorded sequence #009, #040, #041: a user, then a PUT with another e-mail. */
async function userWithTwoEmails (app: FastifyInstance, clock: { advance: (ms: number) => void }): Promise<void> {
  limitsOff(app)
  await createOrUpdate(app, { user: { verified: true, name: 'John Doe', email: 'grouparoo@demo.com', external_id: 'grouparoo123', tags: [] } })
  clock.advance(5000)
  const put = await send(app, 'PUT', `/api/v2/users/${USER}.json`, { user: { verified: true, email: 'othergrouparoo@demo.com', external_id: 'grouparoo123', tags: ['test_high_value'] } })
  // The PUT leaves user.email alone (#040).
  expect(put.json().user.email).toBe('grouparoo@demo.com')
}

describe('GET /api/v2/users/{id}/identities', () => {
  test('the recorded envelope and key order, the primary first (#041)', async ({ app, clock }) => {
    await userWithTwoEmails(app, clock)
    const res = await get(app, `/api/v2/users/${USER}/identities.json`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe(JSON_TYPE)
    expect(res.headers['cache-control']).toBe('max-age=0, private, must-revalidate')
    expect(res.body).toBe(JSON.stringify(page([
      email(FIRST_IDENTITY, 'grouparoo@demo.com', true, true),
      email(FIRST_IDENTITY + 128, 'othergrouparoo@demo.com', false, true, T5)
    ])))
    expect((await get(app, `/api/v2/users/${USER}/identities`)).body).toBe(res.body)
  })

  test('an unknown user is 404 RecordNotFound; a non-integer user id is the 400', async ({ app }) => {
    const missing = await get(app, '/api/v2/users/360000000999/identities.json')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual(errors.recordNotFound)
    const bad = await get(app, '/api/v2/users/abc/identities.json')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ error: { title: 'Invalid attribute', message: 'You passed an invalid value for the user_id attribute. Invalid parameter: user_id must be an integer from api/v2/identities/index' } })
  })
})

describe('PUT …/identities/{id}/make_primary', () => {
  test('answers the whole list, the new primary first, both updated now (#042); the user\'s email follows (#043)', async ({ app, clock }) => {
    await userWithTwoEmails(app, clock)
    clock.advance(5000)
    const res = await send(app, 'PUT', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY + 128}/make_primary.json`, {})
    expect(res.statusCode).toBe(200)
    const T10 = '2024-01-01T00:00:10Z'
    expect(res.body).toBe(JSON.stringify(page([
      email(FIRST_IDENTITY + 128, 'othergrouparoo@demo.com', true, true, T5, T10),
      email(FIRST_IDENTITY, 'grouparoo@demo.com', false, true, T0, T10)
    ])))
    const user = (await get(app, `/api/v2/users/${USER}.json`)).json().user
    expect(user).toMatchObject({ email: 'othergrouparoo@demo.com', verified: true })
    // Both addresses still find the user.
    expect((await createOrUpdate(app, { user: { email: 'grouparoo@demo.com' } })).json().user.id).toBe(USER)
    // Making the primary primary again changes nothing.
    const again = await send(app, 'PUT', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY + 128}/make_primary`, {})
    expect(again.body).toBe(res.body)
  })

  test('an identity of another user is 404', async ({ app, clock }) => {
    await userWithTwoEmails(app, clock)
    await createOrUpdate(app, { user: { name: 'B', email: 'b@example.com' } })
    const res = await send(app, 'PUT', `/api/v2/users/${USER + 128}/identities/${FIRST_IDENTITY}/make_primary.json`, {})
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual(errors.recordNotFound)
  })
})

describe('POST, GET, PUT, verify and DELETE one identity', () => {
  test('POST: 201 with the identity; unverified unless sent; the first of its type is primary', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })
    const res = await send(app, 'POST', `/api/v2/users/${USER}/identities.json`, { identity: { type: 'email', value: 'a2@example.com' } })
    expect(res.statusCode).toBe(201)
    expect(res.headers.location).toBe(`${ORIGIN}/api/v2/users/${USER}/identities/${FIRST_IDENTITY + 128}.json`)
    expect(res.body).toBe(JSON.stringify({ identity: email(FIRST_IDENTITY + 128, 'a2@example.com', false, false) }))
    const phone = await send(app, 'POST', `/api/v2/users/${USER}/identities`, { identity: { type: 'phone_number', value: '+15551234' } })
    expect(phone.json()).toEqual({
      identity: { url: `${ORIGIN}/api/v2/users/${USER}/identities/${FIRST_IDENTITY + 256}.json`, id: FIRST_IDENTITY + 256, user_id: USER, type: 'phone_number', value: '+15551234', verified: false, primary: true, created_at: T0, updated_at: T0 }
    })
  })

  test('POST 422s: a value another user holds (recorded wording), a malformed e-mail, an unknown type', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })
    await createOrUpdate(app, { user: { name: 'B', email: 'b@example.com' } })
    const taken = await send(app, 'POST', `/api/v2/users/${USER}/identities.json`, { identity: { type: 'email', value: 'B@example.com' } })
    expect(taken.statusCode).toBe(422)
    expect(taken.headers['cache-control']).toBe('no-cache')
    expect(taken.json()).toEqual({ error: 'RecordInvalid', description: 'Record validation errors', details: { value: [{ description: 'Value: B@example.com is already being used by another user', error: 'DuplicateValue' }] } })
    const bad = await send(app, 'POST', `/api/v2/users/${USER}/identities.json`, { identity: { type: 'fax', value: 'x' } })
    expect(bad.json().details).toEqual({ type: [{ description: 'Type: is invalid', error: 'InvalidValue' }] })
    const malformed = await send(app, 'POST', `/api/v2/users/${USER}/identities.json`, { identity: { type: 'email', value: 'nope' } })
    expect(malformed.json().details).toEqual({ value: [{ description: 'Value: nope is not properly formatted' }] })
  })

  test('GET one; PUT a new value of the primary changes the user\'s email; verify; 404 across users', async ({ app, clock }) => {
    limitsOff(app)
    await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })
    const one = await get(app, `/api/v2/users/${USER}/identities/${FIRST_IDENTITY}.json`)
    expect(one.body).toBe(JSON.stringify({ identity: email(FIRST_IDENTITY, 'a@example.com', true, false) }))
    clock.advance(5000)
    const put = await send(app, 'PUT', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY}.json`, { identity: { value: 'new@example.com' } })
    expect(put.statusCode).toBe(200)
    expect(put.body).toBe(JSON.stringify({ identity: email(FIRST_IDENTITY, 'new@example.com', true, false, T0, T5) }))
    expect((await get(app, `/api/v2/users/${USER}.json`)).json().user).toMatchObject({ email: 'new@example.com', verified: false, updated_at: T5 })
    const verified = await send(app, 'PUT', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY}/verify.json`, {})
    expect(verified.json()).toEqual({ identity: email(FIRST_IDENTITY, 'new@example.com', true, true, T0, T5) })
    expect((await get(app, `/api/v2/users/${USER}.json`)).json().user.verified).toBe(true)
    // A verified identity is not unverified.
    const still = await send(app, 'PUT', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY}`, { identity: { verified: false } })
    expect(still.json().identity.verified).toBe(true)
    expect((await get(app, `/api/v2/users/${USER + 128}/identities/${FIRST_IDENTITY}.json`)).statusCode).toBe(404)
  })

  test('DELETE: the primary e-mail cannot go while others exist (422); a secondary can (204); then the last primary, leaving no email', async ({ app, clock }) => {
    await userWithTwoEmails(app, clock)
    const refused = await send(app, 'DELETE', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY}.json`)
    expect(refused.statusCode).toBe(422)
    expect(refused.json()).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { base: [{ description: 'Primary email identity cannot be deleted while the user has other identities; make another identity primary first', error: 'InvalidValue' }] }
    })
    const secondary = await send(app, 'DELETE', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY + 128}.json`)
    expect(secondary.statusCode).toBe(204)
    expect(secondary.body).toBe('')
    expect((await get(app, `/api/v2/users/${USER}/identities.json`)).json().count).toBe(1)
    const last = await send(app, 'DELETE', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY}`)
    expect(last.statusCode).toBe(204)
    expect((await get(app, `/api/v2/users/${USER}.json`)).json().user).toMatchObject({ email: null, verified: false })
    expect((await send(app, 'DELETE', `/api/v2/users/${USER}/identities/${FIRST_IDENTITY}`)).statusCode).toBe(404)
  })

  test('a deleted user has no identities to change (404)', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })
    await send(app, 'DELETE', `/api/v2/users/${USER}.json`)
    expect((await get(app, `/api/v2/users/${USER}/identities.json`)).json()).toEqual(page([]))
    const res = await send(app, 'POST', `/api/v2/users/${USER}/identities.json`, { identity: { type: 'email', value: 'z@example.com' } })
    expect(res.statusCode).toBe(404)
  })
})

describe('identities in create_or_update (issue 14 point 1)', () => {
  test('a user may hold 100 identities (duplicates in the request count once); one more is the 422; 16,000 are refused', async ({ app }) => {
    limitsOff(app)
    const ninetyNine = Array.from({ length: 99 }, (_, i) => ({ type: 'email', value: `u${i}@example.com` }))
    const ok = await createOrUpdate(app, { user: { name: 'Many', email: 'many@example.com', identities: [...ninetyNine, { type: 'email', value: 'U0@example.com' }] } })
    expect(ok.statusCode).toBe(201)
    expect((await get(app, `/api/v2/users/${USER}/identities.json`)).json().count).toBe(100)
    const tooMany = { error: 'RecordInvalid', description: 'Record validation errors', details: { identities: [{ description: 'Identities: a user may have at most 100 identities', error: 'TooManyValues' }] } }
    const over = await createOrUpdate(app, { user: { email: 'many@example.com', identities: [{ type: 'email', value: 'one.more@example.com' }] } })
    expect(over.statusCode).toBe(422)
    expect(over.json()).toEqual(tooMany)
    const huge = await createOrUpdate(app, { user: { name: 'Huge', email: 'huge@example.com', identities: Array.from({ length: 16_000 }, (_, i) => ({ type: 'email', value: `h${i}@example.com` })) } })
    expect(huge.json()).toEqual(tooMany)
  })

  test('the Identities API keeps the cap too', async ({ app }) => {
    await createOrUpdate(app, { user: { name: 'Many', email: 'many@example.com', identities: Array.from({ length: 99 }, (_, i) => ({ type: 'email', value: `u${i}@example.com` })) } })
    const res = await send(app, 'POST', `/api/v2/users/${USER}/identities.json`, { identity: { type: 'email', value: 'one.more@example.com' } })
    expect(res.statusCode).toBe(422)
    expect(res.json().details).toEqual({ identities: [{ description: 'Identities: a user may have at most 100 identities', error: 'TooManyValues' }] })
  })
})
