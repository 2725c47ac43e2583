import type { VendorName } from './service.js'

/**
 * The request journal: every vendor request with its response, in a bounded ring per account,
 * so memory stays flat however long userdouble runs. Entries keep references to what the request
 * already holds (headers, parsed body, response payload); credentials are masked when an entry is
 * read, never on the hot path, and never leave the process unmasked.
 */
export interface JournalEntry {
  id: number
  time: string
  account: string | null
  vendor: VendorName
  method: string
  path: string
  query: string
  headers: Record<string, string | string[] | undefined>
  body: unknown
  status: number
  responseHeaders: Record<string, unknown>
  responseBody: unknown
  durationMs: number
  /** The fault rule that answered, delayed or dropped the request, if any. */
  fault?: string | null
}

export interface JournalFilter {
  account?: string
  vendor?: string
  method?: string
  /** Exact path, or a prefix when it ends with `*`. */
  path?: string
  status?: number
  /** ISO instants, inclusive. */
  since?: string
  until?: string
  /** Substring of the JSON of the request body (e.g. an e-mail). */
  bodyContains?: string
  limit?: number
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'])
const SECRET_PARAMS = /([?&](?:access_token|token|api_key|apikey|password)=)[^&]*/gi
const SECRET_KEYS = new Set(['password', 'api_token', 'token', 'access_token', 'apikey', 'api_key', 'secret'])

/** `Basic dXNlcjpwYXNz` → `Basic ***`: the scheme stays visible, the secret does not. */
export function maskHeaderValue (name: string, value: string | string[] | undefined): string | string[] | undefined {
  if (value === undefined || !SECRET_HEADERS.has(name.toLowerCase())) return value
  const mask = (v: string): string => {
    const space = v.indexOf(' ')
    return space > 0 && name.toLowerCase().includes('authorization') ? `${v.slice(0, space)} ***` : '***'
  }
  return Array.isArray(value) ? value.map(mask) : mask(value)
}

export function maskHeaders (headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(headers)) out[k] = maskHeaderValue(k, v as string | string[] | undefined)
  return out
}

const SECRET_FORM = /((?:^|&)(?:access_token|token|api_key|apikey|password)=)[^&]*/gi

function readBody (body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body
  return typeof text === 'string' ? maskForm(parseMaybe(text)) : text
}

/** A form-encoded body (`password=x&...`) keeps its shape with the secrets masked. */
function maskForm (body: unknown): unknown {
  return typeof body === 'string' ? body.replace(SECRET_FORM, '$1***') : body
}

export function maskUrl (url: string): string {
  return url.replace(SECRET_PARAMS, '$1***')
}

function maskBody (body: unknown, depth = 0): unknown {
  if (depth > 8 || body === null || typeof body !== 'object') return body
  if (Array.isArray(body)) return body.map(b => maskBody(b, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) out[k] = SECRET_KEYS.has(k.toLowerCase()) ? '***' : maskBody(v, depth + 1)
  return out
}

/** What the hot path records: the time as a number, formatted only when an entry is read. */
export type RecordedEntry = Omit<JournalEntry, 'id' | 'time'> & { at: number }
type Stored = RecordedEntry & { id: number }

export class Journal {
  private readonly rings = new Map<string, Stored[]>()
  private readonly heads = new Map<string, number>()
  private nextId = 1
  // ----- live subscribers (GET /__mock/requests/stream): the hot path only calls them when there are any -----
  private readonly listeners = new Set<(entry: Readonly<RecordedEntry & { id: number }>) => void>()
  /** Entries kept per account (and for requests with no account); 0 records nothing. */
  limit: number

  constructor (limit: number) {
    this.limit = limit
  }

  record (entry: RecordedEntry): void {
    if (this.limit <= 0) return
    const key = entry.account ?? ''
    let ring = this.rings.get(key)
    if (!ring) { ring = []; this.rings.set(key, ring) }
    const full = entry as Stored
    full.id = this.nextId++
    if (ring.length < this.limit) {
      ring.push(full)
    } else {
      const head = this.heads.get(key) ?? 0
      ring[head] = full
      this.heads.set(key, (head + 1) % this.limit)
    }
    if (this.listeners.size > 0) for (const listener of this.listeners) listener(full)
  }

  /** Calls `listener` with each entry as it is recorded (unmasked: pass it to `present`); returns the unsubscribe. */
  subscribe (listener: (entry: Readonly<RecordedEntry & { id: number }>) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** An entry as the API shows it: time formatted, credentials masked, bodies parsed. */
  present ({ at, ...e }: Readonly<RecordedEntry & { id: number }>): JournalEntry {
    return {
      ...e,
      time: new Date(at).toISOString(),
      query: maskUrl(e.query),
      headers: maskHeaders(e.headers) as JournalEntry['headers'],
      body: maskBody(readBody(e.body)),
      responseHeaders: maskHeaders(e.responseHeaders),
      responseBody: parseMaybe(e.responseBody)
    }
  }

  /** Matching entries, oldest first, masked. */
  query (filter: JournalFilter = {}): JournalEntry[] {
    const keys = filter.account !== undefined ? [filter.account] : [...this.rings.keys()]
    const since = filter.since ? Date.parse(filter.since) : -Infinity
    const until = filter.until ? Date.parse(filter.until) : Infinity
    const prefix = filter.path?.endsWith('*') ? filter.path.slice(0, -1) : undefined
    const method = filter.method?.toUpperCase()
    const out: Stored[] = []
    for (const key of keys) {
      for (const e of this.ordered(key)) {
        if (filter.vendor && e.vendor !== filter.vendor) continue
        if (method && e.method !== method) continue
        if (filter.path && (prefix !== undefined ? !e.path.startsWith(prefix) : e.path !== filter.path)) continue
        if (filter.status !== undefined && e.status !== filter.status) continue
        if (e.at < since || e.at > until) continue
        if (filter.bodyContains && !JSON.stringify(readBody(e.body) ?? null).includes(filter.bodyContains)) continue
        out.push(e)
      }
    }
    out.sort((a, b) => a.id - b.id)
    const limited = filter.limit !== undefined ? out.slice(-filter.limit) : out
    return limited.map(e => this.present(e))
  }

  /** Forgets entries: one account's, or all. */
  clear (account?: string): void {
    if (account === undefined) { this.rings.clear(); this.heads.clear(); return }
    this.rings.delete(account)
    this.heads.delete(account)
  }

  get size (): number {
    let n = 0
    for (const r of this.rings.values()) n += r.length
    return n
  }

  private ordered (key: string): Stored[] {
    const ring = this.rings.get(key) ?? []
    const head = this.heads.get(key) ?? 0
    return head === 0 ? ring : [...ring.slice(head), ...ring.slice(0, head)]
  }
}

/** Response payloads are kept as sent (a string); JSON ones are parsed only when read. */
function parseMaybe (payload: unknown): unknown {
  if (typeof payload !== 'string') return payload ?? null
  const c = payload.charCodeAt(0)
  if (c !== 123 && c !== 91) return payload
  try { return JSON.parse(payload) } catch { return payload }
}
