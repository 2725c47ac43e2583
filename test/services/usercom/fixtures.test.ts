import { FormatRegistry } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { UserSchema } from '../../../src/services/usercom/users.schemas.js'
import { get, KEY, postJson, UOC } from './helpers.js'

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', v => !Number.isNaN(Date.parse(v)))

/** §12 of the User.com spec: the fixture set, with exact bodies. */
describe('§12 fixtures', () => {
  test('1. create, then GET shows the documented defaults', async ({ app }) => {
    const res = await postJson(app, UOC, { user_id: 'u1', email: 'a@b.c', first_name: 'John', last_name: 'Doe' })
    expect(res.statusCode).toBe(201)
    expect(res.body).toBe('{"created":true,"id":1}')
    const user = await get(app, '/api/public/users/1/')
    expect(user.statusCode).toBe(200)
    expect(user.headers['content-type']).toBe('application/json')
    const key = user.json().key as string
    expect(key).toMatch(/^[A-Za-z0-9]{12}$/)
    expect(user.body).toBe('{"updated_at":"2024-01-01T00:00:00Z","companies":[],"key":"' + key + '","user_id":"u1","city":null,"linkedin_url":null,' +
      '"tags":[],"last_contacted":null,"phone_number":null,"facebook_url":null,"notifications":true,"region":null,"timezone":null,' +
      '"status":"visitor","gravatar_url":null,"twitter_url":null,"google_url":null,"os_type":null,"email":"a@b.c","score":0,' +
      '"assigned_to":null,"unsubscribed":false,"first_seen":null,"page_views":0,"last_ip":null,' +
      '"chat_id":"Chat ID is deprecated and will be removed in future","browser":null,"gender":"unknown","resolution":null,' +
      '"country":null,"name":"John Doe","created_at":"2024-01-01T00:00:00Z","last_seen":null,"lists":[],"attributes":[],' +
      '"browser_language":null,"id":1}')
    expect(Value.Check(UserSchema, user.json())).toBe(true)
  })

  test('2. update: same id, other fields kept, updated_at advances (with microseconds)', async ({ app, clock }) => {
    await postJson(app, UOC, { user_id: 'u1', email: 'a@b.c', first_name: 'John', last_name: 'Doe' })
    clock.advance(1500)
    const res = await postJson(app, UOC, { user_id: 'u1', city: 'Warsaw' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('{"created":false,"id":1}')
    expect(res.headers.location).toBe('http://localhost:80/api/public/users/1/')
    const user = (await get(app, '/api/public/users/1/')).json()
    expect(user).toMatchObject({ email: 'a@b.c', name: 'John Doe', city: 'Warsaw', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:01.500000Z' })
  })

  test('3. tags are added, never removed', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'u1', tags: ['a'] })
    await postJson(app, UOC, { user_id: 'u1', tags: ['b', 'a'] })
    expect((await get(app, '/api/public/users/1/')).json().tags).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }])
  })

  test('4. gender 2 is accepted, "male" is not', async ({ app }) => {
    expect((await postJson(app, UOC, { user_id: 'u1', gender: 2 })).statusCode).toBe(201)
    expect((await get(app, '/api/public/users/1/')).json().gender).toBe('male')
    const res = await postJson(app, UOC, { user_id: 'u1', gender: 'male' })
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe('{"gender":["\\"male\\" is not a valid choice."]}')
  })

  test('5. first_name of 41 characters', async ({ app }) => {
    const res = await postJson(app, UOC, { user_id: 'u1', first_name: 'x'.repeat(41) })
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe('{"first_name":["Ensure this field has no more than 40 characters."]}')
  })

  test('6. no credentials, wrong key', async ({ app }) => {
    let res = await app.inject({ method: 'POST', url: UOC, headers: { 'content-type': 'application/json' }, payload: '{}' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Token')
    expect(res.body).toBe('{"detail":"Authentication credentials were not provided."}')
    res = await app.inject({ method: 'POST', url: UOC, headers: { authorization: 'Token ' + 'x'.repeat(64), 'content-type': 'application/json' }, payload: '{}' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Token')
    expect(res.body).toBe('{"detail":"Invalid token."}')
  })

  test('7. user_id=x labelled JSON is a parse error; labelled form it succeeds', async ({ app }) => {
    let res = await postJson(app, UOC, 'user_id=x')
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe('{"detail":"JSON parse error - Expecting value: line 1 column 1 (char 0)"}')
    res = await app.inject({ method: 'POST', url: UOC, headers: { authorization: `Token ${KEY}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'user_id=x' })
    expect(res.statusCode).toBe(201)
    expect(res.body).toBe('{"created":true,"id":1}')
  })

  test('8. GET on update_or_create', async ({ app }) => {
    const res = await get(app, UOC)
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toBe('POST, OPTIONS')
    expect(res.body).toBe('{"detail":"Method \\"GET\\" not allowed."}')
  })

  test('9. Accept: */*; version=2 matches on custom_id', async ({ app }) => {
    const v2 = { accept: '*/*; version=2' }
    let res = await postJson(app, UOC, { custom_id: 'c1', first_name: 'Ann' }, v2)
    expect(res.statusCode).toBe(201)
    expect(res.headers['content-type']).toBe('application/json;version=2')
    expect(res.body).toBe('{"created":true,"id":1}')
    res = await postJson(app, UOC, { custom_id: 'c1', last_name: 'Lee' }, v2)
    expect(res.body).toBe('{"created":false,"id":1}')
    const user = (await get(app, '/api/public/users-by-id/c1/', v2)).json()
    expect(user).toMatchObject({ custom_id: 'c1', name: 'Ann Lee' })
    expect(user.user_key).toMatch(/^[A-Za-z0-9]{12}$/)
    expect(user).not.toHaveProperty('key')
    // v1 sees the same user under its v1 names.
    expect((await get(app, '/api/public/users-by-id/c1/')).json()).toMatchObject({ user_id: 'c1', id: 1 })
  })
})
