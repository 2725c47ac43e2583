import { describe, expect } from 'vitest'
import { VERSION } from '../src/kernel/kernel.js'
import { homeHtml, startupBanner } from '../src/home.js'
import { makeApp, test } from './helpers/app.js'

const ZENDESK = { subdomain: 'userdouble', email: 'admin@userdouble.test', apiToken: 'userdoubleZendeskApiToken0000000000000000', password: 'userdouble-password', oauthToken: 'userdouble0zendesk0oauth0token00000000000000000000000000000000000' }
const USERCOM = { apiKey: 'userdouble0usercom0api0key00000000000000000000000000000000000000' }

describe('GET /', () => {
  test('JSON for Accept: application/json: version, each vendor\'s base URL and default credentials, docs and inspector', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json', host: 'ud.test:8080' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers.vary).toBe('Accept')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.json()).toEqual({
      name: 'userdouble',
      version: VERSION,
      vendors: [
        { name: 'zendesk', title: 'Zendesk', baseUrl: 'http://ud.test:8080/api/v2', credentials: ZENDESK },
        { name: 'usercom', title: 'User.com', baseUrl: 'http://ud.test:8080/api/public', credentials: USERCOM }
      ],
      docs: 'http://ud.test:8080/__mock/docs',
      inspector: 'http://ud.test:8080/__mock/ui',
      controlPlane: 'http://ud.test:8080/__mock'
    })
  })

  test('HTML for a browser (and for curl\'s */*): the same facts, escaped', async ({ app }) => {
    for (const accept of ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', '*/*', undefined]) {
      const res = await app.inject({ method: 'GET', url: '/', headers: { host: 'ud.test:8080', ...(accept ? { accept } : {}) } })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      const json = await app.inject({ method: 'GET', url: '/', headers: { host: 'ud.test:8080', accept: 'application/json' } })
      expect(res.body).toBe(homeHtml(json.json()))
    }
    const res = await app.inject({ method: 'GET', url: '/', headers: { host: 'ud.test:8080' } })
    expect(res.body).toContain(`<title>userdouble ${VERSION}</title>`)
    expect(res.body).toContain('<tr><th>Zendesk</th><td><code>http://ud.test:8080/api/v2</code></td><td><div><span class="k">subdomain</span> <code>userdouble</code></div><div><span class="k">email</span> <code>admin@userdouble.test</code></div>')
    expect(res.body).toContain('<tr><th>User.com</th><td><code>http://ud.test:8080/api/public</code></td><td><div><span class="k">apiKey</span> <code>userdouble0usercom0api0key00000000000000000000000000000000000000</code></div></td></tr>')
    expect(res.body).toContain('<a href="http://ud.test:8080/__mock/docs">API docs</a>')
    expect(res.body).toContain('<a href="http://ud.test:8080/__mock/ui">Inspector</a>')
    expect(homeHtml({ name: 'userdouble', version: '<b>', vendors: [{ name: 'x', title: 'A&B', baseUrl: '"', credentials: { k: '<i>' } }], docs: 'd', inspector: 'i', controlPlane: 'c' }))
      .toContain('<tr><th>A&#38;B</th><td><code>&#34;</code></td><td><div><span class="k">k</span> <code>&#60;i&#62;</code></div></td></tr>')
  })

  test('other methods and paths keep the JSON 404', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: '/' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'userdouble serves /api/v2 (Zendesk), /api/public (User.com) and /__mock; nothing at POST /' } })
  })

  test('with ADMIN_TOKEN set, no credentials: it says they are hidden and where they are', async () => {
    const app = await makeApp({ config: { ADMIN_TOKEN: 'sesame' } })
    try {
      const res = await app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json', host: 'ud.test' } })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({
        name: 'userdouble',
        version: VERSION,
        vendors: [
          { name: 'zendesk', title: 'Zendesk', baseUrl: 'http://ud.test/api/v2', credentials: null },
          { name: 'usercom', title: 'User.com', baseUrl: 'http://ud.test/api/public', credentials: null }
        ],
        credentialsHidden: 'ADMIN_TOKEN is set: GET /__mock/accounts/default with Authorization: Bearer <ADMIN_TOKEN> shows the credentials',
        docs: 'http://ud.test/__mock/docs',
        inspector: 'http://ud.test/__mock/ui',
        controlPlane: 'http://ud.test/__mock'
      })
      const html = await app.inject({ method: 'GET', url: '/' })
      expect(html.body).not.toContain('userdouble-password')
      expect(html.body).not.toContain('userdouble0usercom0api0key')
      expect(html.body).toContain('<em>hidden</em>')
      expect(html.body).toContain('<p><em>ADMIN_TOKEN is set: GET /__mock/accounts/default with Authorization: Bearer &#60;ADMIN_TOKEN&#62; shows the credentials.</em></p>')
    } finally {
      await app.close()
    }
  })
})

describe('the CLI\'s startup lines', () => {
  test('the first line as before, then each vendor\'s base URL, the docs and the inspector', async ({ app }) => {
    expect(startupBanner('http://127.0.0.1:8080', '1.2.3', app.services)).toBe([
      'userdouble 1.2.3 listening on http://127.0.0.1:8080',
      '  Zendesk    http://127.0.0.1:8080/api/v2',
      '  User.com   http://127.0.0.1:8080/api/public',
      '  API docs   http://127.0.0.1:8080/__mock/docs',
      '  Inspector  http://127.0.0.1:8080/__mock/ui',
      ''
    ].join('\n'))
  })
})
