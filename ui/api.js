/**
 * The page's only way to the server: the documented /__mock API (and the vendors' own APIs for a
 * user as they render it). With ADMIN_TOKEN set, the token typed in is kept in sessionStorage
 * and sent as `Authorization: Bearer`, as every other client of the control plane does.
 */
const KEY = 'userdouble.adminToken'
let asking

export const token = () => sessionStorage.getItem(KEY)

function askToken (refused) {
  asking ??= new Promise(resolve => {
    const dialog = document.getElementById('token-dialog')
    const input = document.getElementById('token-input')
    document.getElementById('token-error').hidden = !refused
    dialog.addEventListener('close', () => {
      sessionStorage.setItem(KEY, input.value)
      input.value = ''
      asking = undefined
      resolve()
    }, { once: true })
    dialog.showModal()
    input.focus()
  })
  return asking
}

export class ApiError extends Error {
  constructor (status, body) {
    super(body?.error?.message ?? `HTTP ${status}`)
    this.status = status
    this.body = body
  }
}

function authHeaders () {
  const t = token()
  return t ? { authorization: `Bearer ${t}` } : {}
}

/** A control-plane call: `api('GET', '/accounts')`; JSON in, JSON out; asks for the token on 401. */
export async function api (method, path, body) {
  // The server says in the page whether ADMIN_TOKEN is set: ask before the first call, not after a 401.
  if (document.querySelector('meta[name="userdouble-admin-token"]')?.content === 'required' && token() === null) await askToken(false)
  for (let attempt = 0; ; attempt++) {
    const res = await fetch('/__mock' + path, {
      method,
      headers: { ...authHeaders(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined
    })
    if (res.status === 401 && attempt < 5) { await askToken(attempt > 0 || token() !== null); continue }
    const text = await res.text()
    const data = text ? JSON.parse(text) : null
    if (!res.ok) throw new ApiError(res.status, data)
    return data
  }
}

/** A vendor call with the account's own credentials: what a client of that vendor would get. */
export async function vendor (account, name, path) {
  const headers = name === 'zendesk'
    ? { authorization: 'Basic ' + btoa(`${account.zendesk.email}/token:${account.zendesk.apiToken}`) }
    : { authorization: `Token ${account.usercom.apiKey}`, accept: 'application/json; version=1' }
  const res = await fetch(path, { headers })
  const text = await res.text()
  let body = text
  try { body = JSON.parse(text) } catch {}
  return { status: res.status, body }
}

/**
 * The journal stream (`GET /__mock/requests/stream`, Server-Sent Events) read with fetch, since
 * EventSource cannot send the Authorization header. Reconnects after a drop.
 */
export function stream (query, { onEntry, onMissed, onState }) {
  const status = { stopped: false }
  let controller
  const run = async () => {
    while (!status.stopped) {
      controller = new AbortController()
      if (document.querySelector('meta[name="userdouble-admin-token"]')?.content === 'required' && token() === null) await askToken(false)
      try {
        const res = await fetch('/__mock/requests/stream' + query, { headers: authHeaders(), signal: controller.signal })
        if (res.status === 401) { await askToken(token() !== null); continue }
        if (!res.ok || !res.body) throw new Error(`stream: HTTP ${res.status}`)
        onState(true)
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let cut
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut)
            buffer = buffer.slice(cut + 2)
            let event = 'message'
            let data = ''
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7)
              else if (line.startsWith('data: ')) data += line.slice(6)
            }
            if (event === 'request') onEntry(JSON.parse(data))
            else if (event === 'missed') onMissed(JSON.parse(data).missed)
          }
        }
      } catch (err) {
        if (status.stopped) return
      }
      onState(false)
      if (!status.stopped) await new Promise(resolve => setTimeout(resolve, 1500))
    }
  }
  run()
  return () => { status.stopped = true; controller?.abort() }
}
