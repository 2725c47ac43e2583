import { readFileSync } from 'node:fs'
import { resolveConfig } from '../../src/config.js'
import * as scripts from './postman-scripts.js'
import type { Pm } from './postman-scripts.js'

/**
 * The Postman collection (v2.1) and environment that `npm run openapi` writes next to the
 * documents. Requests use `{{baseUrl}}` and credential variables only, and every request's test
 * script asserts status and body, so a folder also runs against the real vendor: point
 * `baseUrl` and the credentials there and run `--folder Zendesk` or `--folder User.com`. E-mails
 * and custom ids carry a per-run suffix, so runs repeat against a long-lived instance.
 */

type Json = Record<string, unknown>
/** A script Postman runs: a function of postman-scripts.ts, whose body is the script. */
type Script = (pm: Pm) => void
const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json'

interface Request {
  name: string
  method: string
  /** After `{{baseUrl}}`, with its query string. */
  path: string
  body?: unknown
  headers?: Record<string, string>
  /** Its test script. */
  test: Script
  prerequest?: Script
  auth?: Json
  description?: string
}

const SCRIPTS_FILE = new URL('./postman-scripts.ts', import.meta.url)

/**
 * Each `export function name (pm: Pm): void {` of postman-scripts.ts's text, with its body's
 * lines (the script Postman runs). Read from the source, not `fn.toString()`: what a loader
 * makes of a function at run time may differ (vitest adds semicolons). Every body must be plain
 * JavaScript: a type annotation or a cast passes tsc but would break the run in Postman.
 */
export function scriptBodies (source: string): Map<string, string[]> {
  const bodies = new Map<string, string[]>()
  for (const [, name, body] of source.matchAll(/^export function (\w+) \(pm: Pm\): void \{\n([^]*?)^\}$/gm)) {
    const lines = body!.replace(/\n$/, '').split('\n')
    if (lines.some(l => l !== '' && !l.startsWith('  '))) throw new Error(`postman-scripts.ts: ${name}'s body is not indented by two spaces`)
    const script = lines.map(l => l.slice(2))
    try {
      // eslint-disable-next-line no-new, no-new-func
      new Function('pm', script.join('\n'))
    } catch (err) {
      throw new Error(`postman-scripts.ts: ${name}'s body is not plain JavaScript (${(err as Error).message})`)
    }
    bodies.set(name!, script)
  }
  return bodies
}

let bodies: Map<string, string[]> | undefined

/** A script's `exec` lines. */
function exec (script: Script): string[] {
  bodies ??= scriptBodies(readFileSync(SCRIPTS_FILE, 'utf8'))
  const lines = bodies.get(script.name)
  if (!lines) throw new Error(`postman-scripts.ts has no \`export function ${script.name} (pm: Pm): void {\` ending with \`}\` alone on a line`)
  return lines
}

const event = (listen: 'prerequest' | 'test', script: Script): Json => ({ listen, script: { type: 'text/javascript', exec: exec(script) } })

function item (r: Request): Json {
  const [pathPart, query] = r.path.split('?') as [string, string | undefined]
  const headers = { ...(r.body !== undefined ? { 'Content-Type': 'application/json' } : {}), Accept: 'application/json', ...r.headers }
  return {
    name: r.name,
    event: [
      ...(r.prerequest ? [event('prerequest', r.prerequest)] : []),
      event('test', r.test)
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
    test: scripts.zendeskCreate
  },
  {
    name: 'create_or_update: the same external_id is 200, same id',
    method: 'POST',
    path: `${ZD}/users/create_or_update`,
    body: { user: { name: 'Postman Person II', external_id: 'POSTMAN-{{runId}}' } },
    test: scripts.zendeskUpdateByExternalId
  },
  {
    name: 'show: GET users/{id}',
    method: 'GET',
    path: `${ZD}/users/{{zendeskUserId}}.json`,
    test: scripts.zendeskShow
  },
  {
    name: 'identities: GET users/{id}/identities',
    method: 'GET',
    path: `${ZD}/users/{{zendeskUserId}}/identities.json`,
    test: scripts.zendeskIdentities
  },
  {
    name: 'search by external_id',
    method: 'GET',
    path: `${ZD}/users/search.json?external_id=postman-{{runId}}`,
    test: scripts.zendeskSearch
  },
  {
    name: 'create_or_update: a malformed e-mail is 422 RecordInvalid',
    method: 'POST',
    path: `${ZD}/users/create_or_update.json`,
    body: { user: { name: 'Bad Mail', email: 'badmail' } },
    test: scripts.zendeskMalformedEmail
  },
  {
    name: 'wrong credentials are 401',
    method: 'GET',
    path: `${ZD}/users/{{zendeskUserId}}.json`,
    auth: { type: 'basic', basic: [{ key: 'username', value: '{{zendeskEmail}}/token', type: 'string' }, { key: 'password', value: 'not-the-token', type: 'string' }] },
    test: scripts.zendeskWrongCredentials
  },
  {
    name: 'update: PUT users/{id} changes only what is sent',
    method: 'PUT',
    path: `${ZD}/users/{{zendeskUserId}}.json`,
    body: { user: { notes: 'updated by Postman' } },
    test: scripts.zendeskUpdate
  },
  {
    name: 'create_or_update_many: a job',
    method: 'POST',
    path: `${ZD}/users/create_or_update_many.json`,
    body: { users: [{ name: 'Bulk One', email: 'bulk1-{{runId}}@example.org' }, { name: 'Bulk Two', email: 'bulk2-{{runId}}@example.org' }] },
    test: scripts.zendeskCreateMany
  },
  {
    name: 'job_statuses/{id}',
    method: 'GET',
    path: `${ZD}/job_statuses/{{zendeskJobId}}.json`,
    test: scripts.zendeskJobStatus
  },
  {
    name: 'delete: the user goes inactive, e-mail and external_id cleared',
    method: 'DELETE',
    path: `${ZD}/users/{{zendeskUserId}}.json`,
    test: scripts.zendeskDelete
  }
]

const usercom: Request[] = [
  {
    name: 'update_or_create: a new user',
    method: 'POST',
    path: `${UC}/users/update_or_create/`,
    body: { user_id: 'postman-{{runId}}', email: 'postman-{{runId}}@example.org', first_name: 'Postman', last_name: 'Person', gender: 2 },
    test: scripts.usercomCreate
  },
  {
    name: 'update_or_create: the same user_id updates',
    method: 'POST',
    path: `${UC}/users/update_or_create/`,
    body: { user_id: 'postman-{{runId}}', city: 'Gdańsk', tags: ['postman'] },
    test: scripts.usercomUpdate
  },
  {
    name: 'users/{id}/',
    method: 'GET',
    path: `${UC}/users/{{usercomUserId}}/`,
    test: scripts.usercomShow
  },
  {
    name: 'a first_name over 40 characters is DRF\'s 400',
    method: 'POST',
    path: `${UC}/users/update_or_create/`,
    body: { user_id: 'postman-{{runId}}', first_name: 'x'.repeat(41) },
    test: scripts.usercomFieldTooLong
  },
  {
    name: 'no key is 401',
    method: 'GET',
    path: `${UC}/users/{{usercomUserId}}/`,
    auth: { type: 'noauth' },
    test: scripts.usercomNoKey
  },
  {
    name: 'delete users/{id}/',
    method: 'DELETE',
    path: `${UC}/users/{{usercomUserId}}/`,
    test: scripts.usercomDelete
  }
]

const control: Request[] = [
  { name: 'health', method: 'GET', path: '/__mock/health', test: scripts.controlHealth },
  {
    name: 'create an account',
    method: 'POST',
    path: '/__mock/accounts',
    body: { id: 'postman-{{runId}}', name: 'Postman run' },
    test: scripts.controlCreateAccount
  },
  {
    name: 'load a state into it',
    method: 'PUT',
    path: '/__mock/accounts/postman-{{runId}}/state',
    body: { zendesk: { users: [{ name: 'Seeded Person', email: 'seeded@example.org' }] } },
    test: scripts.controlLoadState
  },
  {
    name: 'dump its state',
    method: 'GET',
    path: '/__mock/accounts/postman-{{runId}}/state',
    test: scripts.controlDumpState
  },
  {
    name: 'reset it',
    method: 'POST',
    path: '/__mock/accounts/postman-{{runId}}/reset',
    test: scripts.controlReset
  },
  {
    name: 'its rate limits',
    method: 'GET',
    path: '/__mock/accounts/postman-{{runId}}/rate-limits',
    test: scripts.controlRateLimits
  },
  {
    name: 'delete it',
    method: 'DELETE',
    path: '/__mock/accounts/postman-{{runId}}',
    test: scripts.controlDeleteAccount
  },
  {
    name: 'the clock',
    method: 'GET',
    path: '/__mock/clock',
    test: scripts.controlClock
  },
  {
    name: 'a fault rule: the next GET users/me answers 503',
    method: 'POST',
    path: '/__mock/faults',
    body: { vendor: 'zendesk', method: 'GET', path: '/api/v2/users/me.json', times: 1, status: 503, body: { error: 'injected by Postman' } },
    test: scripts.controlFaultRule
  },
  {
    name: 'the faulted request',
    method: 'GET',
    path: `${ZD}/users/me.json`,
    auth: zendeskAuth,
    test: scripts.controlFaulted
  },
  {
    name: 'the journal shows it',
    method: 'GET',
    path: '/__mock/requests?vendor=zendesk&status=503',
    test: scripts.controlJournal
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
    // One suffix per run: e-mails, external ids and the account id stay unique run to run.
    event: [event('prerequest', scripts.runId)],
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
 * not an integer, so the first integer key sent is a 400 (docs/zendesk.md, fidelity table).
 */
export function seedCollection (seedItem: Json): Json {
  return {
    info: {
      name: 'Zendesk seed: Create Or Update User',
      description: 'The item of Zendesk\'s Postman collection, unchanged. Point `baseUrl` at userdouble and set the Basic credentials (collection auth).',
      schema: SCHEMA
    },
    auth: { type: 'basic', basic: [{ key: 'username', value: '{{zendeskEmail}}', type: 'string' }, { key: 'password', value: '{{zendeskPassword}}', type: 'string' }] },
    event: [event('test', scripts.seedInvalidInteger)],
    item: [seedItem]
  }
}

/** The JSON after "Postman Collection Item JSON" in a seed page. */
export function seedItemFrom (page: string): Json {
  const start = page.indexOf('{', page.indexOf('Postman Collection Item JSON'))
  return JSON.parse(page.slice(start)) as Json
}
