import { RawJson } from './pyjson.js'
import type { ApiVersion } from './serializer.js'

/**
 * The user object of User.com's docs (§5 of the spec), in the documented key order. `key` and
 * `user_id` are `user_key` and `custom_id` in API v2. Enums are rendered as their labels.
 */
export interface UserRow {
  id: number
  key: string
  user_id: string | null
  email: string | null
  first_name: string | null
  last_name: string | null
  city: string | null
  region: string | null
  country: string | null
  timezone: string | null
  phone_number: string | null
  facebook_url: string | null
  linkedin_url: string | null
  twitter_url: string | null
  google_url: string | null
  gravatar_url: string | null
  gender: number
  status: number
  score: number
  notifications: number
  unsubscribed: number
  assigned_to: number | null
  page_views: number
  os_type: string | null
  browser: string | null
  browser_language: string | null
  resolution: string | null
  last_ip: string | null
  first_seen: number | null
  last_seen: number | null
  last_contacted: number | null
  created_at: number
  updated_at: number
}

export interface UserExtras {
  tags: Array<{ id: number, name: string }>
  attributes: Array<{ id: number, name: string, name_std: string, value: string }>
  companies: Array<{ id: number, name: string | null, member_since: number }>
}

export type FullUser = UserRow & UserExtras

export const GENDERS: Record<number, string> = { 1: 'unknown', 2: 'male', 3: 'female' }
export const STATUSES: Record<number, string> = { 1: 'visitor', 2: 'user' }
export const CHAT_ID = 'Chat ID is deprecated and will be removed in future'

/** DRF's DateTimeField: `isoformat()` in UTC with `Z`; microseconds dropped when zero. */
export function drfDateTime (micros: number): string {
  const ms = Math.floor(micros / 1000)
  const frac = ((micros % 1_000_000) + 1_000_000) % 1_000_000
  const base = new Date(ms).toISOString().slice(0, 19)
  return frac === 0 ? `${base}Z` : `${base}.${String(frac).padStart(6, '0')}Z`
}

/** The inverse of drfDateTime, for loads; undefined when the text is not such a datetime. */
export function parseDrfDateTime (text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:Z|\+00:00)$/.exec(text)
  if (!m) return undefined
  const ms = Date.parse(`${m[1]}Z`)
  if (Number.isNaN(ms)) return undefined
  return ms * 1000 + Number((m[2] ?? '').padEnd(6, '0'))
}

const dt = (v: number | null): string | null => v === null ? null : drfDateTime(v)

/** `first last`, or null when neither is set. */
export function fullName (u: Pick<UserRow, 'first_name' | 'last_name'>): string | null {
  const name = [u.first_name ?? '', u.last_name ?? ''].join(' ').trim()
  return name === '' && u.first_name === null && u.last_name === null ? null : name
}

export function renderUser (u: FullUser, version: ApiVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    updated_at: drfDateTime(u.updated_at),
    companies: u.companies.map(c => ({ id: c.id, name: c.name, member_since: drfDateTime(c.member_since) }))
  }
  out[version === 2 ? 'user_key' : 'key'] = u.key
  out[version === 2 ? 'custom_id' : 'user_id'] = u.user_id
  Object.assign(out, {
    city: u.city,
    linkedin_url: u.linkedin_url,
    tags: u.tags.map(t => ({ id: t.id, name: t.name })),
    last_contacted: dt(u.last_contacted),
    phone_number: u.phone_number,
    facebook_url: u.facebook_url,
    notifications: u.notifications === 1,
    region: u.region,
    timezone: u.timezone,
    status: STATUSES[u.status] ?? u.status,
    gravatar_url: u.gravatar_url,
    twitter_url: u.twitter_url,
    google_url: u.google_url,
    os_type: u.os_type,
    email: u.email,
    score: u.score,
    assigned_to: u.assigned_to,
    unsubscribed: u.unsubscribed === 1,
    first_seen: dt(u.first_seen),
    page_views: u.page_views,
    last_ip: u.last_ip,
    chat_id: CHAT_ID,
    browser: u.browser,
    gender: GENDERS[u.gender] ?? u.gender,
    resolution: u.resolution,
    country: u.country,
    name: fullName(u),
    created_at: drfDateTime(u.created_at),
    last_seen: dt(u.last_seen),
    lists: [],
    attributes: u.attributes.map(a => ({ value: new RawJson(a.value), name: a.name, name_std: a.name_std, id: a.id })),
    browser_language: u.browser_language,
    id: u.id
  })
  return out
}
