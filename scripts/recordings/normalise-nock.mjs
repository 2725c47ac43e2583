// Turns a nock recording (a JS file of `nock(host).get(path).reply(status, body, headers)` calls)
// into the replay fixture format of test/replay.test.ts. Usage:
//   node scripts/recordings/normalise-nock.mjs <recording.js> <repo> <path> <commit> > out.json
// The recording is evaluated with a stand-in `nock` that only records the calls; nothing else of
// the recorded project is used. Ids become placeholders ({user:A}, {identity:1}, {field:1}),
// timestamps {timestamp}, origins {origin}, ETag values W/"{hex32}".
import { readFileSync } from 'node:fs'
import vm from 'node:vm'

const [file, repo, path, commit] = process.argv.slice(2)
const calls = []
function nock () {
  const c = { headers: {} }
  const api = {}
  for (const m of ['get', 'post', 'put', 'delete', 'patch']) api[m] = (p, b) => { c.method = m.toUpperCase(); c.path = p; c.body = b; return api }
  api.matchHeader = (k, v) => { c.headers[k] = v; return api }
  api.query = (q) => { c.query = q; return api }
  api.once = api.times = api.persist = () => api
  api.reply = (status, body, headers) => { Object.assign(c, { status, response: body, responseHeaders: headers }); calls.push(c); return api }
  return api
}
vm.runInNewContext(readFileSync(file, 'utf8'), { require: (m) => { if (m === 'nock') return nock; throw new Error(m) } })

const KEPT = ['content-type', 'cache-control', 'etag', 'location', 'retry-after', 'x-zendesk-api-version', 'x-rate-limit', 'x-rate-limit-remaining', 'x-zendesk-api-warn']
const users = new Map(); const idents = new Map(); const fields = new Map()
const letter = (n) => String.fromCharCode(65 + n)
const userRef = (id) => { id = String(id); if (!users.has(id)) users.set(id, letter(users.size)); return `{user:${users.get(id)}}` }
const identRef = (id) => { id = String(id); if (!idents.has(id)) idents.set(id, String(idents.size + 1)); return `{identity:${idents.get(id)}}` }
const fieldRef = (id) => { id = String(id); if (!fields.has(id)) fields.set(id, String(fields.size + 1)); return `{field:${fields.get(id)}}` }
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

function normPath (p) {
  return p
    .replace(/\/users\/(\d+)\/identities\/(\d+)/g, (_, u, i) => `/users/${userRef(u)}/identities/${identRef(i)}`)
    .replace(/\/users\/(\d+)/g, (_, u) => `/users/${userRef(u)}`)
    .replace(/\/user_fields\/(\d+)/g, (_, f) => `/user_fields/${fieldRef(f)}`)
}
function norm (v, key, parent) {
  if (Array.isArray(v)) return v.map((x) => norm(x, key, parent))
  if (v && typeof v === 'object') {
    const out = {}
    const kind = 'deliverable_state' in v || ('user_id' in v && 'primary' in v) ? 'identity' : ('raw_title' in v ? 'field' : 'user')
    for (const [k, x] of Object.entries(v)) out[k] = norm(x, k, kind)
    return out
  }
  if (typeof v === 'string' && TS.test(v)) return '{timestamp}'
  if (typeof v === 'string' && /^https?:\/\//.test(v)) return normPath(v.replace(/^https?:\/\/[^/]+/, '{origin}'))
  if (typeof v === 'number' && key === 'id') return parent === 'identity' ? identRef(v) : parent === 'field' ? fieldRef(v) : userRef(v)
  if (typeof v === 'number' && key === 'user_id') return userRef(v)
  return v
}
const exchanges = calls.map((c, i) => {
  const h = c.responseHeaders ?? []
  const headers = {}
  let at
  for (let j = 0; j < h.length; j += 2) {
    const k = h[j].toLowerCase()
    if (k === 'date') at = new Date(h[j + 1]).toISOString()
    if (!KEPT.includes(k)) continue
    let val = h[j + 1]
    if (k === 'etag') val = val.replace(/[0-9a-f]{32}/, '{hex32}')
    if (k === 'location') val = norm(val)
    headers[k] = val
  }
  const reqHeaders = {}
  for (const k of ['content-type', 'accept']) if (c.headers[k]) reqHeaders[k] = c.headers[k]
  return {
    id: `${i}`.padStart(3, '0'),
    at,
    request: { method: c.method, path: normPath(c.path), ...(c.query ? { query: c.query } : {}), headers: reqHeaders, ...(c.body !== undefined && c.body !== '' ? { body: norm(c.body) } : {}) },
    status: c.status,
    headers,
    body: norm(c.response)
  }
})
const out = { source: { repo, path, commit, note: 'nock recording of a live Zendesk account; normalised by scripts/recordings/normalise-nock.mjs' }, exchanges }
// One exchange per line: small diffs, readable fixture.
process.stdout.write('{\n  "source": ' + JSON.stringify(out.source) + ',\n  "exchanges": [\n' + exchanges.map((e) => '    ' + JSON.stringify(e)).join(',\n') + '\n  ]\n}\n')
