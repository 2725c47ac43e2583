import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { JSON_TYPE, TOKEN_AUTH, createOrUpdate, get, limitsOff } from './helpers.js'

/**
 * Issue 13 point 4 (user fields) and point 3 (alias null), against the recorded account's
 * definitions (test/fixtures/recordings/grouparoo-zendesk-user-fields.json, #000).
 */

const recording = JSON.parse(readFileSync(new URL('../../fixtures/recordings/grouparoo-zendesk-user-fields.json', import.meta.url), 'utf8'))
const RECORDED: Array<Record<string, unknown>> = recording.exchanges[0].body.user_fields
const errors = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/recorded-errors.json', import.meta.url), 'utf8'))

const T0 = '2024-01-01T00:00:00Z'
const FIELD_ID = 360000000128
const USER_ID = 360000000128
const ORIGIN = 'http://localhost:80'

/** The recorded definitions as a client creates them. */
const REQUESTS = RECORDED.map((f) => ({
  type: f.type,
  key: f.key,
  title: f.title,
  description: f.description,
  position: f.position,
  ...(f.type === 'regexp' ? { regexp_for_validation: f.regexp_for_validation } : {}),
  ...(f.type === 'checkbox' ? { tag: f.tag } : {}),
  ...(Array.isArray(f.custom_field_options) ? { custom_field_options: (f.custom_field_options as Array<{ name: string, value: string }>).map((o) => ({ name: o.name, value: o.value })) } : {})
}))

function send (app: FastifyInstance, method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload?: unknown) {
  return app.inject({ method, url, headers: { authorization: TOKEN_AUTH }, ...(payload === undefined ? {} : { payload: payload as object }) })
}

async function defineRecorded (app: FastifyInstance): Promise<void> {
  for (const field of REQUESTS) expect((await send(app, 'POST', '/api/v2/user_fields.json', { user_field: field })).statusCode).toBe(201)
}

/** The recorded definition `n` with userdouble's ids, clock and origin. */
function expected (n: number, optionIds: number[] = []) {
  const f = structuredClone(RECORDED[n]!)
  const id = FIELD_ID + 128 * n
  Object.assign(f, { url: `${ORIGIN}/api/v2/user_fields/${id}.json`, id, created_at: T0, updated_at: T0 })
  if (Array.isArray(f.custom_field_options)) f.custom_field_options = (f.custom_field_options as Array<Record<string, unknown>>).map((o, i) => ({ ...o, id: optionIds[i] }))
  return f
}

const ALL_NULL = { checkbox_field: false, date_field: null, decimal_field: null, dropdown_field: null, multiline_field: null, numeric_field: null, regex_field: null, text_field: null }

describe('user field definitions', () => {
  test('POST each recorded type: 201, Location, the recorded body and key order (tag, custom_field_options)', async ({ app }) => {
    for (const [n, field] of REQUESTS.entries()) {
      const res = await send(app, 'POST', '/api/v2/user_fields', { user_field: field })
      expect(res.statusCode).toBe(201)
      expect(res.headers['content-type']).toBe(JSON_TYPE)
      expect(res.headers['cache-control']).toBe('max-age=0, private, must-revalidate')
      const id = FIELD_ID + 128 * n
      expect(res.headers.location).toBe(`${ORIGIN}/api/v2/user_fields/${id}.json`)
      // Option ids come from their own sequence.
      expect(res.body).toBe(JSON.stringify({ user_field: expected(n, [360000000128, 360000000256, 360000000384]) }))
    }
  })

  test('GET user_fields: the recorded envelope, by position; GET one; .json twins', async ({ app }) => {
    await defineRecorded(app)
    const res = await get(app, '/api/v2/user_fields.json')
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe(JSON.stringify({
      user_fields: RECORDED.map((_f, n) => expected(n, [360000000128, 360000000256, 360000000384])),
      next_page: null,
      previous_page: null,
      count: 8
    }))
    expect((await get(app, '/api/v2/user_fields')).body).toBe(res.body)
    const one = await get(app, `/api/v2/user_fields/${FIELD_ID + 128}`)
    expect(one.statusCode).toBe(200)
    expect(one.body).toBe(JSON.stringify({ user_field: expected(1) }))
    expect((await get(app, `/api/v2/user_fields/${FIELD_ID + 128}.json`)).body).toBe(one.body)
  })

  test('PUT changes title, description, position, active and options (kept ids for kept values); type and key stay', async ({ app, clock }) => {
    await defineRecorded(app)
    clock.advance(3000)
    const dropdown = FIELD_ID + 128 * 7
    const res = await send(app, 'PUT', `/api/v2/user_fields/${dropdown}.json`, {
      user_field: { title: 'Fruit', description: 'd', position: 9, active: false, type: 'text', key: 'other', custom_field_options: [{ name: 'Pear', value: 'pear' }, { name: 'kiwi', value: 'kiwi' }] }
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      user_field: {
        ...expected(7),
        title: 'Fruit',
        raw_title: 'Fruit',
        description: 'd',
        raw_description: 'd',
        position: 9,
        active: false,
        updated_at: '2024-01-01T00:00:03Z',
        custom_field_options: [
          { id: 360000000256, name: 'Pear', raw_name: 'Pear', value: 'pear' },
          { id: 360000000512, name: 'kiwi', raw_name: 'kiwi', value: 'kiwi' }
        ]
      }
    })
  })

  test('DELETE: 204 without a body; the field and its values are gone', async ({ app }) => {
    limitsOff(app)
    await defineRecorded(app)
    await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com', user_fields: { text_field: 'x' } } })
    const res = await send(app, 'DELETE', `/api/v2/user_fields/${FIELD_ID}.json`)
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    const gone = await get(app, `/api/v2/user_fields/${FIELD_ID}.json`)
    expect(gone.statusCode).toBe(404)
    expect(gone.json()).toEqual(errors.recordNotFound)
    const { text_field: _dropped, ...rest } = ALL_NULL
    expect((await get(app, `/api/v2/users/${USER_ID}.json`)).json().user.user_fields).toEqual(rest)
    // A field made again under the key starts empty.
    await send(app, 'POST', '/api/v2/user_fields.json', { user_field: REQUESTS[0] })
    expect((await get(app, `/api/v2/users/${USER_ID}.json`)).json().user.user_fields.text_field).toBeNull()
  })

  test('422s: blank type, key and title; invalid key; a taken key; a regexp without pattern; a dropdown without options', async ({ app }) => {
    const blank = await send(app, 'POST', '/api/v2/user_fields.json', {})
    expect(blank.statusCode).toBe(422)
    expect(blank.headers['cache-control']).toBe('no-cache')
    expect(blank.json()).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: {
        type: [{ description: 'Type: is invalid', error: 'InvalidValue' }],
        key: [{ description: 'Key: cannot be blank', error: 'BlankValue' }],
        title: [{ description: 'Title: cannot be blank', error: 'BlankValue' }]
      }
    })
    const badKey = await send(app, 'POST', '/api/v2/user_fields.json', { user_field: { type: 'regexp', key: 'no spaces', title: 'T' } })
    expect(badKey.json().details).toEqual({
      key: [{ description: 'Key: is invalid', error: 'InvalidValue' }],
      regexp_for_validation: [{ description: 'Regexp for validation: cannot be blank', error: 'BlankValue' }]
    })
    await send(app, 'POST', '/api/v2/user_fields.json', { user_field: REQUESTS[0] })
    const taken = await send(app, 'POST', '/api/v2/user_fields.json', { user_field: { type: 'dropdown', key: 'text_field', title: 'T' } })
    expect(taken.json().details).toEqual({
      key: [{ description: 'Key: has already been taken', error: 'DuplicateValue' }],
      custom_field_options: [{ description: 'Custom field options: cannot be blank', error: 'BlankValue' }]
    })
  })

  test('ids: a non-integer is the 400 naming the controller; a doubled suffix is a 404', async ({ app }) => {
    const res = await get(app, '/api/v2/user_fields/abc')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ error: { title: 'Invalid attribute', message: 'You passed an invalid value for the id attribute. Invalid parameter: id must be an integer from api/v2/user_fields/show' } })
    const doubled = await get(app, '/api/v2/user_fields/1.json.json')
    expect(doubled.statusCode).toBe(404)
    expect(doubled.json()).toEqual(errors.invalidEndpoint)
  })
})

describe('user field values on users', () => {
  test('every defined key in alphabetical order, null when unset and false for a checkbox (recorded #009)', async ({ app }) => {
    await defineRecorded(app)
    const res = await createOrUpdate(app, { user: { name: 'John Doe', email: 'j@example.com' } })
    expect(res.statusCode).toBe(201)
    expect(JSON.stringify(res.json().user.user_fields)).toBe(JSON.stringify(ALL_NULL))
  })

  test('values normalised by type (recorded #014, #019, #044); undefined keys dropped; a checkbox adds and removes its tag', async ({ app }) => {
    limitsOff(app)
    await defineRecorded(app)
    const created = await app.inject({
      method: 'POST',
      url: '/api/v2/users/create_or_update.json',
      headers: { authorization: TOKEN_AUTH },
      payload: { user: { name: 'Anakin', email: 's@example.com', tags: ['existing', 'here'], user_fields: { text_field: 'my text', numeric_field: 3039, checkbox_field: true, unknown_field: 'x', date_field: '2020-08-19T20:50:04.000Z', decimal_field: '2.50', regex_field: 'abc', dropdown_field: 'pear', multiline_field: 12 } } }
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().user.tags).toEqual(['existing', 'here', 'checkedbox'])
    expect(JSON.stringify(created.json().user.user_fields)).toBe(JSON.stringify({
      checkbox_field: true,
      date_field: '2020-08-19T00:00:00+00:00',
      decimal_field: 2.5,
      dropdown_field: 'pear',
      multiline_field: '12',
      numeric_field: 3039,
      regex_field: 'abc',
      text_field: 'my text'
    }))
    // null clears (recorded #022), unchecking removes the tag, a value that is no option is dropped.
    const res = await send(app, 'PUT', `/api/v2/users/${USER_ID}.json`, { user: { user_fields: { text_field: null, checkbox_field: false, dropdown_field: 'plum', numeric_field: '42' } } })
    expect(res.statusCode).toBe(200)
    expect(res.json().user.tags).toEqual(['existing', 'here'])
    expect(res.json().user.user_fields).toEqual({
      checkbox_field: false,
      date_field: '2020-08-19T00:00:00+00:00',
      decimal_field: 2.5,
      dropdown_field: 'pear',
      multiline_field: '12',
      numeric_field: 42,
      regex_field: 'abc',
      text_field: null
    })
  })

  test('a value of the wrong type is 422 on base, with the other problems, and nothing is written', async ({ app }) => {
    await defineRecorded(app)
    const res = await createOrUpdate(app, { user: { email: 'x@example.com', user_fields: { numeric_field: '3.5', date_field: 'yesterday', regex_field: '123', checkbox_field: 'maybe' } } })
    expect(res.statusCode).toBe(422)
    expect(res.json()).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: {
        name: [{ description: 'Name: is too short (minimum one character)', error: 'ValueTooShort' }],
        base: [
          { description: 'Numeric Field is not valid', error: 'InvalidValue' },
          { description: 'Date Field is not valid', error: 'InvalidValue' },
          { description: 'Regex Field is not valid', error: 'InvalidValue' },
          { description: 'Checkbox Field is not valid', error: 'InvalidValue' }
        ]
      }
    })
    const only = await createOrUpdate(app, { user: { name: 'N', email: 'x@example.com', user_fields: { decimal_field: 'abc' } } })
    expect(only.json()).toEqual({ error: 'RecordInvalid', description: 'Record validation errors', details: { base: [{ description: 'Decimal Field is not valid', error: 'InvalidValue' }] } })
    expect((await get(app, '/api/v2/users/search.json?query=x@example.com')).json().count).toBe(0)
  })

  test('an account without definitions keeps the keys it is sent (userdouble\'s choice, docs/zendesk.md)', async ({ app }) => {
    const res = await createOrUpdate(app, { user: { name: 'N', email: 'n@example.com', user_fields: { plan: 'pro', seats: 3 } } })
    expect(res.json().user.user_fields).toEqual({ plan: 'pro', seats: 3 })
    await send(app, 'POST', '/api/v2/user_fields.json', { user_field: REQUESTS[0] })
    // Once the account defines fields, only they are rendered.
    expect((await get(app, `/api/v2/users/${USER_ID}.json`)).json().user.user_fields).toEqual({ text_field: null })
  })
})

describe('alias set to null (issue 13 point 3)', () => {
  test('reads back "" (recorded #022); a user created without alias has null (#009)', async ({ app }) => {
    limitsOff(app)
    const created = await createOrUpdate(app, { user: { name: 'J', email: 'j@example.com', alias: 'JC' } })
    expect(created.json().user.alias).toBe('JC')
    const res = await send(app, 'PUT', `/api/v2/users/${USER_ID}.json`, { user: { alias: null, notes: null } })
    expect(res.statusCode).toBe(200)
    expect(res.json().user).toMatchObject({ alias: '', notes: null })
    expect((await get(app, `/api/v2/users/${USER_ID}.json`)).json().user.alias).toBe('')
    const other = await createOrUpdate(app, { user: { name: 'K', email: 'k@example.com' } })
    expect(other.json().user.alias).toBeNull()
  })
})

describe('user fields in the state dump and load', () => {
  test('definitions are dumped first and loaded back; a seed needs only type and key', async ({ app }) => {
    limitsOff(app)
    await defineRecorded(app)
    await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com', user_fields: { numeric_field: 7 } } })
    const state = app.services.find(s => s.name === 'zendesk')!.state
    const dump = state.dump('default', ORIGIN) as { user_fields: unknown[], users: Array<{ user_fields: unknown }> }
    expect(Object.keys(dump)).toEqual(['user_fields', 'users', 'identities', 'organizations'])
    expect(dump.user_fields).toEqual((await get(app, '/api/v2/user_fields.json')).json().user_fields)
    expect(state.load('default', structuredClone(dump))).toEqual({ users: 1, identities: 1, organizations: 0, user_fields: 8 })
    expect(state.dump('default', ORIGIN)).toEqual(dump)
    // New definitions and options never collide with loaded ids.
    const next = await send(app, 'POST', '/api/v2/user_fields.json', { user_field: { type: 'dropdown', key: 'size', title: 'Size', custom_field_options: [{ name: 'S', value: 's' }] } })
    expect(next.json().user_field).toMatchObject({ id: FIELD_ID + 128 * 8, custom_field_options: [{ id: 360000000512 }] })

    state.load('default', { user_fields: [{ type: 'checkbox', key: 'vip', tag: 'vip' }], users: [{ name: 'Seeded', user_fields: { vip: true } }] })
    expect((await get(app, '/api/v2/user_fields.json')).json().user_fields.map((f: { key: string, title: string }) => [f.key, f.title])).toEqual([['vip', 'vip']])
    expect(() => state.load('default', { user_fields: [{ type: 'nope', key: 'x' }] })).toThrow('zendesk.user_fields[0]: Type: is invalid')
  })
})
