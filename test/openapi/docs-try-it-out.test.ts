import { readFile } from 'node:fs/promises'
import { describe, expect } from 'vitest'
import { parse } from 'yaml'
import { REQUEST_EXAMPLES } from '../../scripts/openapi/examples.js'
import { preauthorizations, documentStore } from '../../src/openapi/index.js'
import { LOCAL_SERVER_URL } from '../../src/openapi/planes.js'
import { PLANES } from '../../src/registry.js'
import { basic, makeApp, test } from '../helpers/app.js'

const DEFAULT = {
  zendesk: basic('admin@userdouble.test', 'userdouble-password'),
  usercom: 'Token userdouble0usercom0api0key00000000000000000000000000000000000000'
}
const committed = async (file: string): Promise<Record<string, unknown>> => parse(await readFile(new URL(`../../openapi/${file}`, import.meta.url), 'utf8'))

describe('what the docs page\'s "Try it out" sends', () => {
  test('every operation that takes a body has an example in its document, the one in REQUEST_EXAMPLES', async () => {
    let seen = 0
    for (const plane of PLANES) {
      const doc = await committed(plane.file)
      for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }>>)) {
        for (const [method, op] of Object.entries(item)) {
          const media = op?.requestBody?.content['application/json']
          if (!media) continue
          seen++
          const mine = REQUEST_EXAMPLES.find(e => e.plane === plane.name && e.method === method && e.path === path)
          expect(mine, `${method} ${path}`).toBeDefined()
          expect(media.examples?.example?.value, `${method} ${path}`).toEqual(mine!.value)
        }
      }
    }
    expect(seen).toBe(REQUEST_EXAMPLES.length)
  })

  // Each example is sent as Swagger UI sends it (JSON, the default account's credentials), the
  // path's {id} being a user made beforehand: the vendor accepts it.
  test.for(REQUEST_EXAMPLES.map(e => [`${e.method.toUpperCase()} ${e.path}`, e] as const))('%s: its example succeeds as sent', async ([, example], { app }) => {
    const auth = example.plane === 'control' ? undefined : DEFAULT[example.plane as keyof typeof DEFAULT]
    let url = example.path
    if (example.plane === 'zendesk' && url.includes('/user_fields/{id}')) {
      const made = await app.inject({ method: 'POST', url: '/api/v2/user_fields', headers: { authorization: auth! }, payload: { user_field: { type: 'text', key: 'plan', title: 'Plan' } } })
      url = url.replace('{id}', String(made.json().user_field.id))
    }
    if (example.plane === 'zendesk' && url.includes('{user_id}')) {
      const made = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update', headers: { authorization: auth! }, payload: { user: { name: 'Someone', email: 'someone@example.com' } } })
      const userId = String(made.json().user.id)
      url = url.replace('{user_id}', userId)
      if (url.includes('/identities/{id}')) {
        const identities = await app.inject({ method: 'GET', url: `/api/v2/users/${userId}/identities`, headers: { authorization: auth! } })
        url = url.replace('{id}', String(identities.json().identities[0].id))
      }
    }
    if (example.plane === 'zendesk' && url.includes('{id}')) {
      const made = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update', headers: { authorization: auth! }, payload: { user: { name: 'Someone', email: 'someone@example.com' } } })
      url = url.replace('{id}', String(made.json().user.id))
    }
    if (example.plane === 'usercom' && /\{(id|custom_id)\}/.test(url)) {
      const made = await app.inject({ method: 'POST', url: '/api/public/users/update_or_create/', headers: { authorization: auth! }, payload: { user_id: 'someone-1', email: 'someone@example.com' } })
      url = url.replace('{id}', String(made.json().id)).replace('{custom_id}', 'someone-1')
    }
    url = url.replace('{id}', 'default')
    const res = await app.inject({ method: example.method.toUpperCase() as 'POST', url, headers: { ...(auth ? { authorization: auth } : {}) }, payload: example.value as object })
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(200)
    expect(res.statusCode, res.body).toBeLessThan(300)
  })

  test('create_or_update\'s example creates Ada: 201 and her name and e-mail', async ({ app }) => {
    const example = REQUEST_EXAMPLES.find(e => e.path === '/api/v2/users/create_or_update')!
    const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update', headers: { authorization: DEFAULT.zendesk }, payload: example.value as object })
    expect(res.statusCode).toBe(201)
    expect(res.json().user).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', external_id: 'ada-1', role: 'end-user', tags: ['vip'] })
  })
})

describe('the documents the docs page serves', () => {
  test('each single document names the origin that serves it, not 127.0.0.1:8080; the committed YAML stays generic', async ({ app }) => {
    const behindProxy = await makeApp({ config: { TRUST_PROXY: 'on' } })
    for (const plane of PLANES) {
      const doc = await committed(plane.file)
      expect((doc.servers as Array<{ url: string }>)[0]!.url).toBe(LOCAL_SERVER_URL)
      const res = await app.inject({ method: 'GET', url: `/__mock/openapi/${plane.name}.json`, headers: { host: 'localhost:4010' } })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
      const servers = (doc.servers as Array<{ url: string }>).map((s, i) => i === 0 ? { ...s, url: 'http://localhost:4010' } : s)
      expect(res.json()).toEqual({ ...doc, servers })
      // X-Forwarded-* count only from a trusted proxy (TRUST_PROXY, off by default).
      const proxied = await behindProxy.inject({ method: 'GET', url: `/__mock/openapi/${plane.name}.json`, headers: { host: 'internal:1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ud.example.com' } })
      expect(proxied.json().servers[0].url).toBe('https://ud.example.com')
      const untrusted = await app.inject({ method: 'GET', url: `/__mock/openapi/${plane.name}.json`, headers: { host: 'internal:1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ud.example.com' } })
      expect(untrusted.json().servers[0].url).toBe('http://internal:1')
    }
    await behindProxy.close()
  })

  test('in the combined document every operation carries its own document\'s security', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/__mock/docs/json' })
    expect(res.statusCode).toBe(200)
    const paths = res.json().paths as Record<string, Record<string, { security?: unknown }>>
    expect(paths['/api/v2/users/create_or_update']!.post!.security).toEqual([{ zendeskBasic: [] }, { zendeskBearer: [] }])
    expect(paths['/api/public/users/update_or_create/']!.post!.security).toEqual([{ usercomToken: [] }])
    expect(paths['/__mock/health']!.get!.security).toEqual([{}, { adminToken: [] }])
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) if (typeof op === 'object' && 'operationId' in op) expect(op.security, `${method} ${path}`).toBeDefined()
    }
  })

  test('Authorize is pre-filled with the default account\'s credentials: Zendesk Basic email:password, User.com Token key', async ({ app }) => {
    const store = documentStore(PLANES)
    const credentials = app.kernel.accounts.get('default')!.credentials
    expect(await preauthorizations(store, credentials)).toEqual([
      { scheme: 'zendeskBasic', username: 'admin@userdouble.test', password: 'userdouble-password' },
      { scheme: 'usercomToken', value: 'Token userdouble0usercom0api0key00000000000000000000000000000000000000' }
    ])
    const init = await app.inject({ method: 'GET', url: '/__mock/docs/static/swagger-initializer.js' })
    expect(init.statusCode).toBe(200)
    expect(init.body).toContain('"onComplete":function () {')
    expect(init.body).toContain('[{"scheme":"zendeskBasic","username":"admin@userdouble.test","password":"userdouble-password"},{"scheme":"usercomToken","value":"Token userdouble0usercom0api0key00000000000000000000000000000000000000"}]')
  })

  test('configured credentials are the ones pre-filled', async ({ app }) => {
    const store = documentStore(PLANES)
    const entries = await preauthorizations(store, { zendesk: { email: 'me@corp.test', password: 'pw' }, usercom: {} })
    expect(entries).toEqual([{ scheme: 'zendeskBasic', username: 'me@corp.test', password: 'pw' }])
    expect(app).toBeDefined()
  })

  test('the page is branded userdouble: title, logo, favicon', async ({ app }) => {
    const page = await app.inject({ method: 'GET', url: '/__mock/docs' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<title>userdouble API docs</title>')
    expect(page.body).toContain('<link rel="icon" type="image/svg+xml" href="/__mock/docs/static/theme/favicon.svg" sizes="any" />')
    const init = await app.inject({ method: 'GET', url: '/__mock/docs/static/swagger-initializer.js' })
    const logo = /img\.src = 'data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)'/.exec(init.body)
    expect(Buffer.from(logo![1]!, 'base64').toString()).toContain('>userdouble</text>')
    const icon = await app.inject({ method: 'GET', url: '/__mock/docs/static/theme/favicon.svg' })
    expect(icon.statusCode).toBe(200)
    expect(icon.headers['content-type']).toBe('image/svg+xml')
  })
})
