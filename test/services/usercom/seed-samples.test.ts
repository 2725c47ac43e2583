import { readFileSync } from 'node:fs'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { KEY, UOC } from './helpers.js'

/**
 * The six code samples of User.com's update_or_create page, each sent with the method, headers
 * and body bytes its client puts on the wire (see the fixture's notes), against a fresh app.
 */
interface Sample { name: string, headers: Record<string, string>, body: string }
const { samples } = JSON.parse(readFileSync(new URL('../../fixtures/usercom/seed-samples.json', import.meta.url), 'utf8')) as { samples: Sample[] }
const headersOf = (s: Sample) => Object.fromEntries(Object.entries(s.headers).map(([k, v]) => [k, v.replace('{KEY}', KEY)]))
const byName = (name: string): Sample => samples.find(s => s.name === name)!

const JSON_PARSE_400 = '{"detail":"JSON parse error - Expecting value: line 1 column 1 (char 0)"}'

describe('seed samples of POST /users/update_or_create/', () => {
  test.for(['curl', 'node request', 'PHP curl', 'Python requests'])('%s creates the user: 201, Location, {"created":true,"id":1}', async (name, { app }) => {
    const res = await app.inject({ method: 'POST', url: UOC, headers: { ...headersOf(byName(name)), host: 'acme.user.com' }, payload: byName(name).body })
    expect(res.statusCode).toBe(201)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers.location).toBe('http://acme.user.com/api/public/users/1/')
    expect(res.headers.allow).toBe('POST, OPTIONS')
    expect(res.headers['x-userdouble-hint']).toBeUndefined()
    expect(res.body).toBe('{"created":true,"id":1}')
    const user = await app.inject({ method: 'GET', url: '/api/public/users/1/', headers: { authorization: `Token ${KEY}` } })
    expect(user.json()).toMatchObject({ user_id: 'my_custom_id', name: 'John Doe' })
  })

  test.for(['jQuery', 'XMLHttpRequest'])('%s sends a form body labelled JSON: DRF\'s 400, with a hint header', async (name, { app }) => {
    const res = await app.inject({ method: 'POST', url: UOC, headers: headersOf(byName(name)), payload: byName(name).body })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.body).toBe(JSON_PARSE_400)
    expect(res.headers['x-userdouble-hint']).toMatch(/^The body is application\/x-www-form-urlencoded but labelled application\/json/)
    const count = app.kernel.db.prepare('SELECT count(*) FROM usercom_users').pluck().get()
    expect(count).toBe(0)
  })

  test('all six in a row against one app: one user, created once, updated after', async ({ app }) => {
    const outcomes: string[] = []
    for (const s of samples) {
      const res = await app.inject({ method: 'POST', url: UOC, headers: headersOf(s), payload: s.body })
      outcomes.push(`${s.name} ${res.statusCode} ${res.body}`)
    }
    expect(outcomes).toEqual([
      'curl 201 {"created":true,"id":1}',
      `jQuery 400 ${JSON_PARSE_400}`,
      `XMLHttpRequest 400 ${JSON_PARSE_400}`,
      'node request 200 {"created":false,"id":1}',
      'PHP curl 200 {"created":false,"id":1}',
      'Python requests 200 {"created":false,"id":1}'
    ])
  })
})
