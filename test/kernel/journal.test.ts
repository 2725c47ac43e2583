import { describe, expect, it } from 'vitest'
import { fixedClock, type ControllableClock } from '../../src/kernel/clock.js'
import { Journal, maskUrl, type RecordedEntry } from '../../src/kernel/journal.js'

// Entries are stamped from a frozen clock moved by hand, as the app stamps them from the kernel's clock.
function entry (clock: ControllableClock, over: Partial<RecordedEntry> = {}): RecordedEntry {
  return {
    at: clock.now(),
    account: 'default',
    vendor: 'zendesk',
    method: 'GET',
    path: '/api/v2/users.json',
    query: '',
    headers: {},
    body: undefined,
    status: 200,
    responseHeaders: {},
    responseBody: '{"users":[]}',
    durationMs: 1,
    ...over
  }
}

describe('Journal ring', () => {
  it('keeps the last `limit` entries of each account, oldest first', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(3)
    for (let i = 1; i <= 5; i++) { journal.record(entry(clock, { path: `/p${i}` })); clock.advance(1000) }
    journal.record(entry(clock, { account: 'other', path: '/o1' }))
    expect(journal.size).toBe(4)
    expect(journal.query({ account: 'default' }).map(e => [e.id, e.path, e.time])).toEqual([
      [3, '/p3', '2024-01-01T00:00:02.000Z'],
      [4, '/p4', '2024-01-01T00:00:03.000Z'],
      [5, '/p5', '2024-01-01T00:00:04.000Z']
    ])
    expect(journal.query().map(e => e.id)).toEqual([3, 4, 5, 6])
    for (let i = 6; i <= 8; i++) journal.record(entry(clock, { path: `/p${i}` }))
    expect(journal.query({ account: 'default' }).map(e => e.path)).toEqual(['/p6', '/p7', '/p8'])
    expect(journal.size).toBe(4)
  })

  it('records nothing with a limit of 0', () => {
    const journal = new Journal(0)
    journal.record(entry(fixedClock('2024-01-01T00:00:00Z')))
    expect(journal.size).toBe(0)
    expect(journal.query()).toEqual([])
  })

  it('keeps requests with no account in a ring of their own', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(1)
    journal.record(entry(clock, { account: null, status: 401 }))
    journal.record(entry(clock))
    expect(journal.query().map(e => [e.account, e.status])).toEqual([[null, 401], ['default', 200]])
  })

  it('clears one account or all', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(2)
    for (let i = 0; i < 3; i++) journal.record(entry(clock))
    journal.record(entry(clock, { account: 'other' }))
    journal.clear('default')
    expect(journal.query().map(e => e.account)).toEqual(['other'])
    journal.record(entry(clock))
    expect(journal.query({ account: 'default' }).map(e => e.id)).toEqual([5])
    journal.clear()
    expect(journal.size).toBe(0)
  })
})

describe('Journal queries', () => {
  it('filter on vendor, method, path or prefix, status, an inclusive time range, a body substring, and keep the last `limit`', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(100)
    journal.record(entry(clock, { path: '/api/v2/users/1.json' }))
    clock.advance(1000)
    journal.record(entry(clock, { method: 'POST', path: '/api/v2/users/create_or_update.json', status: 201, body: { user: { email: 'ann@example.com' } } }))
    clock.advance(1000)
    journal.record(entry(clock, { vendor: 'usercom', path: '/api/public/users/', status: 404 }))
    const ids = (filter: Parameters<Journal['query']>[0]): number[] => journal.query(filter).map(e => e.id)
    expect(ids({ vendor: 'usercom' })).toEqual([3])
    expect(ids({ method: 'post' })).toEqual([2])
    expect(ids({ path: '/api/v2/users/1.json' })).toEqual([1])
    expect(ids({ path: '/api/v2/*' })).toEqual([1, 2])
    expect(ids({ path: '/api/v2/' })).toEqual([])
    expect(ids({ status: 404 })).toEqual([3])
    expect(ids({ since: '2024-01-01T00:00:01Z' })).toEqual([2, 3])
    expect(ids({ until: '2024-01-01T00:00:01Z' })).toEqual([1, 2])
    expect(ids({ since: '2024-01-01T00:00:00.001Z', until: '2024-01-01T00:00:01.999Z' })).toEqual([2])
    expect(ids({ bodyContains: 'ann@example.com' })).toEqual([2])
    expect(ids({ limit: 2 })).toEqual([2, 3])
    expect(ids({ account: 'nobody' })).toEqual([])
  })

  it('masks credentials in headers, the query string and bodies when read, and keeps what was recorded intact', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(10)
    const headers = { authorization: 'Basic YWRtaW46c2VjcmV0', cookie: 'session=abc', 'x-api-key': 'k', accept: 'application/json' }
    const body = { user: { name: 'Ann', password: 'hunter2', identities: [{ api_token: 't', value: 'v' }] }, Token: 'x' }
    journal.record(entry(clock, { method: 'POST', query: '?access_token=abc&page=2&PASSWORD=p', headers, body, responseHeaders: { 'set-cookie': ['a=1', 'b=2'], 'content-type': 'application/json' } }))
    journal.record(entry(clock, { method: 'POST', headers: { authorization: 'Token 0123456789' }, body: Buffer.from('username=ann&password=hunter2&token=t') }))
    journal.record(entry(clock, { method: 'POST', body: Buffer.from('{"api_key":"k","email":"e@example.com"}'), responseBody: 'not json' }))
    const [first, second, third] = journal.query()
    expect(first!.headers).toEqual({ authorization: 'Basic ***', cookie: '***', 'x-api-key': '***', accept: 'application/json' })
    expect(first!.query).toBe('?access_token=***&page=2&PASSWORD=***')
    expect(first!.body).toEqual({ user: { name: 'Ann', password: '***', identities: [{ api_token: '***', value: 'v' }] }, Token: '***' })
    expect(first!.responseHeaders).toEqual({ 'set-cookie': ['***', '***'], 'content-type': 'application/json' })
    expect(first!.responseBody).toEqual({ users: [] })
    expect(second!.headers).toEqual({ authorization: 'Token ***' })
    expect(second!.body).toBe('username=ann&password=***&token=***')
    expect(third!.body).toEqual({ api_key: '***', email: 'e@example.com' })
    expect(third!.responseBody).toBe('not json')
    // Masking happens on read: the recorded objects are untouched.
    expect(headers.authorization).toBe('Basic YWRtaW46c2VjcmV0')
    expect(body.user.password).toBe('hunter2')
  })
  it('masks every credential-carrying query parameter and header: api_token=, key=, x-auth-token, x-admin-token', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(10)
    journal.record(entry(clock, {
      query: '?api_token=s1&key=s2&page=2&client_secret=s3&user%5Bpassword%5D=s4&sort=name',
      headers: { 'x-auth-token': 's5', 'x-admin-token': 's6', 'x-access-token': 's7', 'proxy-authorization': 'Basic s8', accept: '*/*', 'keep-alive': 'timeout=5' },
      responseHeaders: { 'www-authenticate': 'Basic realm="Web Password"', 'content-type': 'text/plain' }
    }))
    const [e] = journal.query()
    expect(e!.query).toBe('?api_token=***&key=***&page=2&client_secret=***&user%5Bpassword%5D=***&sort=name')
    expect(e!.headers).toEqual({ 'x-auth-token': '***', 'x-admin-token': '***', 'x-access-token': '***', 'proxy-authorization': 'Basic ***', accept: '*/*', 'keep-alive': 'timeout=5' })
    expect(e!.responseHeaders).toEqual({ 'www-authenticate': 'Basic realm="Web Password"', 'content-type': 'text/plain' })
    expect(maskUrl('/api/v2/users.json?api_token=abc&key=def')).toBe('/api/v2/users.json?api_token=***&key=***')
  })
})

describe('Journal bounds in bytes', () => {
  it('cuts a body longer than bodyMaxBytes and marks it truncated with its original size', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(10, { bodyMaxBytes: 16 })
    journal.record(entry(clock, { method: 'POST', body: { user: { name: 'a'.repeat(100) } }, headers: { 'content-length': '123' }, responseBody: `{"error":"${'b'.repeat(50)}"}` }))
    journal.record(entry(clock, { method: 'POST', body: Buffer.from('x'.repeat(40)), responseBody: '{}' }))
    const [first, second] = journal.query()
    expect(first!.body).toBe('{"user":{"name":')
    expect(first!.responseBody).toBe('{"error":"bbbbbb')
    expect(first!.truncated).toEqual({ body: 123, responseBody: 62 })
    expect(second!.body).toBe('x'.repeat(16))
    expect(second!.truncated).toEqual({ body: 40 })
    expect(second!.responseBody).toEqual({})
  })
  it('keeps the total under maxBytes by dropping the oldest entries of any account', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(1000, { maxBytes: 10_000, bodyMaxBytes: 2000 })
    for (let i = 0; i < 50; i++) journal.record(entry(clock, { account: i % 2 === 0 ? 'a' : 'b', path: `/p${i}`, responseBody: 'r'.repeat(3000) }))
    expect(journal.bytes).toBeLessThanOrEqual(10_000)
    const ids = journal.query().map(e => e.id)
    // Each entry counts 512 + its path + 2000 (the response cut to bodyMaxBytes): three fit.
    expect(ids).toEqual([48, 49, 50])
    expect(journal.size).toBe(3)
    journal.clear('a')
    expect(journal.query().map(e => e.id)).toEqual([48, 50])
    expect(journal.bytes).toBe(2 * (512 + 4 + 2000))
  })
  it('keeps requests without an account in a ring of their own size', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(100, { anonymousLimit: 3 })
    for (let i = 0; i < 10; i++) journal.record(entry(clock, { account: null, path: `/anon${i}` }))
    for (let i = 0; i < 10; i++) journal.record(entry(clock, { path: `/p${i}` }))
    expect(journal.query({ account: '' }).map(e => e.path)).toEqual(['/anon7', '/anon8', '/anon9'])
    expect(journal.query({ account: 'default' })).toHaveLength(10)
  })
  it('pages forward with after and limit', () => {
    const clock = fixedClock('2024-01-01T00:00:00Z')
    const journal = new Journal(100)
    for (let i = 0; i < 10; i++) journal.record(entry(clock))
    expect(journal.query({ after: 3, limit: 4 }).map(e => e.id)).toEqual([4, 5, 6, 7])
    expect(journal.query({ after: 8 }).map(e => e.id)).toEqual([9, 10])
    expect(journal.query({ limit: 2 }).map(e => e.id)).toEqual([9, 10])
  })
})
