import { describe, expect, onTestFinished } from 'vitest'
import { makeApp, test } from '../../helpers/app.js'
import { AUTH, get, postJson, send, UOC } from './helpers.js'

describe('GET /users/{id}/ and /users-by-id/{custom_id}/', () => {
  test('the same user object both ways; 404 for unknown ids and non-integers', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'a/b c', email: 'x@y.test' })
    const byId = await get(app, '/api/public/users/1/')
    const byCustom = await get(app, '/api/public/users-by-id/a%2Fb%20c/')
    expect(byCustom.statusCode).toBe(200)
    expect(byCustom.body).toBe(byId.body)
    for (const url of ['/api/public/users/2/', '/api/public/users/abc/', '/api/public/users-by-id/zzz/']) {
      const res = await get(app, url)
      expect(res.statusCode).toBe(404)
      expect(res.body).toBe('{"detail":"Not found."}')
    }
  })

  test('HEAD is served like GET, without a body', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'u1' })
    const res = await send(app, { method: 'HEAD', url: '/api/public/users/1/' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('')
  })
})

describe('PUT and DELETE', () => {
  test('PUT /users-by-id/{cid}/ updates partially and answers the user; a taken user_id is refused', async ({ app, clock }) => {
    await postJson(app, UOC, { user_id: 'u1', first_name: 'A' })
    await postJson(app, UOC, { user_id: 'u2' })
    clock.advance(10)
    const res = await send(app, { method: 'PUT', url: '/api/public/users-by-id/u1/', headers: { 'content-type': 'application/json' }, payload: { last_name: 'B', tags: ['t'] } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: 1, name: 'A B', tags: [{ id: 1, name: 't' }], updated_at: '2024-01-01T00:00:00.010000Z' })
    const taken = await send(app, { method: 'PUT', url: '/api/public/users/1/', headers: { 'content-type': 'application/json' }, payload: { user_id: 'u2' } })
    expect(taken.statusCode).toBe(400)
    expect(taken.body).toBe('{"user_id":["client user with this user id already exists."]}')
  })

  test('DELETE answers 204 without a body or Content-Type; the user is gone', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'u1', tags: ['a'] })
    await postJson(app, UOC, { user_id: 'u2' })
    let res = await send(app, { method: 'DELETE', url: '/api/public/users/1/' })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    expect(res.headers['content-type']).toBeUndefined()
    res = await send(app, { method: 'DELETE', url: '/api/public/users-by-id/u2/' })
    expect(res.statusCode).toBe(204)
    expect((await get(app, '/api/public/users/1/')).statusCode).toBe(404)
    expect((await send(app, { method: 'DELETE', url: '/api/public/users/1/' })).statusCode).toBe(404)
    expect(app.kernel.db.prepare('SELECT count(*) FROM usercom_user_tags').pluck().get()).toBe(0)
  })
})

describe('GET /users/search/', () => {
  test('by email, key or phone_number: one object, many=true a list, 404 when none', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'u1', email: 'same@x.test', phone_number: '+48 1' })
    await postJson(app, UOC, { user_id: 'u2', email: 'same@x.test' })
    const first = await get(app, '/api/public/users/search/?email=same%40x.test')
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({ id: 1, user_id: 'u1' })
    const many = await get(app, '/api/public/users/search/?email=same%40x.test&many=true')
    expect(many.json().map((u: { id: number }) => u.id)).toEqual([1, 2])
    const key = first.json().key as string
    expect((await get(app, `/api/public/users/search/?key=${key}`)).json().id).toBe(1)
    expect((await get(app, '/api/public/users/search/?phone_number=%2B48+1')).json().id).toBe(1)
    const none = await get(app, '/api/public/users/search/?email=none%40x.test')
    expect(none.statusCode).toBe(404)
    expect(none.body).toBe('{"detail":"Not found."}')
    expect((await get(app, '/api/public/users/search/?email=none%40x.test&many=true')).body).toBe('[]')
  })
})

describe('set_attribute and set_multiple_attributes', () => {
  test('set, overwrite by name_std, answer the user', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'u1' })
    let res = await postJson(app, '/api/public/users/1/set_attribute/', { attribute: 'Plan Name', value: 'pro' })
    expect(res.statusCode).toBe(200)
    expect(res.json().attributes).toEqual([{ value: 'pro', name: 'Plan Name', name_std: 'plan_name', id: 1 }])
    res = await postJson(app, '/api/public/users-by-id/u1/set_multiple_attributes/', { plan_name: 'max', seats: 3 })
    expect(res.statusCode).toBe(200)
    expect(res.json().attributes).toEqual([
      { value: 'max', name: 'Plan Name', name_std: 'plan_name', id: 1 },
      { value: 3, name: 'seats', name_std: 'seats', id: 2 }
    ])
  })

  test('DRF errors: missing fields, non-object body, unknown user', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'u1' })
    let res = await postJson(app, '/api/public/users/1/set_attribute/', {})
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe('{"attribute":["This field is required."],"value":["This field is required."]}')
    res = await postJson(app, '/api/public/users/1/set_multiple_attributes/', '[1]')
    expect(res.body).toBe('{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}')
    res = await postJson(app, '/api/public/users/9/set_attribute/', { attribute: 'a', value: 1 })
    expect(res.statusCode).toBe(404)
  })
})

describe('GET /users/: cursor pagination', () => {
  test('100 per page, absolute next/previous on the addressed origin, count of all', async () => {
    // X-Forwarded-* counts only from a trusted proxy (TRUST_PROXY).
    const app = await makeApp({ config: { TRUST_PROXY: 'on' } })
    onTestFinished(async () => { await app.close() })
    const stmt = app.kernel.db.prepare('INSERT INTO usercom_users (account_id, id, key, created_at, updated_at) VALUES (\'default\', ?, ?, 0, 0)')
    app.kernel.db.transaction(() => { for (let i = 1; i <= 250; i++) stmt.run(i, `k${String(i).padStart(11, '0')}`) })()
    const headers = { host: 'acme.user.com', 'x-forwarded-proto': 'https' }
    const page1 = (await get(app, '/api/public/users/?with_email=1', headers)).json()
    expect(page1.count).toBe(250)
    expect(page1.results).toHaveLength(100)
    expect(page1.results[0].id).toBe(1)
    expect(page1.previous).toBeNull()
    expect(page1.next).toBe(`https://acme.user.com/api/public/users/?cursor=${Buffer.from('p=100').toString('base64').replace(/=/g, '%3D')}&with_email=1`)
    const page2 = (await get(app, page1.next.replace('https://acme.user.com', ''), headers)).json()
    expect(page2.results[0].id).toBe(101)
    const page3 = (await get(app, page2.next.replace('https://acme.user.com', ''), headers)).json()
    expect(page3.results.map((u: { id: number }) => u.id)).toEqual(Array.from({ length: 50 }, (_, i) => 201 + i))
    expect(page3.next).toBeNull()
    const back = (await get(app, page3.previous.replace('https://acme.user.com', ''), headers)).json()
    expect(back.results[0].id).toBe(101)
    expect(back.results).toHaveLength(100)
  })

  test('an invalid cursor is 404 "Invalid cursor"', async ({ app }) => {
    const res = await get(app, '/api/public/users/?cursor=%%%')
    expect(res.statusCode).toBe(404)
    expect(res.body).toBe('{"detail":"Invalid cursor"}')
  })

  test('an empty account', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/api/public/users/', headers: AUTH })
    expect(res.body).toBe('{"count":0,"next":null,"previous":null,"results":[]}')
  })
})
