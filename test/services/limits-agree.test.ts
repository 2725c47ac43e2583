import { describe, expect } from 'vitest'
import { test } from '../helpers/app.js'
import { TOKEN_AUTH, createOrUpdate, get, limitsOff } from './zendesk/helpers.js'
import { AUTH, UOC, get as ucGet, postJson } from './usercom/helpers.js'

describe('limits that agree with each other (issue 14.8)', () => {
  test('Zendesk search: a page past 10,000 records is empty, never a 500, whatever the page number', async ({ app }) => {
    limitsOff(app)
    for (let i = 0; i < 3; i++) expect((await createOrUpdate(app, { user: { name: `Pat ${i}`, email: `p${i}@example.com` } }, { authorization: TOKEN_AUTH })).statusCode).toBe(201)
    for (const page of ['100000000000000000000', '101', '9007199254740993']) {
      const res = await get(app, `/api/v2/users/search.json?query=Pat&page=${page}`, { authorization: TOKEN_AUTH })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body.users).toEqual([])
      expect(body.next_page).toBeNull()
      expect(body.count).toBe(3)
    }
    const first = (await get(app, '/api/v2/users/search.json?query=Pat&per_page=2', { authorization: TOKEN_AUTH })).json()
    expect(first.users.map((u: { name: string }) => u.name)).toEqual(['Pat 0', 'Pat 1'])
    expect(first.next_page).toMatch(/page=2/)
  })

  test('User.com: a user_id of 255 characters (the field\'s limit), even percent-encoded, reads back by id', async ({ app }) => {
    for (const userId of ['u'.repeat(255), '\u{1F600}'.repeat(255)]) {
      const created = await postJson(app, UOC, { user_id: userId })
      expect(created.statusCode).toBe(201)
      const res = await ucGet(app, `/api/public/users-by-id/${encodeURIComponent(userId)}/`, AUTH)
      expect(res.statusCode).toBe(200)
      expect(res.json().user_id).toBe(userId)
    }
  })
})

describe('400s the HTTP layer used to leave undocumented', () => {
  test('a job status id past every limit, and DELETE with an unparseable content type, answer in the vendor\'s shape as documented', async ({ app }) => {
    // `app.inject` checks each answer against openapi/*.yaml (test/helpers/contract.ts).
    const job = await get(app, `/api/v2/job_statuses/${'x'.repeat(101)}.json`, { authorization: TOKEN_AUTH })
    expect(job.statusCode).toBe(404)
    expect(job.json()).toEqual({ error: 'RecordNotFound', description: 'Not found' })
    const long = await get(app, `/api/v2/job_statuses/${'x'.repeat(5000)}.json`, { authorization: TOKEN_AUTH })
    expect(long.statusCode).toBe(400)
    expect(long.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(long.payload).toBe('Bad Request')
    const zd = await app.inject({ method: 'DELETE', url: '/api/v2/users/1.json', headers: { authorization: TOKEN_AUTH, 'content-type': 'a/b/c' }, payload: 'x' })
    expect(zd.statusCode).toBe(400)
    expect(zd.headers['content-type']).toBe('text/plain; charset=utf-8')
    const uc = await app.inject({ method: 'DELETE', url: '/api/public/users/1/', headers: { ...AUTH, 'content-type': 'a/b/c' }, payload: 'x' })
    expect(uc.statusCode).toBe(400)
    expect(uc.json()).toEqual({ detail: 'Malformed request.' })
  })
})
