import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { get, postJson, UOC } from './helpers.js'

describe('User.com limits', () => {
  test.for(['1e400', '-1e400', '1.5E+999'])('%s is refused at parse (DRF would store inf, then fail to render it: a 500)', async (n, { app }) => {
    const res = await postJson(app, UOC, `{"user_id":"i","score_x":${n}}`)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.body).toBe(`{"detail":"JSON parse error - Out of range float values are not JSON compliant: '${n}'"}`)
    expect(app.services.find(s => s.name === 'usercom')!.state.count('default')).toEqual({ users: 0 })
    expect(() => JSON.stringify(app.services.find(s => s.name === 'usercom')!.state.dump('default', 'http://localhost'))).not.toThrow()
  })

  test('1000 custom attributes in one request are accepted, 1001 refused with DRF\'s 400 shape', async ({ app }) => {
    const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`attr ${i}`, i]))
    const over = await postJson(app, UOC, { user_id: 'u', ...attrs(1001) })
    expect(over.statusCode).toBe(400)
    expect(over.body).toBe('{"non_field_errors":["Too many custom attributes in one request: 1001 (at most 1000)."]}')
    const multi = await postJson(app, '/api/public/users/1/set_multiple_attributes/', attrs(1001))
    expect(multi.statusCode).toBe(404) // no user yet: the object is looked up before the body
    const ok = await postJson(app, UOC, { user_id: 'u', ...attrs(1000) })
    expect(ok.statusCode).toBe(201)
    expect((await get(app, '/api/public/users/1/')).json().attributes).toHaveLength(1000)
    const multiOver = await postJson(app, '/api/public/users/1/set_multiple_attributes/', attrs(1001))
    expect(multiOver.statusCode).toBe(400)
    expect(multiOver.body).toBe('{"non_field_errors":["Too many custom attributes in one request: 1001 (at most 1000)."]}')
  })

  test('attribute lookups are indexed: 1000 attributes on an account that defines 40,000 take well under a second', async ({ app }) => {
    // 40,000 definitions via a load (the old `name = ? OR name_std = ?` scanned them for every key).
    app.services.find(s => s.name === 'usercom')!.state.load('default', {
      users: [{ id: 1, user_id: 'u', name: 'U' }],
      attributes: Array.from({ length: 40_000 }, (_, i) => ({ id: i + 1, name: `Old ${i}`, name_std: `old_${i}`, value_type: 'integer' }))
    })
    const body = { user_id: 'u', ...Object.fromEntries(Array.from({ length: 998 }, (_, i) => [`New ${i}`, i])), 'Old 7': 1, old_8: 2 }
    const started = performance.now()
    const res = await postJson(app, UOC, body)
    const took = performance.now() - started
    expect(res.body).toBe('{"created":false,"id":1}')
    expect(took).toBeLessThan(1000)
    const user = (await get(app, '/api/public/users/1/')).json() as { attributes: Array<{ id: number, name: string }> }
    // Existing definitions are reused by name and by name_std; new ones continue after 40,000.
    expect(user.attributes.slice(0, 2)).toEqual([{ value: 1, name: 'Old 7', name_std: 'old_7', id: 8 }, { value: 2, name: 'Old 8', name_std: 'old_8', id: 9 }])
    expect(user.attributes[2]).toEqual({ value: 0, name: 'New 0', name_std: 'new_0', id: 40_001 })
  })
})
