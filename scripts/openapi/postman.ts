import { resolveConfig } from '../../src/config.js'

/**
 * The Postman collection (v2.1) and environment that `npm run openapi` writes next to the
 * documents. Requests use `{{baseUrl}}` and credential variables only, and every request's test
 * script asserts status and body, so a folder also runs against the real vendor: point
 * `baseUrl` and the credentials there and run `--folder Zendesk` or `--folder User.com`. E-mails
 * and custom ids carry a per-run suffix, so runs repeat against a long-lived instance.
 */

type Json = Record<string, unknown>
const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json'

interface Request {
  name: string
  method: string
  /** After `{{baseUrl}}`, with its query string. */
  path: string
  body?: unknown
  headers?: Record<string, string>
  /** Lines of the test script; `res` is `pm.response` parsed as JSON where it is JSON. */
  test: string[]
  prerequest?: string[]
  auth?: Json
  description?: string
}

function item (r: Request): Json {
  const [pathPart, query] = r.path.split('?') as [string, string | undefined]
  const headers = { ...(r.body !== undefined ? { 'Content-Type': 'application/json' } : {}), Accept: 'application/json', ...r.headers }
  return {
    name: r.name,
    event: [
      ...(r.prerequest ? [{ listen: 'prerequest', script: { type: 'text/javascript', exec: r.prerequest } }] : []),
      { listen: 'test', script: { type: 'text/javascript', exec: r.test } }
    ],
    request: {
      ...(r.auth ? { auth: r.auth } : {}),
      method: r.method,
      header: Object.entries(headers).map(([key, value]) => ({ key, value })),
      ...(r.body !== undefined ? { body: { mode: 'raw', raw: JSON.stringify(r.body, null, 2), options: { raw: { language: 'json' } } } } : {}),
      url: {
        raw: `{{baseUrl}}${r.path}`,
        host: ['{{baseUrl}}'],
        // A trailing slash is a trailing empty segment: without it User.com answers a 301.
        path: pathPart.split('/').slice(1),
        ...(query ? { query: query.split('&').map(kv => { const [key, value = ''] = kv.split('='); return { key, value } }) } : {})
      },
      ...(r.description ? { description: r.description } : {})
    }
  }
}

const status = (code: number): string => `pm.test('status ${code}', () => pm.response.to.have.status(${code}))`
const json = 'const res = pm.response.json()'

const controlAuth = { type: 'bearer', bearer: [{ key: 'token', value: '{{adminToken}}', type: 'string' }] }
const zendeskAuth = {
  type: 'basic',
  basic: [{ key: 'username', value: '{{zendeskEmail}}/token', type: 'string' }, { key: 'password', value: '{{zendeskApiToken}}', type: 'string' }]
}
const usercomAuth = {
  type: 'apikey',
  apikey: [{ key: 'key', value: 'Authorization', type: 'string' }, { key: 'value', value: 'Token {{usercomApiKey}}', type: 'string' }, { key: 'in', value: 'header', type: 'string' }]
}

const ZD = '/api/v2'
const UC = '/api/public'
const zdUser = { name: 'Postman Person', email: 'postman-{{runId}}@example.org', external_id: 'postman-{{runId}}', verified: true, tags: ['postman'] }

const zendesk: Request[] = [
  {
    name: 'create_or_update: a new user is 201 with Location',
    method: 'POST',
    path: `${ZD}/users/create_or_update.json`,
    body: { user: zdUser },
    test: [status(201), json,
      "pm.test('the full user', () => { pm.expect(res.user.email).to.eql('postman-' + pm.collectionVariables.get('runId') + '@example.org'); pm.expect(res.user.role).to.eql('end-user'); pm.expect(res.user.active).to.eql(true); pm.expect(res.user.verified).to.eql(true) })",
      "pm.test('Location names the user', () => pm.expect(pm.response.headers.get('Location')).to.match(new RegExp('/api/v2/users/' + res.user.id + '\\\\.json$')))",
      "pm.collectionVariables.set('zendeskUserId', res.user.id)"]
  },
  {
    name: 'create_or_update: the same external_id is 200, same id',
    method: 'POST',
    path: `${ZD}/users/create_or_update`,
    body: { user: { name: 'Postman Person II', external_id: 'POSTMAN-{{runId}}' } },
    test: [status(200), json,
      "pm.test('same user, renamed, external_id in the new casing', () => { pm.expect(res.user.id).to.eql(pm.collectionVariables.get('zendeskUserId')); pm.expect(res.user.name).to.eql('Postman Person II'); pm.expect(res.user.external_id).to.eql('POSTMAN-' + pm.collectionVariables.get('runId')) })"]
  },
  {
    name: 'show: GET users/{id}',
    method: 'GET',
    path: `${ZD}/users/{{zendeskUserId}}.json`,
    test: [status(200), json, "pm.test('the user', () => { pm.expect(res.user.id).to.eql(pm.collectionVariables.get('zendeskUserId')); pm.expect(res.user.tags).to.eql(['postman']) })"]
  },
  {
    name: 'search by external_id',
    method: 'GET',
    path: `${ZD}/users/search.json?external_id=postman-{{runId}}`,
    test: [status(200), json, "pm.test('one match', () => { pm.expect(res.count).to.eql(1); pm.expect(res.users[0].id).to.eql(pm.collectionVariables.get('zendeskUserId')) })"]
  },
  {
    name: 'create_or_update: a malformed e-mail is 422 RecordInvalid',
    method: 'POST',
    path: `${ZD}/users/create_or_update.json`,
    body: { user: { name: 'Bad Mail', email: 'badmail' } },
    test: [status(422), json, "pm.test('the recorded body', () => pm.expect(res).to.eql({ error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email: badmail is not properly formatted' }] } }))"]
  },
  {
    name: 'wrong credentials are 401',
    method: 'GET',
    path: `${ZD}/users/{{zendeskUserId}}.json`,
    auth: { type: 'basic', basic: [{ key: 'username', value: '{{zendeskEmail}}/token', type: 'string' }, { key: 'password', value: 'not-the-token', type: 'string' }] },
    test: [status(401), json, "pm.test('Couldn\\'t authenticate you', () => pm.expect(res).to.eql({ error: \"Couldn't authenticate you\" }))"]
  },
  {
    name: 'update: PUT users/{id} changes only what is sent',
    method: 'PUT',
    path: `${ZD}/users/{{zendeskUserId}}.json`,
    body: { user: { notes: 'updated by Postman' } },
    test: [status(200), json, "pm.test('patched', () => { pm.expect(res.user.notes).to.eql('updated by Postman'); pm.expect(res.user.name).to.eql('Postman Person II') })"]
  },
  {
    name: 'create_or_update_many: a job',
    method: 'POST',
    path: `${ZD}/users/create_or_update_many.json`,
    body: { users: [{ name: 'Bulk One', email: 'bulk1-{{runId}}@example.org' }, { name: 'Bulk Two', email: 'bulk2-{{runId}}@example.org' }] },
    test: [status(200), json, "pm.test('a job status for two users', () => { pm.expect(res.job_status.total).to.eql(2); pm.expect(res.job_status.id).to.be.a('string') })", "pm.collectionVariables.set('zendeskJobId', res.job_status.id)"]
  },
  {
    name: 'job_statuses/{id}',
    method: 'GET',
    path: `${ZD}/job_statuses/{{zendeskJobId}}.json`,
    test: [status(200), json, "pm.test('the same job', () => { pm.expect(res.job_status.id).to.eql(pm.collectionVariables.get('zendeskJobId')); pm.expect(['queued', 'working', 'completed']).to.include(res.job_status.status) })"]
  },
  {
    name: 'delete: the user goes inactive, e-mail and external_id cleared',
    method: 'DELETE',
    path: `${ZD}/users/{{zendeskUserId}}.json`,
    test: [status(200), json, "pm.test('soft-deleted', () => { pm.expect(res.user.active).to.eql(false); pm.expect(res.user.email).to.eql(null); pm.expect(res.user.external_id).to.eql(null) })"]
  }
]

const usercom: Request[] = [
  {
    name: 'update_or_create: a new user',
    method: 'POST',
    path: `${UC}/users/update_or_create/`,
    body: { user_id: 'postman-{{runId}}', email: 'postman-{{runId}}@example.org', first_name: 'Postman', last_name: 'Person', gender: 2 },
    test: [status(201), json, "pm.test('created', () => { pm.expect(res.created).to.eql(true); pm.expect(res.id).to.be.a('number') })", "pm.collectionVariables.set('usercomUserId', res.id)"]
  },
  {
    name: 'update_or_create: the same user_id updates',
    method: 'POST',
    path: `${UC}/users/update_or_create/`,
    body: { user_id: 'postman-{{runId}}', city: 'Gdańsk', tags: ['postman'] },
    test: [status(200), json, "pm.test('same id, not created', () => pm.expect(res).to.eql({ created: false, id: pm.collectionVariables.get('usercomUserId') }))"]
  },
  {
    name: 'users/{id}/',
    method: 'GET',
    path: `${UC}/users/{{usercomUserId}}/`,
    test: [status(200), json, "pm.test('the user', () => { pm.expect(res.name).to.eql('Postman Person'); pm.expect(res.user_id).to.eql('postman-' + pm.collectionVariables.get('runId')); pm.expect(res.gender).to.eql('male'); pm.expect(res.city).to.eql('Gdańsk') })"]
  },
  {
    name: 'a first_name over 40 characters is DRF\'s 400',
    method: 'POST',
    path: `${UC}/users/update_or_create/`,
    body: { user_id: 'postman-{{runId}}', first_name: 'x'.repeat(41) },
    test: [status(400), json, "pm.test('field error', () => pm.expect(res).to.eql({ first_name: ['Ensure this field has no more than 40 characters.'] }))"]
  },
  {
    name: 'no key is 401',
    method: 'GET',
    path: `${UC}/users/{{usercomUserId}}/`,
    auth: { type: 'noauth' },
    test: [status(401), json, "pm.test('DRF detail', () => pm.expect(res).to.eql({ detail: 'Authentication credentials were not provided.' }))", "pm.test('WWW-Authenticate: Token', () => pm.expect(pm.response.headers.get('WWW-Authenticate')).to.eql('Token'))"]
  },
  {
    name: 'delete users/{id}/',
    method: 'DELETE',
    path: `${UC}/users/{{usercomUserId}}/`,
    test: [status(204), "pm.test('no body', () => pm.expect(pm.response.text()).to.eql(''))"]
  }
]

const control: Request[] = [
  { name: 'health', method: 'GET', path: '/__mock/health', test: [status(200), json, "pm.test('ok', () => pm.expect(res.status).to.eql('ok'))"] },
  {
    name: 'create an account',
    method: 'POST',
    path: '/__mock/accounts',
    body: { id: 'postman-{{runId}}', name: 'Postman run' },
    test: [status(201), json, "pm.test('its own credentials', () => { pm.expect(res.id).to.eql('postman-' + pm.collectionVariables.get('runId')); pm.expect(res.usercom.apiKey).to.match(/^[A-Za-z0-9]{64}$/) })"]
  },
  {
    name: 'load a state into it',
    method: 'PUT',
    path: '/__mock/accounts/postman-{{runId}}/state',
    body: { zendesk: { users: [{ name: 'Seeded Person', email: 'seeded@example.org' }] } },
    test: [status(200), json, "pm.test('one Zendesk user loaded', () => pm.expect(res.loaded.zendesk.users).to.eql(1))"]
  },
  {
    name: 'dump its state',
    method: 'GET',
    path: '/__mock/accounts/postman-{{runId}}/state',
    test: [status(200), json, "pm.test('the seeded user, rendered as Zendesk does', () => { pm.expect(res.zendesk.users).to.have.length(1); pm.expect(res.zendesk.users[0].email).to.eql('seeded@example.org') })"]
  },
  {
    name: 'reset it',
    method: 'POST',
    path: '/__mock/accounts/postman-{{runId}}/reset',
    test: [status(200), json, "pm.test('ok', () => pm.expect(res).to.eql({ ok: true }))"]
  },
  {
    name: 'its rate limits',
    method: 'GET',
    path: '/__mock/accounts/postman-{{runId}}/rate-limits',
    test: [status(200), json, "pm.test('both vendors', () => { pm.expect(res.zendesk.perMinute).to.be.a('number'); pm.expect(res.usercom.periodSeconds).to.be.a('number') })"]
  },
  {
    name: 'delete it',
    method: 'DELETE',
    path: '/__mock/accounts/postman-{{runId}}',
    test: [status(204)]
  },
  {
    name: 'the clock',
    method: 'GET',
    path: '/__mock/clock',
    test: [status(200), json, "pm.test('a mode and an instant', () => { pm.expect(['real', 'offset', 'frozen']).to.include(res.mode); pm.expect(Date.parse(res.now)).to.be.a('number') })"]
  },
  {
    name: 'a fault rule: the next GET users/me answers 503',
    method: 'POST',
    path: '/__mock/faults',
    body: { vendor: 'zendesk', method: 'GET', path: '/api/v2/users/me.json', times: 1, status: 503, body: { error: 'injected by Postman' } },
    test: [status(201), json, "pm.test('the rule', () => { pm.expect(res.remaining).to.eql(1); pm.collectionVariables.set('faultId', res.id) })"]
  },
  {
    name: 'the faulted request',
    method: 'GET',
    path: `${ZD}/users/me.json`,
    auth: zendeskAuth,
    test: [status(503), json, "pm.test('the injected body', () => pm.expect(res).to.eql({ error: 'injected by Postman' }))"]
  },
  {
    name: 'the journal shows it',
    method: 'GET',
    path: '/__mock/requests?vendor=zendesk&status=503',
    test: [status(200), json, "pm.test('recorded with its status', () => { pm.expect(res.count).to.be.above(0); pm.expect(res.requests[res.count - 1].path).to.eql('/api/v2/users/me.json') })"]
  }
]

const folder = (name: string, description: string, auth: Json, requests: Request[]): Json =>
  ({ name, description, auth, item: requests.map(item) })

export function postmanCollection (): Json {
  return {
    info: {
      name: 'userdouble',
      description: 'Zendesk users, User.com users and userdouble\'s control plane. Import openapi/userdouble.postman_environment.json for a local userdouble (its default credentials), or run one vendor folder against the real vendor with your own environment.',
      schema: SCHEMA
    },
    event: [{
      listen: 'prerequest',
      script: {
        type: 'text/javascript',
        // One suffix per run: e-mails, external ids and the account id stay unique run to run.
        exec: ["if (!pm.collectionVariables.get('runId')) pm.collectionVariables.set('runId', Date.now().toString(36) + Math.floor(Math.random() * 1e6).toString(36))"]
      }
    }],
    item: [
      folder('Zendesk', 'Zendesk Support users API (`/api/v2`), Basic `email/token:API_TOKEN`.', zendeskAuth, zendesk),
      folder('User.com', 'User.com public REST API (`/api/public`), `Authorization: Token <key>`.', usercomAuth, usercom),
      folder('Control plane', 'userdouble\'s own `/__mock` (Bearer ADMIN_TOKEN only when it is set).', controlAuth, control)
    ],
    variable: [
      { key: 'runId', value: '' },
      { key: 'zendeskUserId', value: '' },
      { key: 'zendeskJobId', value: '' },
      { key: 'usercomUserId', value: '' },
      { key: 'faultId', value: '' }
    ]
  }
}

/** The environment for a local userdouble with its default settings. */
export function postmanEnvironment (): Json {
  const c = resolveConfig({})
  const values: Array<[string, string, string]> = [
    ['baseUrl', `http://127.0.0.1:${c.PORT}`, 'default'],
    ['zendeskEmail', c.ZENDESK_EMAIL, 'default'],
    ['zendeskApiToken', c.ZENDESK_API_TOKEN, 'secret'],
    ['zendeskPassword', c.ZENDESK_PASSWORD, 'secret'],
    ['zendeskOAuthToken', c.ZENDESK_OAUTH_TOKEN, 'secret'],
    ['usercomApiKey', c.USERCOM_API_KEY, 'secret'],
    ['adminToken', '', 'secret']
  ]
  return {
    id: '4f1b8d63-6b7e-4c59-9a55-0e6c2f1d2a10',
    name: 'userdouble (local)',
    values: values.map(([key, value, type]) => ({ key, value, type, enabled: true })),
    _postman_variable_scope: 'environment'
  }
}

/**
 * The seed page's "Create Or Update User" item exactly as Zendesk's own collection has it, in
 * a collection whose Basic auth is the environment's e-mail and password. Its collection-level
 * test pins what Zendesk's parameter filter answers the literal placeholders: `"<integer>"` is
 * not an integer, so the first integer key sent is a 400 (README.md, Zendesk fidelity table).
 */
export function seedCollection (seedItem: Json): Json {
  return {
    info: {
      name: 'Zendesk seed: Create Or Update User',
      description: 'The item of Zendesk\'s Postman collection, unchanged. Point `baseUrl` at userdouble and set the Basic credentials (collection auth).',
      schema: SCHEMA
    },
    auth: { type: 'basic', basic: [{ key: 'username', value: '{{zendeskEmail}}', type: 'string' }, { key: 'password', value: '{{zendeskPassword}}', type: 'string' }] },
    event: [{
      listen: 'test',
      script: {
        type: 'text/javascript',
        exec: [
          "pm.test('status 400: \"<integer>\" is not an integer', () => pm.response.to.have.status(400))",
          "pm.test('Zendesk\\'s Invalid attribute body, naming custom_role_id', () => pm.expect(pm.response.json()).to.eql({ error: { title: 'Invalid attribute', message: 'You passed an invalid value for the custom_role_id attribute. Invalid parameter: custom_role_id must be an integer from api/v2/users/create_or_update' } }))"
        ]
      }
    }],
    item: [seedItem]
  }
}

/** The JSON after "Postman Collection Item JSON" in a seed page. */
export function seedItemFrom (page: string): Json {
  const start = page.indexOf('{', page.indexOf('Postman Collection Item JSON'))
  return JSON.parse(page.slice(start)) as Json
}
