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
  /**
   * Present when a body was longer than JOURNAL_BODY_MAX_BYTES: its original size in bytes. The
   * body is then its first JOURNAL_BODY_MAX_BYTES as text.
   */
  truncated?: { body?: number, responseBody?: number }
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
  /** Only entries with an id above this one (page forward with the last id seen). */
  after?: number
  limit?: number
}

/**
 * What carries a credential, on every surface: a header or query parameter whose name says
 * token, key, secret, password, auth, signature, cookie or session (`authorization`,
 * `x-auth-token`, `x-admin-token`, `x-api-key`, `?api_token=`, `?key=`, `?access_token=`, …).
 */
const SECRET_NAME = /token|key|secret|passw|pwd|auth|signature|cookie|session|credential/i
const SECRET_PARAMS = /([?&][\w.[\]%-]*?(?:token|key|secret|passw|pwd|auth|signature|session|credential)[\w.[\]%-]*=)[^&#]*/gi
const SECRET_KEYS = new Set(['password', 'api_token', 'token', 'access_token', 'refresh_token', 'apikey', 'api_key', 'secret', 'client_secret', 'auth_token'])

/** `Basic dXNlcjpwYXNz` → `Basic ***`: the scheme stays visible, the secret does not. */
export function maskHeaderValue (name: string, value: string | string[] | undefined): string | string[] | undefined {
  if (value === undefined || !SECRET_NAME.test(name) || name.toLowerCase() === 'www-authenticate') return value
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

const SECRET_FORM = /((?:^|&)[\w.[\]%-]*?(?:token|key|secret|passw|pwd|auth|signature|session|credential)[\w.[\]%-]*=)[^&]*/gi

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
export type RecordedEntry = Omit<JournalEntry, 'id' | 'time' | 'truncated'> & { at: number }
type Stored = RecordedEntry & {
  id: number
  /** Ring key: the account, or '' for requests without one. */
  key: string
  /** What the entry counts against JOURNAL_MAX_BYTES. */
  bytes: number
  /** Original sizes of the bodies that were cut to JOURNAL_BODY_MAX_BYTES. */
  truncated?: { body?: number, responseBody?: number }
  /** Evicted (its ring was full, or it was cleared) while still queued in the global order. */
  gone?: boolean
}

export interface JournalOptions {
  /** Bytes of bodies the whole journal keeps; the oldest entries go first. 0: no byte bound. */
  maxBytes?: number
  /** Bytes kept of each body; longer ones are cut and marked `truncated`. */
  bodyMaxBytes?: number
  /** Entries kept for requests without an account (their own ring). */
  anonymousLimit?: number
}

/** Fixed cost counted per entry besides its bodies: headers, path, bookkeeping. */
const ENTRY_OVERHEAD = 512

/** A FIFO with O(1) push and shift (an array and a head index, compacted now and then). */
class Queue<T> {
  private items: T[] = []
  private head = 0
  get length (): number { return this.items.length - this.head }
  push (item: T): void { this.items.push(item) }
  peek (): T | undefined { return this.items[this.head] }
  shift (): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head]
    this.items[this.head++] = undefined as T
    if (this.head > 1024 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0 }
    return item
  }

  /** Drops the items `keep` refuses, in one pass. */
  filter (keep: (item: T) => boolean): void { this.items = this.items.slice(this.head).filter(keep); this.head = 0 }
  values (): T[] { return this.items.slice(this.head) }
}

/** Bytes of a recorded body; `contentLength` spares stringifying a parsed request body. */
function sizeOf (body: unknown, contentLength?: unknown): number {
  if (body === null || body === undefined) return 0
  if (typeof body === 'string') return Buffer.byteLength(body)
  if (Buffer.isBuffer(body)) return body.length
  const cl = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength)
  if (Number.isSafeInteger(cl) && cl >= 0) return cl
  try { return Buffer.byteLength(JSON.stringify(body) ?? '') } catch { return 0 }
}

/** The first `max` bytes of a body as text (a parsed body is serialized first). */
function cut (body: unknown, max: number): string {
  const buf = Buffer.isBuffer(body) ? body.subarray(0, max) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body) ?? '').subarray(0, max)
  return buf.toString('utf8')
}

export class Journal {
  private readonly rings = new Map<string, Queue<Stored>>()
  /** Every live entry in recording order (evicted ones are skipped lazily), for the byte bound. */
  private readonly order = new Queue<Stored>()
  private nextId = 1
  private liveEntries = 0
  private totalBytes = 0
  // ----- live subscribers (GET /__mock/requests/stream): the hot path only calls them when there are any -----
  private readonly listeners = new Set<(entry: Readonly<RecordedEntry & { id: number }>) => void>()
  /** Entries kept per account; 0 records nothing. */
  limit: number
  readonly maxBytes: number
  readonly bodyMaxBytes: number
  readonly anonymousLimit: number

  constructor (limit: number, options: JournalOptions = {}) {
    this.limit = limit
    this.maxBytes = options.maxBytes ?? 0
    this.bodyMaxBytes = options.bodyMaxBytes ?? Infinity
    this.anonymousLimit = options.anonymousLimit ?? limit
  }

  /** Bytes the journal counts against its bound. */
  get bytes (): number { return this.totalBytes }

  record (entry: RecordedEntry): void {
    if (this.limit <= 0) return
    const key = entry.account ?? ''
    const cap = key === '' ? this.anonymousLimit : this.limit
    if (cap <= 0) return
    const full = entry as Stored
    full.id = this.nextId++
    full.key = key
    const bodyBytes = sizeOf(entry.body, entry.headers['content-length'])
    const responseBytes = sizeOf(entry.responseBody)
    if (bodyBytes > this.bodyMaxBytes) {
      full.body = cut(entry.body, this.bodyMaxBytes)
      full.truncated = { body: bodyBytes }
    }
    if (responseBytes > this.bodyMaxBytes) {
      full.responseBody = cut(entry.responseBody, this.bodyMaxBytes)
      full.truncated = { ...full.truncated, responseBody: responseBytes }
    }
    full.bytes = ENTRY_OVERHEAD + entry.path.length + entry.query.length + Math.min(bodyBytes, this.bodyMaxBytes) + Math.min(responseBytes, this.bodyMaxBytes)
    let ring = this.rings.get(key)
    if (!ring) { ring = new Queue(); this.rings.set(key, ring) }
    ring.push(full)
    this.order.push(full)
    this.liveEntries++
    this.totalBytes += full.bytes
    while (ring.length > cap) this.evict(ring.shift()!)
    if (this.maxBytes > 0) {
      while (this.totalBytes > this.maxBytes && this.liveEntries > 1) {
        const oldest = this.order.shift()!
        if (oldest.gone) continue
        this.rings.get(oldest.key)!.shift()
        this.evict(oldest)
      }
    }
    // Evicted entries wait in `order` until they reach its front: compact when they are most of it.
    if (this.order.length > 2 * this.liveEntries + 1024) this.order.filter(e => !e.gone)
    if (this.listeners.size > 0) for (const listener of this.listeners) listener(full)
  }

  private evict (e: Stored): void {
    e.gone = true
    this.liveEntries--
    this.totalBytes -= e.bytes
  }

  /** Calls `listener` with each entry as it is recorded (unmasked: pass it to `present`); returns the unsubscribe. */
  subscribe (listener: (entry: Readonly<RecordedEntry & { id: number }>) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** An entry as the API shows it: time formatted, credentials masked, bodies parsed (unless cut). */
  present (stored: Readonly<RecordedEntry & { id: number }>): JournalEntry {
    const { at, key: _key, bytes: _bytes, gone: _gone, truncated, ...e } = stored as Stored
    const out: JournalEntry = {
      ...e,
      time: new Date(at).toISOString(),
      query: maskUrl(e.query),
      headers: maskHeaders(e.headers) as JournalEntry['headers'],
      body: truncated?.body !== undefined ? maskForm(e.body) : maskBody(readBody(e.body)),
      responseHeaders: maskHeaders(e.responseHeaders),
      responseBody: truncated?.responseBody !== undefined ? e.responseBody : parseMaybe(e.responseBody)
    }
    if (truncated) out.truncated = { ...truncated }
    return out
  }

  /** Matching entries, oldest first, masked; `after` and `limit` page through them. */
  query (filter: JournalFilter = {}): JournalEntry[] {
    const keys = filter.account !== undefined ? [filter.account] : [...this.rings.keys()]
    const since = filter.since ? Date.parse(filter.since) : -Infinity
    const until = filter.until ? Date.parse(filter.until) : Infinity
    const prefix = filter.path?.endsWith('*') ? filter.path.slice(0, -1) : undefined
    const method = filter.method?.toUpperCase()
    const after = filter.after ?? 0
    const out: Stored[] = []
    for (const key of keys) {
      for (const e of this.rings.get(key)?.values() ?? []) {
        if (e.id <= after) continue
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
    // With `after`, a page reads forward (the first `limit`); without, the last `limit`.
    const limited = filter.limit === undefined ? out : filter.after !== undefined ? out.slice(0, filter.limit) : out.slice(-filter.limit)
    return limited.map(e => this.present(e))
  }

  /** Forgets entries: one account's, or all. */
  clear (account?: string): void {
    if (account === undefined) {
      this.rings.clear()
      this.order.filter(() => false)
      this.liveEntries = 0
      this.totalBytes = 0
      return
    }
    const ring = this.rings.get(account)
    if (!ring) return
    for (const e of ring.values()) this.evict(e)
    this.rings.delete(account)
  }

  get size (): number {
    return this.liveEntries
  }

  /** As a new journal: no entry, and ids from 1 again (live subscribers stay). */
  restart (): void {
    this.clear()
    this.nextId = 1
  }
}

/** Response payloads are kept as sent (a string); JSON ones are parsed only when read. */
function parseMaybe (payload: unknown): unknown {
  if (typeof payload !== 'string') return payload ?? null
  const c = payload.charCodeAt(0)
  if (c !== 123 && c !== 91) return payload
  try { return JSON.parse(payload) } catch { return payload }
}
