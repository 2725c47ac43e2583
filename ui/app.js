import { api, stream, vendor, ApiError } from './api.js'
import { copy, debounce, h, pretty, replace, toast } from './dom.js'

/** The web inspector: four views over the documented /__mock API. */
const VENDORS = [{ name: 'zendesk', label: 'Zendesk' }, { name: 'usercom', label: 'User.com' }]
const MAX_ENTRIES = 2000
const state = {
  accounts: [],
  account: sessionStorage.getItem('userdouble.account') ?? 'default',
  entries: [],
  ids: new Set(),
  missed: 0,
  expanded: new Set(),
  filters: { vendor: '', method: '', status: '', path: '', text: '' },
  users: { vendor: 'zendesk', q: '', cursors: [], page: null, open: null },
  stopStream: undefined
}
const main = document.getElementById('main')
const current = () => state.accounts.find(a => a.id === state.account)
const view = () => (location.hash.slice(1) || 'accounts').split('?')[0]
const listeners = new Set()

async function fail (err) {
  toast(err instanceof ApiError ? `${err.status}: ${err.message}` : String(err.message ?? err), 'bad')
}

// ---------- accounts and the stream ----------

async function loadAccounts () {
  state.accounts = (await api('GET', '/accounts')).accounts
  if (!current()) state.account = state.accounts[0]?.id ?? 'default'
  const select = document.getElementById('account')
  replace(select, state.accounts.map(a => h('option', { value: a.id, selected: a.id === state.account }, a.id === a.name ? a.id : `${a.name} (${a.id})`)))
}

async function switchAccount (id) {
  state.account = id
  sessionStorage.setItem('userdouble.account', id)
  state.entries = []
  state.ids = new Set()
  state.expanded = new Set()
  state.users.cursors = []
  state.users.open = null
  await startStream()
  render()
}

function addEntry (e) {
  if (state.ids.has(e.id)) return
  state.ids.add(e.id)
  state.entries.push(e)
  if (state.entries.length > MAX_ENTRIES) state.ids.delete(state.entries.shift().id)
}

async function startStream () {
  state.stopStream?.()
  const live = document.getElementById('live')
  const onEntry = (e) => {
    addEntry(e)
    for (const l of listeners) l(e)
  }
  // The stream first, then the history: an entry in both is kept once (by id).
  state.stopStream = stream(`?account=${encodeURIComponent(state.account)}`, {
    onEntry,
    onMissed: (n) => { state.missed += n; loadHistory() },
    onState: (up) => { live.classList.toggle('up', up); live.title = up ? 'live' : 'reconnecting' }
  })
  await loadHistory()
}

async function loadHistory () {
  const { requests } = await api('GET', `/requests?account=${encodeURIComponent(state.account)}&limit=${MAX_ENTRIES}`)
  for (const e of requests) addEntry(e)
  state.entries.sort((a, b) => a.id - b.id)
  for (const l of listeners) l(null)
}

// ---------- the views ----------

function render () {
  listeners.clear()
  for (const a of document.querySelectorAll('nav a')) a.setAttribute('aria-current', a.dataset.view === view() ? 'page' : 'false')
  const views = { accounts: accountsView, users: usersView, requests: requestsView, control: controlView }
  ;(views[view()] ?? accountsView)().catch(fail)
}

function copyField (label, value, secret = false) {
  return h('div.field',
    h('span.label', label),
    h('code', { class: secret ? 'secret' : '' }, value),
    h('button.small', { type: 'button', 'aria-label': `Copy ${label}`, onclick: () => copy(value) }, 'Copy'))
}

function confirmAction (text) {
  const dialog = document.getElementById('confirm-dialog')
  document.getElementById('confirm-text').textContent = text
  dialog.returnValue = ''
  dialog.showModal()
  return new Promise(resolve => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }))
}

async function accountsView () {
  await loadAccounts()
  const counts = Object.fromEntries(await Promise.all(state.accounts.map(async a => [a.id, await api('GET', `/accounts/${encodeURIComponent(a.id)}/counts`)])))
  replace(main, h('h1', 'Accounts'), h('div.cards', state.accounts.map(a => {
    const c = counts[a.id]
    const selected = a.id === state.account
    return h('section.card', { class: selected ? 'selected' : '', 'aria-label': `Account ${a.id}` },
      h('div.row.spread',
        h('h2', a.name, a.name !== a.id ? h('small', ` ${a.id}`) : null),
        selected ? h('span.badge', 'selected') : h('button', { type: 'button', onclick: () => { document.getElementById('account').value = a.id; switchAccount(a.id) } }, 'Select')),
      h('p.counts', VENDORS.map(v => h('span', `${v.label}: `, h('b', { 'data-count': `${a.id}:${v.name}` }, String(c[v.name]?.users ?? 0)), ' users '))),
      h('h3', 'Zendesk'),
      copyField('Base URL', a.zendesk.baseUrl),
      copyField('Email', a.zendesk.email),
      copyField('API token', a.zendesk.apiToken, true),
      copyField('Password', a.zendesk.password, true),
      copyField('OAuth token', a.zendesk.oauthToken, true),
      h('h3', 'User.com'),
      copyField('Base URL', a.usercom.baseUrl),
      copyField('API key', a.usercom.apiKey, true),
      h('div.row',
        h('button.danger', {
          type: 'button',
          onclick: async () => {
            if (!await confirmAction(`Reset account ${a.id}? Its users, journal, faults and limits go; credentials stay.`)) return
            await api('POST', `/accounts/${encodeURIComponent(a.id)}/reset`).catch(fail)
            if (a.id === state.account) await switchAccount(a.id); else render()
            toast(`Account ${a.id} reset`)
          }
        }, 'Reset'),
        a.id === 'default'
          ? null
          : h('button.danger', {
            type: 'button',
            onclick: async () => {
              if (!await confirmAction(`Delete account ${a.id} and everything it owns?`)) return
              await api('DELETE', `/accounts/${encodeURIComponent(a.id)}`).catch(fail)
              await loadAccounts()
              await switchAccount(current()?.id ?? 'default')
              toast(`Account ${a.id} deleted`)
            }
          }, 'Delete')))
  })), h('form.card.row', {
    onsubmit: async (ev) => {
      ev.preventDefault()
      const id = new FormData(ev.target).get('id')
      await api('POST', '/accounts', id ? { id } : {}).then(render, fail)
    }
  }, h('label', 'New account id ', h('input', { name: 'id', placeholder: 'optional', pattern: '[A-Za-z0-9_.\\-]{1,64}' })), h('button', { type: 'submit' }, 'Create account')))
}

async function usersView () {
  const u = state.users
  const table = h('div.table-wrap')
  const detail = h('section.detail', { 'aria-live': 'polite' })
  const pager = h('div.row.pager')
  const load = async () => {
    const cursor = u.cursors[u.cursors.length - 1]
    const q = new URLSearchParams({ vendor: u.vendor, limit: '25', ...(u.q ? { q: u.q } : {}), ...(cursor ? { cursor } : {}) })
    u.page = await api('GET', `/accounts/${encodeURIComponent(state.account)}/users?${q}`)
    replace(table, h('table.users', { 'aria-label': `${u.vendor} users` },
      h('thead', h('tr', ['id', 'name', 'email', u.vendor === 'zendesk' ? 'external_id' : 'user_id', u.vendor === 'zendesk' ? 'role' : 'status', 'updated'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', u.page.users.length === 0
        ? h('tr', h('td', { colspan: 6 }, u.q ? 'No user matches.' : 'No users yet.'))
        : u.page.users.map(r => h('tr', {
          tabindex: 0,
          class: u.open === r.id ? 'open' : '',
          'data-user': r.id,
          onclick: () => openUser(r.id),
          onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); openUser(r.id) } }
        }, h('td.num', r.id), h('td', r.name ?? ''), h('td', r.email ?? ''), h('td', r.externalId ?? ''), h('td', r.role), h('td.time', r.updatedAt))))))
    const from = u.cursors.length * 25
    replace(pager,
      h('span', `${u.page.total} users${u.q ? `; matches ${from + 1}–${from + u.page.users.length}` : `; ${from + (u.page.users.length ? 1 : 0)}–${from + u.page.users.length}`}`),
      h('button', { type: 'button', disabled: u.cursors.length === 0, onclick: () => { u.cursors = []; load().catch(fail) } }, 'First'),
      h('button', { type: 'button', disabled: u.cursors.length === 0, onclick: () => { u.cursors.pop(); load().catch(fail) } }, 'Previous'),
      h('button', { type: 'button', disabled: !u.page.next, onclick: () => { u.cursors.push(u.page.next); load().catch(fail) } }, 'Next'))
  }
  const openUser = async (id) => {
    u.open = id
    for (const tr of table.querySelectorAll('tr[data-user]')) tr.classList.toggle('open', Number(tr.dataset.user) === id)
    const account = current()
    const paths = [u.vendor === 'zendesk' ? `/api/v2/users/${id}` : `/api/public/users/${id}/`]
    const answers = await Promise.all(paths.map(p => vendor(account, u.vendor, p)))
    const touched = state.entries.filter(e => e.vendor === u.vendor && touches(e, id)).reverse()
    replace(detail,
      h('div.row.spread', h('h2', `User ${id}`), h('button.small', { type: 'button', onclick: () => { u.open = null; replace(detail) } }, 'Close')),
      paths.map((p, i) => [h('h3', h('code', `GET ${p}`), ` → ${answers[i].status}`), h('pre.json', pretty(answers[i].body))]),
      h('h3', `Requests that touched it (${touched.length})`),
      touched.length ? h('ul.touched', touched.map(e => h('li', h('a', { href: `#requests?id=${e.id}` }, `${e.time} ${e.method} ${e.path} → ${e.status}`)))) : h('p', 'None in the journal.'))
  }
  const search = h('input', { type: 'search', value: u.q, placeholder: 'name, email or external id', 'aria-label': 'Search users', oninput: debounce((ev) => { u.q = ev.target.value.trim(); u.cursors = []; load().catch(fail) }, 200) })
  replace(main,
    h('h1', 'Users'),
    h('div.row.tabs', { role: 'tablist' }, VENDORS.map(v => h('button', {
      type: 'button',
      role: 'tab',
      'aria-selected': String(u.vendor === v.name),
      onclick: () => { u.vendor = v.name; u.cursors = []; u.open = null; render() }
    }, v.label)), h('label.grow', 'Search ', search)),
    pager, table, detail)
  await load()
  if (u.open !== null) openUser(u.open).catch(fail)
  // New writes to this vendor show up on the first page without a reload.
  const refresh = debounce(() => { if (u.cursors.length === 0) load().catch(fail) }, 150)
  listeners.add(e => { if (e && e.vendor === u.vendor && e.method !== 'GET') refresh() })
}

function touches (e, id) {
  if (e.path.includes(`/users/${id}`) || e.path.includes(`/users/${id}/`)) return true
  const body = e.responseBody
  if (body && typeof body === 'object') {
    if (body.id === id || body.user?.id === id) return true
    if (Array.isArray(body.users) && body.users.length <= 100 && body.users.some(x => x?.id === id)) return true
  }
  return false
}

const STATUS_CLASS = (e) => e.fault ? 'fault' : e.status === 429 ? 'limited' : e.status === 0 ? 'fault' : e.status >= 500 ? 's5' : e.status >= 400 ? 's4' : 's2'

function matches (e, f) {
  if (f.vendor && e.vendor !== f.vendor) return false
  if (f.method && e.method !== f.method) return false
  if (f.status && !String(e.status).startsWith(f.status)) return false
  if (f.path && !e.path.includes(f.path)) return false
  if (f.text && !JSON.stringify(e).toLowerCase().includes(f.text.toLowerCase())) return false
  return true
}

function curlFor (e) {
  const account = current()
  const q = (s) => `'${String(s).replace(/'/g, "'\\''")}'`
  const parts = [`curl -X ${e.method} ${q(location.origin + e.path + e.query)}`]
  for (const [k, v] of Object.entries(e.headers)) {
    if (['host', 'content-length', 'connection', 'accept-encoding', 'user-agent'].includes(k)) continue
    if (k === 'authorization') {
      if (e.vendor === 'zendesk' && account) parts.push(`-u ${q(`${account.zendesk.email}/token:${account.zendesk.apiToken}`)}`)
      else if (e.vendor === 'usercom' && account) parts.push(`-H ${q(`Authorization: Token ${account.usercom.apiKey}`)}`)
      continue
    }
    parts.push(`-H ${q(`${k}: ${v}`)}`)
  }
  if (e.body !== null && e.body !== undefined && e.body !== '') parts.push(`--data-raw ${q(typeof e.body === 'string' ? e.body : JSON.stringify(e.body))}`)
  return parts.join(' \\\n  ')
}

function headerTable (headers) {
  return h('table.headers', h('tbody', Object.entries(headers).map(([k, v]) => h('tr', h('th', { scope: 'row' }, k), h('td', Array.isArray(v) ? v.join(', ') : String(v))))))
}

function entryDetail (e) {
  const limits = Object.entries(e.responseHeaders).filter(([k]) => /rate-?limit|retry-after/i.test(k))
  return h('div.entry-detail',
    h('div.row',
      h('span', `${e.durationMs} ms`),
      e.fault ? h('span.badge.fault', `fault ${e.fault}`) : null,
      limits.length ? h('span.badge', limits.map(([k, v]) => `${k}: ${v}`).join('; ')) : null,
      h('button.small', { type: 'button', onclick: () => copy(curlFor(e)) }, 'Copy as curl')),
    h('div.split',
      h('section', h('h3', 'Request'), h('p', h('code', `${e.method} ${e.path}${e.query}`)), headerTable(e.headers), e.body !== null && e.body !== '' ? h('pre.json', pretty(e.body)) : null),
      h('section', h('h3', 'Response ', h('span', { class: `status ${STATUS_CLASS(e)}` }, String(e.status))), headerTable(e.responseHeaders), h('pre.json', pretty(e.responseBody)))))
}

async function requestsView () {
  const f = state.filters
  const focusId = Number(new URLSearchParams(location.hash.split('?')[1] ?? '').get('id')) || null
  if (focusId) state.expanded.add(focusId)
  const list = h('div.table-wrap')
  const summary = h('p.summary', { 'aria-live': 'polite' })
  const draw = () => {
    const shown = state.entries.filter(e => matches(e, f)).slice(-500).reverse()
    replace(summary, `${shown.length} of ${state.entries.length} requests`, state.missed ? ` (the stream skipped ${state.missed}; reloaded from the journal)` : '')
    replace(list, h('table.requests', { 'aria-label': 'Requests' },
      h('thead', h('tr', ['time', 'vendor', 'method', 'path', 'status', 'ms'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', shown.map(e => {
        const open = state.expanded.has(e.id)
        const toggle = () => { if (state.expanded.has(e.id)) state.expanded.delete(e.id); else state.expanded.add(e.id); draw() }
        return [
          h('tr', { class: `entry ${STATUS_CLASS(e)}${open ? ' open' : ''}`, tabindex: 0, 'data-entry': e.id, 'aria-expanded': String(open), onclick: toggle, onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); list.querySelector(`tr[data-entry="${e.id}"]`)?.focus() } } },
            h('td.time', e.time.slice(11, 23)), h('td', e.vendor), h('td', e.method), h('td.path', e.path + e.query),
            h('td', h('span', { class: `status ${STATUS_CLASS(e)}` }, e.status === 0 ? 'dropped' : String(e.status)), e.fault ? h('span.badge.fault', 'fault') : null),
            h('td.num', String(e.durationMs))),
          open ? h('tr.expanded', h('td', { colspan: 6 }, entryDetail(e))) : null
        ]
      }))))
  }
  const input = (name, attrs) => h('input', { ...attrs, value: f[name], 'aria-label': name, oninput: debounce((ev) => { f[name] = ev.target.value.trim(); draw() }, 120) })
  const select = (name, options) => h('select', { 'aria-label': name, onchange: (ev) => { f[name] = ev.target.value; draw() } }, options.map(([v, t]) => h('option', { value: v, selected: f[name] === v }, t)))
  replace(main,
    h('h1', 'Requests'),
    h('form.filters.row', { onsubmit: (ev) => ev.preventDefault(), 'aria-label': 'Filters' },
      select('vendor', [['', 'any vendor'], ...VENDORS.map(v => [v.name, v.label])]),
      select('method', [['', 'any method'], ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map(m => [m, m])]),
      input('status', { placeholder: 'status (4, 429…)', size: 8, inputmode: 'numeric' }),
      input('path', { placeholder: 'path contains' }),
      input('text', { placeholder: 'any text', type: 'search', class: 'grow' }),
      h('button', { type: 'button', onclick: async () => { await api('DELETE', `/requests?account=${encodeURIComponent(state.account)}`).catch(fail); state.entries = []; state.ids = new Set(); draw() } }, 'Clear journal')),
    summary, list)
  draw()
  let queued = false
  listeners.add(() => { if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; draw() }) } })
}

function parseDuration (text) {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  if (!m) return undefined
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? 's'])
}

async function controlView () {
  const id = encodeURIComponent(state.account)
  const [clock, limits, windows, faults] = await Promise.all([
    api('GET', '/clock'), api('GET', `/accounts/${id}/rate-limits`), api('GET', `/accounts/${id}/rate-limits/windows`), api('GET', '/faults')
  ])
  const clockOut = h('output#clock-now', clock.now)
  const clockMode = h('span.badge', clock.mode)
  const setClock = (c) => { clockOut.value = c.now; clockMode.textContent = c.mode }
  const post = (body) => api('POST', '/clock', body).then(setClock, fail)
  const tick = setInterval(() => { if (!main.contains(clockOut)) { clearInterval(tick); return } api('GET', '/clock').then(setClock, () => {}) }, 1000)

  const field = (label, name, value, attrs = {}) => h('label', label, ' ', h('input', { name, value, ...attrs }))
  const num = (fd, name) => fd.get(name) === '' || fd.get(name) === null ? undefined : Number(fd.get(name))

  replace(main,
    h('h1', 'Control'),
    h('section.card', { 'aria-label': 'Clock' },
      h('h2', 'Clock'),
      h('p', 'Now: ', clockOut, ' ', clockMode),
      h('form.row', {
        id: 'advance-form',
        onsubmit: (ev) => {
          ev.preventDefault()
          const seconds = parseDuration(new FormData(ev.target).get('by'))
          if (seconds === undefined) return toast('A duration: 90, 90s, 15m, 2h, 1d', 'bad')
          post({ advance: seconds })
        }
      }, field('Advance by', 'by', '60s', { size: 8, 'aria-describedby': 'advance-help' }), h('button', { type: 'submit' }, 'Advance'), h('small#advance-help', '90, 90s, 15m, 2h, 1d')),
      h('div.row', h('button', { type: 'button', onclick: () => post({ mode: 'frozen' }) }, 'Freeze'), h('button', { type: 'button', onclick: () => post({ mode: 'real' }) }, 'Real time'))),

    h('section.card', { 'aria-label': 'Rate limits' },
      h('h2', 'Rate limits of ', h('code', state.account)),
      h('p', windows.enabled ? 'Enforced.' : 'Off (RATE_LIMITS=off or turned off for this account).'),
      windows.windows.length
        ? h('div.table-wrap', h('table', h('thead', h('tr', ['vendor', 'window', 'subject', 'used', 'remaining', 'resets in'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', windows.windows.map(w => h('tr', { class: w.remaining === 0 ? 'limited' : '' }, h('td', w.vendor), h('td', w.kind), h('td', w.subject ?? ''), h('td.num', `${w.used} / ${w.limit}`), h('td.num', w.remaining), h('td.num', `${w.resetSeconds} s`))))))
        : h('p', 'No window open now.'),
      windows.more ? h('p', `${windows.more} more not shown.`) : null,
      h('form.grid', {
        onsubmit: async (ev) => {
          ev.preventDefault()
          const fd = new FormData(ev.target)
          await api('PUT', `/accounts/${id}/rate-limits`, {
            enabled: fd.get('enabled') === 'on',
            zendesk: { perMinute: num(fd, 'perMinute'), perUserPerMinute: num(fd, 'perUserPerMinute'), perSecond: num(fd, 'perSecond'), maxJobs: num(fd, 'maxJobs') },
            usercom: { perPeriod: num(fd, 'perPeriod'), periodSeconds: num(fd, 'periodSeconds') }
          }).then(() => { toast('Rate limits saved'); render() }, fail)
        }
      },
      h('label.check', h('input', { type: 'checkbox', name: 'enabled', checked: limits.enabled }), ' enabled'),
      field('Zendesk per minute', 'perMinute', limits.zendesk.perMinute, { type: 'number', min: 0 }),
      field('per user per minute', 'perUserPerMinute', limits.zendesk.perUserPerMinute, { type: 'number', min: 0 }),
      field('per second', 'perSecond', limits.zendesk.perSecond, { type: 'number', min: 0 }),
      field('max jobs', 'maxJobs', limits.zendesk.maxJobs, { type: 'number', min: 0 }),
      field('User.com per period', 'perPeriod', limits.usercom.perPeriod, { type: 'number', min: 0 }),
      field('period (s)', 'periodSeconds', limits.usercom.periodSeconds, { type: 'number', min: 1 }),
      h('button', { type: 'submit' }, 'Save limits'))),

    h('section.card', { 'aria-label': 'Fault rules' },
      h('h2', 'Fault rules'),
      faults.faults.length
        ? h('ul.faults', faults.faults.map(r => h('li', h('code', `${r.id}: ${r.vendor ?? 'any'} ${r.method ?? '*'} ${r.path ?? '*'} → ${r.action}${r.status ? ' ' + r.status : ''}${r.latencyMs ? ` +${r.latencyMs} ms` : ''}`),
          ` hits ${r.hits}${r.remaining !== null ? `, ${r.remaining} left` : ''}${r.account ? `, account ${r.account}` : ''} `,
          h('button.small', { type: 'button', 'aria-label': `Remove ${r.id}`, onclick: () => api('DELETE', `/faults/${encodeURIComponent(r.id)}`).then(render, fail) }, 'Remove'))))
        : h('p', 'None.'),
      h('form.grid', {
        id: 'fault-form',
        onsubmit: async (ev) => {
          ev.preventDefault()
          const fd = new FormData(ev.target)
          const body = {}
          for (const k of ['vendor', 'method', 'path', 'action', 'contentType']) if (fd.get(k)) body[k] = fd.get(k)
          for (const k of ['status', 'times', 'latencyMs']) if (fd.get(k)) body[k] = Number(fd.get(k))
          if (fd.get('probability')) body.probability = Number(fd.get('probability'))
          if (fd.get('thisAccount') === 'on') body.account = state.account
          const text = fd.get('body')
          if (text) { try { body.body = JSON.parse(text) } catch { body.body = text } }
          await api('POST', '/faults', body).then((r) => { toast(`Added ${r.id}`); render() }, fail)
        }
      },
      h('label', 'Vendor ', h('select', { name: 'vendor' }, h('option', { value: '' }, 'any'), VENDORS.map(v => h('option', { value: v.name }, v.label)))),
      h('label', 'Method ', h('select', { name: 'method' }, h('option', { value: '' }, 'any'), ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map(m => h('option', { value: m }, m)))),
      field('Path (exact, or prefix*)', 'path', '', { placeholder: '/api/v2/users*' }),
      h('label', 'Action ', h('select', { name: 'action' }, ['respond', 'delay', 'drop'].map(a => h('option', { value: a }, a)))),
      field('Status', 'status', '503', { type: 'number', min: 100, max: 599 }),
      field('Times', 'times', '1', { type: 'number', min: 1, placeholder: 'every time' }),
      field('Latency (ms)', 'latencyMs', '', { type: 'number', min: 0 }),
      field('Probability', 'probability', '', { type: 'number', min: 0, max: 1, step: 0.05, placeholder: '1' }),
      h('label', 'Body ', h('textarea', { name: 'body', rows: 2, placeholder: '{"error": "…"} or text' })),
      h('label.check', h('input', { type: 'checkbox', name: 'thisAccount', checked: true }), ` only account ${state.account}`),
      h('button', { type: 'submit' }, 'Add fault'))),

    h('section.card', { 'aria-label': 'State' },
      h('h2', 'State of ', h('code', state.account)),
      h('p', 'The same JSON as GET / PUT /__mock/accounts/{id}/state.'),
      h('div.row',
        h('button', {
          type: 'button',
          onclick: async () => {
            const data = await api('GET', `/accounts/${id}/state`).catch(fail)
            if (!data) return
            const a = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })), download: `userdouble-${state.account}.json` })
            document.body.append(a); a.click(); a.remove()
          }
        }, 'Download state'),
        h('label.button', 'Upload state… ', h('input', {
          type: 'file',
          accept: 'application/json,.json',
          onchange: async (ev) => {
            const file = ev.target.files[0]
            if (!file) return
            let data
            try { data = JSON.parse(await file.text()) } catch { return toast('Not JSON', 'bad') }
            if (!await confirmAction(`Replace the users of ${state.account} with ${file.name}?`)) return
            await api('PUT', `/accounts/${id}/state`, data).then(r => toast(`Loaded ${JSON.stringify(r.loaded)}`), fail)
          }
        })))))
}

// ---------- start ----------

document.getElementById('account').addEventListener('change', (ev) => switchAccount(ev.target.value))
window.addEventListener('hashchange', render)
try {
  await loadAccounts()
  await startStream()
  render()
} catch (err) {
  fail(err)
}
