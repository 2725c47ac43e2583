import { describe, expect, onTestFinished } from 'vitest'
import { makeApp, test } from '../../helpers/app.js'
import { AUTH, get, postJson, UOC } from './helpers.js'

const count = (app: { kernel: { db: { prepare: (s: string) => { pluck: () => { get: () => unknown } } } } }, table = 'usercom_users') =>
  app.kernel.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()

describe('update_or_create: validation with DRF messages', () => {
  test('errors are keyed in serializer field order, all at once, nothing written', async ({ app }) => {
    const res = await postJson(app, UOC, { user_id: 'u1', unsubscribed: 'maybe', score: 'ten', email: 'nope', city: 'x'.repeat(65), gender: 4, status: '3', notifications: null, tags: 'a' })
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe('{"city":["Ensure this field has no more than 64 characters."],"email":["Enter a valid email address."],' +
      '"gender":["\\"4\\" is not a valid choice."],"notifications":["This field may not be null."],"score":["A valid integer is required."],' +
      '"status":["\\"3\\" is not a valid choice."],"unsubscribed":["Must be a valid boolean."],"tags":["Expected a list of items but got type \\"str\\"."]}')
    expect(count(app)).toBe(0)
  })

  test.for([
    [{ score: '7' }, 'score', 7],
    [{ score: 7.0 }, 'score', 7],
    [{ score: ' 8 ' }, 'score', 8],
    [{ gender: '3' }, 'gender', 'female'],
    [{ status: 2 }, 'status', 'user'],
    [{ notifications: 'off' }, 'notifications', false],
    [{ notifications: 0 }, 'notifications', false],
    [{ unsubscribed: 'YES' }, 'unsubscribed', true],
    [{ phone_number: 123 }, 'phone_number', '123'],
    [{ city: '  Kraków  ' }, 'city', 'Kraków'],
    [{ city: null }, 'city', null],
    [{ assigned_to: '12' }, 'assigned_to', 12]
  ] as const)('coerces %j as DRF does', async ([body, field, expected], { app }) => {
    const res = await postJson(app, UOC, { user_id: 'u1', ...body })
    expect(res.statusCode).toBe(201)
    expect((await get(app, '/api/public/users/1/')).json()[field]).toEqual(expected)
  })

  test.for([
    [{ score: 5.5 }, '{"score":["A valid integer is required."]}'],
    ['{"score": 1e20}', '{"score":["A valid integer is required."]}'],
    ['{"score": 1e15}', '{"score":["Ensure this value is less than or equal to 2147483647."]}'],
    [{ score: true }, '{"score":["A valid integer is required."]}'],
    [{ score: 2147483648 }, '{"score":["Ensure this value is less than or equal to 2147483647."]}'],
    ['{"gender": 2.0}', '{"gender":["\\"2.0\\" is not a valid choice."]}'],
    [{ gender: true }, '{"gender":["\\"True\\" is not a valid choice."]}'],
    [{ gender: null }, '{"gender":["This field may not be null."]}'],
    [{ notifications: 'tRue' }, '{"notifications":["Must be a valid boolean."]}'],
    [{ first_name: ['a'] }, '{"first_name":["Not a valid string."]}'],
    [{ first_name: true }, '{"first_name":["Not a valid string."]}'],
    [{ first_name: 'a\u0000b' }, '{"first_name":["Null characters are not allowed."]}'],
    [{ user_id: '' }, '{"user_id":["This field may not be blank."]}'],
    [{ user_id: { a: 1 } }, '{"user_id":["Not a valid string."]}'],
    [{ tags: ['ok', 3, '', null] }, '{"tags":{"2":["This field may not be blank."],"3":["This field may not be null."]}}'],
    [{ tags: { a: 1 } }, '{"tags":["Expected a list of items but got type \\"dict\\"."]}']
  ] as const)('refuses %j', async ([body, expected], { app }) => {
    const res = await postJson(app, UOC, typeof body === 'string' ? body : { user_id: 'u1', ...body })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.body).toBe(expected)
    expect(count(app)).toBe(0)
  })

  test('a list tag value that is a number is a string, as CharField does', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'u1', tags: [3] })
    expect((await get(app, '/api/public/users/1/')).json().tags).toEqual([{ id: 1, name: '3' }])
  })

  test.for([
    ['[1,2]', '{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}'],
    ['"x"', '{"non_field_errors":["Invalid data. Expected a dictionary, but got str."]}'],
    ['5', '{"non_field_errors":["Invalid data. Expected a dictionary, but got int."]}'],
    ['true', '{"non_field_errors":["Invalid data. Expected a dictionary, but got bool."]}'],
    ['null', '{"non_field_errors":["No data provided"]}']
  ])('JSON %s that is not an object', async ([body, expected], { app }) => {
    const res = await postJson(app, UOC, body)
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe(expected)
  })

  test('strict e-mail validation (Django EmailValidator) is a per-account switch', async ({ app }) => {
    expect((await postJson(app, UOC, { user_id: 'u1', email: 'a@b.c' })).statusCode).toBe(201)
    app.kernel.accounts.saveSettings('default', { usercom: { strictEmail: true } })
    const res = await postJson(app, UOC, { user_id: 'u1', email: 'a@b.c' })
    expect(res.body).toBe('{"email":["Enter a valid email address."]}')
    expect((await postJson(app, UOC, { user_id: 'u1', email: 'ann@example.com' })).statusCode).toBe(200)
  })
})

describe('update_or_create: bodies as DRF parses them', () => {
  test.for([
    ['{"user_id": "u1",}', 'JSON parse error - Expecting property name enclosed in double quotes: line 1 column 18 (char 17)'],
    ['{"user_id": "u1"', "JSON parse error - Expecting ',' delimiter: line 1 column 17 (char 16)"],
    ['{"score": NaN}', "JSON parse error - Out of range float values are not JSON compliant: 'NaN'"]
  ])('malformed JSON %j', async ([body, detail], { app }) => {
    const res = await postJson(app, UOC, body)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ detail })
    expect(res.headers['x-userdouble-hint']).toBeUndefined()
  })

  test('bytes that are not UTF-8 get Python\'s codec message', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: UOC, headers: { ...AUTH, 'content-type': 'application/json' }, payload: Buffer.from([0x7b, 0xff, 0x7d]) })
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe('{"detail":"JSON parse error - \'utf-8\' codec can\'t decode byte 0xff in position 1: invalid start byte"}')
  })

  test('a broken multi-byte sequence is an invalid continuation byte; a truncated tail is dropped as Python\'s StreamReader does', async ({ app }) => {
    let res = await app.inject({ method: 'POST', url: UOC, headers: { ...AUTH, 'content-type': 'application/json' }, payload: Buffer.from([0x7b, 0x22, 0xc3, 0x28]) })
    expect(res.body).toBe('{"detail":"JSON parse error - \'utf-8\' codec can\'t decode byte 0xc3 in position 2: invalid continuation byte"}')
    res = await app.inject({ method: 'POST', url: UOC, headers: { ...AUTH, 'content-type': 'application/json' }, payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3]) })
    expect(res.body).toBe('{"detail":"JSON parse error - Unterminated string starting at: line 1 column 6 (char 5)"}')
  })

  test('a charset parameter picks the decoding, as Django\'s request.encoding does', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: UOC, headers: { ...AUTH, 'content-type': 'application/json; charset=iso-8859-1' }, payload: Buffer.from('{"user_id":"u1","city":"Kraków"}', 'latin1') })
    expect(res.statusCode).toBe(201)
    expect((await get(app, '/api/public/users/1/')).json().city).toBe('Kraków')
  })

  test('unsupported or missing Content-Type with a body is 415; an empty body is {}', async ({ app }) => {
    let res = await app.inject({ method: 'POST', url: UOC, headers: { ...AUTH, 'content-type': 'text/plain; charset=utf-8' }, payload: '{}' })
    expect(res.statusCode).toBe(415)
    expect(res.body).toBe('{"detail":"Unsupported media type \\"text/plain; charset=utf-8\\" in request."}')
    res = await app.inject({ method: 'POST', url: UOC, headers: AUTH, payload: Buffer.from('{}') })
    expect(res.statusCode).toBe(415)
    expect(res.body).toBe('{"detail":"Unsupported media type \\"\\" in request."}')
    // U4/U16: no custom id, so every call creates a user.
    res = await app.inject({ method: 'POST', url: UOC, headers: { ...AUTH, 'content-type': 'text/plain' } })
    expect(res.statusCode).toBe(201)
    res = await postJson(app, UOC, '{}')
    expect(res.body).toBe('{"created":true,"id":2}')
  })

  test('form-urlencoded: DRF\'s QueryDict (last value wins, blanks, repeated tags)', async ({ app }) => {
    const res = await app.inject({
      method: 'POST',
      url: UOC,
      headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      payload: 'user_id=f1&first_name=Jo+Ann&first_name=Zo%C3%A9&notifications=false&score=&gender=3&tags=a&tags=b&city='
    })
    expect(res.statusCode).toBe(201)
    expect((await get(app, '/api/public/users/1/')).json()).toMatchObject({ user_id: 'f1', name: 'Zoé', notifications: false, score: 0, gender: 'female', city: '', tags: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] })
  })

  test('multipart/form-data, and a missing boundary', async ({ app }) => {
    const body = '--XyZ\r\nContent-Disposition: form-data; name="user_id"\r\n\r\nm1\r\n--XyZ\r\nContent-Disposition: form-data; name="status"\r\n\r\n2\r\n--XyZ--\r\n'
    let res = await app.inject({ method: 'POST', url: UOC, headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=XyZ' }, payload: body })
    expect(res.statusCode).toBe(201)
    expect((await get(app, '/api/public/users/1/')).json()).toMatchObject({ user_id: 'm1', status: 'user' })
    res = await app.inject({ method: 'POST', url: UOC, headers: { ...AUTH, 'content-type': 'multipart/form-data' }, payload: body })
    expect(res.statusCode).toBe(400)
    expect(res.body).toBe('{"detail":"Multipart form parse error - Invalid boundary in multipart: None"}')
  })

  test('a body over the limit is refused in DRF\'s shape, never Fastify\'s', async ({ app }) => {
    const res = await postJson(app, UOC, JSON.stringify({ user_id: 'u1', city: 'x'.repeat(3_000_000) }))
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.body).toBe('{"detail":"Request body too large."}')
  })

  test('deep nesting is Django\'s 500 page (a RecursionError is not a parse error), never a stack trace', async ({ app }) => {
    const res = await postJson(app, UOC, '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}')
    expect(res.statusCode).toBe(500)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('<h1>Server Error (500)</h1>')
  })

  test('hostile strings are stored and echoed as given, UTF-8, not escaped', async ({ app }) => {
    const name = '<script>"\'; DROP TABLE x;--ü\u2028nï'
    await postJson(app, UOC, { user_id: name, first_name: 'a' })
    const res = await get(app, `/api/public/users-by-id/${encodeURIComponent(name)}/`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('"user_id":"<script>\\"\'; DROP TABLE x;--ü\\u2028nï"')
  })
})

describe('update_or_create: matching and side effects', () => {
  test('201 + Location on create, 200 + Location on update, on the addressed origin', async () => {
    // X-Forwarded-* counts only from a trusted proxy (TRUST_PROXY).
    const app = await makeApp({ config: { TRUST_PROXY: 'on' } })
    onTestFinished(async () => { await app.close() })
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'acme.user.com' }
    let res = await postJson(app, UOC, { user_id: 'u1' }, headers)
    expect(res.statusCode).toBe(201)
    expect(res.headers.location).toBe('https://acme.user.com/api/public/users/1/')
    res = await postJson(app, UOC, { user_id: 'u1' }, headers)
    expect(res.statusCode).toBe(200)
    expect(res.headers.location).toBe('https://acme.user.com/api/public/users/1/')
  })

  test('matching on user_id is exact and case-sensitive; e-mail never matches', async ({ app }) => {
    await postJson(app, UOC, { user_id: 'abc', email: 'a@x.test' })
    expect((await postJson(app, UOC, { user_id: 'ABC', email: 'a@x.test' })).body).toBe('{"created":true,"id":2}')
    expect((await postJson(app, UOC, { email: 'a@x.test' })).body).toBe('{"created":true,"id":3}')
  })

  test('unknown keys become custom attributes, created on first use (U3)', async ({ app }) => {
    await postJson(app, UOC, '{"user_id":"u1","Verified Member":true,"birth_year":1990,"ratio":0.5,"prefs":["a"]}')
    await postJson(app, UOC, { user_id: 'u1', verified_member: false })
    const attrs = (await get(app, '/api/public/users/1/')).json().attributes
    expect(attrs).toEqual([
      { value: false, name: 'Verified Member', name_std: 'verified_member', id: 1 },
      { value: 1990, name: 'birth_year', name_std: 'birth_year', id: 2 },
      { value: 0.5, name: 'ratio', name_std: 'ratio', id: 3 },
      { value: ['a'], name: 'prefs', name_std: 'prefs', id: 4 }
    ])
    expect(count(app, 'usercom_attributes')).toBe(4)
  })

  test('company_id links the user to the company, a stub when unknown (U5)', async ({ app, clock }) => {
    await postJson(app, UOC, { user_id: 'u1', company_id: 'acme' })
    clock.advance(1)
    await postJson(app, UOC, { user_id: 'u2', company_id: 'acme' })
    expect((await get(app, '/api/public/users/2/')).json().companies).toEqual([{ id: 1, name: null, member_since: '2024-01-01T00:00:00.001000Z' }])
    expect(count(app, 'usercom_companies')).toBe(1)
  })
})
