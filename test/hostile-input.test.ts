import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { openDatabase } from '../src/kernel/database.js'

// Every surface, every method, a catalogue of bad bodies: the answer is always the surface's own
// (vendor or control plane), never Fastify's default error body, a stack trace or a 500.
const zd = 'Basic ' + Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')
const uc = 'Token userdouble0usercom0api0key00000000000000000000000000000000000000'
const bodies: Array<[string, string | Buffer]> = [
  ['application/json', '{"user":'], ['application/json', '[]'], ['application/json', 'null'], ['application/json', '"x"'],
  ['application/json', '{"user":{"name":{"a":1},"email":["x"],"tags":"a,b","user_fields":[1],"identities":"x","organization":"x","role":5}}'],
  ['application/json', '{"__proto__":{"x":1},"user":{"name":"a","constructor":{"prototype":{"y":1}}}}'],
  ['application/json', 'x'.repeat(3_000_000)], ['text/plain', 'hello'], ['application/xml', '<a/>'], ['', 'abc'],
  ['multipart/form-data', '--x\r\n'], ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="user_id"\r\n\r\nabc\r\n--x--\r\n'],
  ['application/x-www-form-urlencoded', 'user[name]=a&user[email]=b@c.de&user[tags][]=x'], ['application/x-www-form-urlencoded', '%%%&&=='],
  ['application/json; charset=latin1', '{"user_id":"\xe9"}'], ['application/json', Buffer.from([0xff, 0xfe, 0x00])],
  ['application/json', '{"user_id": "\u0000\u0000", "first_name": "\ud800", "user": {"name": "\u202e\u0000<script>"}}'],
  ['application/json', '{"user_id": 1e400, "score": 99999999999999999999, "user": {"name": "x", "id": 1e400}}']
]
const paths = [
  '/api/v2/users/create_or_update', '/api/v2/users/create_or_update.json', '/api/v2/users/1', '/api/v2/users/abc.json',
  '/api/v2/users/create_or_update_many.json', '/api/v2/users/search.json?query=%25', '/api/v2/users/show_many.json?ids=a,b',
  '/api/v2/job_statuses/x.json', '/api/v2/users/%E0.json', '/api/public/users/%E0/', '/api/public/users/update_or_create/', '/api/public/users/update_or_create', '/api/public/users/1/',
  '/api/public/users/abc/', '/api/public/users-by-id/%00/', '/api/public/users/search/?email=', '/api/public/users/?cursor=zzz',
  '/api/public/users/1/set_attribute/', '/__mock/accounts', '/__mock/faults', '/__mock/clock', '/__mock/accounts/default/state'
]

let app: FastifyInstance
beforeAll(async () => { app = await buildApp({ db: openDatabase(':memory:'), config: { ID_SEED: 1 } }) })
afterAll(async () => { await app.close() })

describe('hostile input', () => {
  it('never gets a Fastify default body, a stack trace or a 500', async () => {
    const bad: string[] = []
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const) {
        for (const [type, body] of bodies) {
          const headers: Record<string, string> = type ? { 'content-type': type } : {}
          if (path.startsWith('/api/v2')) headers.authorization = zd
          if (path.startsWith('/api/public')) headers.authorization = uc
          const res = await app.inject({ method, url: path, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { payload: body }) })
          if (res.statusCode >= 500 || /"statusCode":|FST_ERR|\bat .+\.(js|ts):\d+/.test(res.body)) bad.push(`${method} ${path} [${type}] → ${res.statusCode} ${res.body.slice(0, 120)}`)
        }
      }
    }
    expect(bad).toEqual([])
  }, 120_000)
})
