import { describe, expect } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { test } from '../../helpers/app.js'
import { JSON_TYPE, TOKEN_AUTH, createOrUpdate, get, limitsOff } from './helpers.js'

const FIRST_ID = 360000000128
const STEP = 128

const post = (app: FastifyInstance, body: unknown, url = '/api/v2/users.json') =>
  app.inject({ method: 'POST', url, headers: { authorization: TOKEN_AUTH }, payload: body as object })

describe('POST /api/v2/users (create only)', () => {
  test('201 with Location and the user, as create_or_update renders it (§10.5 #044)', async ({ app }) => {
    const res = await post(app, { user: { name: 'Posted', email: 'posted@example.com', tags: ['existing', 'here'] } })
    expect(res.statusCode).toBe(201)
    expect(res.headers.location).toBe(`http://localhost:80/api/v2/users/${FIRST_ID}.json`)
    expect(res.headers['content-type']).toBe(JSON_TYPE)
    expect(res.headers['cache-control']).toBe('max-age=0, private, must-revalidate')
    expect(res.headers.etag).toMatch(/^W\/"[0-9a-f]{32}"$/)
    const shown = await get(app, `/api/v2/users/${FIRST_ID}.json`)
    expect(res.json()).toEqual(shown.json())
    expect(res.json().user).toMatchObject({ id: FIRST_ID, name: 'Posted', email: 'posted@example.com', external_id: null, tags: ['existing', 'here'] })
  })

  test('without .json, the same; a second POST with the e-mail (any case) is the 422 DuplicateValue, nothing written', async ({ app }) => {
    expect((await post(app, { user: { name: 'A', email: 'taken@example.com' } }, '/api/v2/users')).statusCode).toBe(201)
    const res = await post(app, { user: { name: 'B', email: 'TAKEN@example.com' } })
    expect(res.statusCode).toBe(422)
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers.etag).toBeUndefined()
    expect(res.body).toBe(JSON.stringify({ error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email: TAKEN@example.com is already being used by another user', error: 'DuplicateValue' }] } }))
    const list = await get(app, '/api/v2/users.json')
    expect(list.json().count).toBe(1)
  })

  test('a taken external_id too, with every other problem alongside, keyed name, email, external_id', async ({ app }) => {
    await post(app, { user: { name: 'A', email: 'a@example.com', external_id: 'ext-1' } })
    const res = await post(app, { user: { name: '', email: 'a@example.com', external_id: 'EXT-1' } })
    expect(res.statusCode).toBe(422)
    expect(res.body).toBe(JSON.stringify({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: {
        name: [{ description: 'Name: is too short (minimum one character)', error: 'ValueTooShort' }],
        email: [{ description: 'Email: a@example.com is already being used by another user', error: 'DuplicateValue' }],
        external_id: [{ description: 'External has already been taken', error: 'DuplicateValue' }]
      }
    }))
  })

  test('the keys of a deleted user are free again: 201, a new id', async ({ app }) => {
    await post(app, { user: { name: 'A', email: 'a@example.com', external_id: 'x' } })
    await app.inject({ method: 'DELETE', url: `/api/v2/users/${FIRST_ID}.json`, headers: { authorization: TOKEN_AUTH } })
    const res = await post(app, { user: { name: 'A2', email: 'a@example.com', external_id: 'x' } })
    expect(res.statusCode).toBe(201)
    expect(res.json().user.id).toBe(FIRST_ID + STEP)
  })
})

async function seed (app: FastifyInstance): Promise<number[]> {
  limitsOff(app)
  const users = [
    { name: 'E1', email: 'e1@example.com' },
    { name: 'Ag', email: 'ag@example.com', role: 'agent', custom_role_id: 7 },
    { name: 'E2', email: 'e2@example.com' },
    { name: 'Ad', email: 'ad@example.com', role: 'admin' },
    { name: 'E3', email: 'e3@example.com' }
  ]
  const ids: number[] = []
  for (const user of users) ids.push((await createOrUpdate(app, { user })).json().user.id)
  return ids
}

describe('GET /api/v2/users', () => {
  test('offset pagination: users by id, next_page / previous_page as absolute URLs, count; deleted users left out', async ({ app }) => {
    const ids = await seed(app)
    await app.inject({ method: 'DELETE', url: `/api/v2/users/${ids[4]!}.json`, headers: { authorization: TOKEN_AUTH } })
    const first = await get(app, '/api/v2/users.json?per_page=2')
    expect(first.statusCode).toBe(200)
    expect(first.headers['cache-control']).toBe('max-age=0, private, must-revalidate')
    const body = first.json()
    expect(Object.keys(body)).toEqual(['users', 'next_page', 'previous_page', 'count'])
    expect(body.users.map((u: { id: number }) => u.id)).toEqual([ids[0], ids[1]])
    expect(body).toMatchObject({ next_page: 'http://localhost:80/api/v2/users.json?per_page=2&page=2', previous_page: null, count: 4 })
    const second = (await get(app, '/api/v2/users?per_page=2&page=2')).json()
    expect(second.users.map((u: { id: number }) => u.id)).toEqual([ids[2], ids[3]])
    expect(second).toMatchObject({ next_page: null, previous_page: 'http://localhost:80/api/v2/users?per_page=2&page=1', count: 4 })
  })

  test('role, role[] and permission_set filter', async ({ app }) => {
    const ids = await seed(app)
    const names = async (q: string) => (await get(app, `/api/v2/users.json?${q}`)).json().users.map((u: { name: string }) => u.name)
    expect(await names('role=end-user')).toEqual(['E1', 'E2', 'E3'])
    expect(await names('role[]=agent&role[]=admin')).toEqual(['Ag', 'Ad'])
    expect(await names('role[]=admin')).toEqual(['Ad'])
    expect(await names('permission_set=7')).toEqual(['Ag'])
    expect(await names('role=nobody')).toEqual([])
    expect((await get(app, '/api/v2/users.json?role=admin')).json()).toEqual({
      users: [(await get(app, `/api/v2/users/${ids[3]!}.json`)).json().user], next_page: null, previous_page: null, count: 1
    })
  })

  test('cursor pagination: page[size], meta.has_more / after_cursor, links.next until has_more is false', async ({ app }) => {
    const ids = await seed(app)
    const res = await get(app, '/api/v2/users.json?page[size]=2')
    expect(res.statusCode).toBe(200)
    const page1 = res.json()
    expect(Object.keys(page1)).toEqual(['users', 'meta', 'links'])
    expect(Object.keys(page1.meta)).toEqual(['has_more', 'after_cursor', 'before_cursor'])
    expect(page1.users.map((u: { id: number }) => u.id)).toEqual([ids[0], ids[1]])
    expect(page1.meta.has_more).toBe(true)
    expect(page1.links.next).toBe(`http://localhost:80/api/v2/users.json?page%5Bsize%5D=2&page%5Bafter%5D=${encodeURIComponent(page1.meta.after_cursor)}`)
    const seen = [...page1.users]
    let page = page1
    while (page.meta.has_more) {
      page = (await get(app, page.links.next.replace('http://localhost:80', ''))).json()
      seen.push(...page.users)
    }
    expect(seen.map((u: { id: number }) => u.id)).toEqual(ids)
    expect(page.users).toHaveLength(1)
    const back = (await get(app, page.links.prev.replace('http://localhost:80', ''))).json()
    expect(back.users.map((u: { id: number }) => u.id)).toEqual([ids[2], ids[3]])
    expect(back.meta.has_more).toBe(true)
  })

  test('an empty page: has_more false, null cursors and links; a cursor that is not one is a 400', async ({ app }) => {
    const empty = await get(app, '/api/v2/users.json?page[size]=10')
    expect(empty.json()).toEqual({ users: [], meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { prev: null, next: null } })
    const bad = await get(app, '/api/v2/users.json?page[size]=10&page[after]=nonsense')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ error: { title: 'Invalid attribute', message: 'You passed an invalid value for the page[after] attribute. Invalid parameter: page[after] is not a valid cursor from api/v2/users/index' } })
  })
})
