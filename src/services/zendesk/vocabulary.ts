/**
 * Zendesk's vocabulary and formats: ids, timestamps, case folding, Rails time zones, locales,
 * roles and their defaults, identity types. No SQL here: the store (users.store.ts) and the
 * rules (users.rules.ts) read these, as moto keeps its models apart from the backend.
 */

/** Zendesk ids are 12 to 14 digits; ids made in one batch were 128 apart in the recordings. */
export const ID_BASE = 360_000_000_000
export const ID_STEP = 128

/** The id of a sequence's n-th value. */
export const idAt = (n: number): number => ID_BASE + n * ID_STEP

/** The sequence value an id stands at (0 below the base), for sequences to start past ids in use. */
export const sequenceAt = (id: number): number => id <= ID_BASE ? 0 : Math.ceil((id - ID_BASE) / ID_STEP)

/** Case folding for every case-insensitive key (external ids, emails, organization names). */
export const fold = (s: string): string => s.toLowerCase()

/** `2021-11-15T23:20:11Z`: UTC, seconds, no milliseconds. */
let lastSecond = NaN
let lastStamp = ''
/** Every request of a second stamps the same text: it is formatted once per second, not per call. */
export const isoSeconds = (ms: number): string => {
  const second = Math.floor(ms / 1000)
  if (second === lastSecond) return lastStamp
  const stamp = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
  lastSecond = second
  lastStamp = stamp
  return stamp
}

/** The account's default time zone: the 2023 recordings'. */
export const DEFAULT_TIME_ZONE = 'America/New_York'

// Rails' zone names that clients send most; an IANA name is also taken as is.
const RAILS_ZONES: Record<string, string> = {
  'Eastern Time (US & Canada)': 'America/New_York',
  'Central Time (US & Canada)': 'America/Chicago',
  'Mountain Time (US & Canada)': 'America/Denver',
  'Pacific Time (US & Canada)': 'America/Los_Angeles',
  Arizona: 'America/Phoenix',
  Alaska: 'America/Juneau',
  Hawaii: 'Pacific/Honolulu',
  UTC: 'Etc/UTC',
  London: 'Europe/London',
  Dublin: 'Europe/Dublin',
  Lisbon: 'Europe/Lisbon',
  Amsterdam: 'Europe/Amsterdam',
  Berlin: 'Europe/Berlin',
  Brussels: 'Europe/Brussels',
  Copenhagen: 'Europe/Copenhagen',
  Madrid: 'Europe/Madrid',
  Paris: 'Europe/Paris',
  Rome: 'Europe/Rome',
  Stockholm: 'Europe/Stockholm',
  Vienna: 'Europe/Vienna',
  Warsaw: 'Europe/Warsaw',
  Zurich: 'Europe/Zurich',
  Athens: 'Europe/Athens',
  Helsinki: 'Europe/Helsinki',
  Moscow: 'Europe/Moscow',
  Tokyo: 'Asia/Tokyo',
  Singapore: 'Asia/Singapore',
  'Hong Kong': 'Asia/Hong_Kong',
  Sydney: 'Australia/Sydney',
  Auckland: 'Pacific/Auckland',
  Brasilia: 'America/Sao_Paulo'
}
const IANA_ZONES = new Set<string>(Intl.supportedValuesOf('timeZone'))

/** The IANA zone of a Rails zone name or of an IANA name; undefined for a name neither knows. */
export const ianaZone = (name: string): string | undefined =>
  RAILS_ZONES[name] ?? (IANA_ZONES.has(name) ? name : undefined)

/** The account's default locale. */
export const DEFAULT_LOCALE: readonly [number, string] = [1, 'en-US']

/** Zendesk's locale ids for the locales whose id is on record; others are ignored. */
const LOCALES: Array<[number, string]> = [[1, 'en-US'], [2, 'es'], [8, 'de'], [16, 'fr']]
const LOCALE_BY_ID = new Map(LOCALES)
const LOCALE_BY_NAME = new Map(LOCALES.map(([id, name]) => [fold(name), [id, name] as const]))

/**
 * The `[locale_id, locale]` a request names: `locale` wins over `locale_id` when both are sent
 * (documented); undefined when neither names a known locale (unknown ones are ignored).
 */
export function localeOf (locale: string | null | undefined, localeId: number | null | undefined): readonly [number, string] | undefined {
  const byName = locale ? LOCALE_BY_NAME.get(fold(locale)) : undefined
  if (byName) return byName
  if (localeId === undefined || localeId === null) return undefined
  const byId = LOCALE_BY_ID.get(localeId)
  return byId === undefined ? undefined : [localeId, byId]
}

export type Role = 'end-user' | 'agent' | 'admin'
const ROLES = new Set<string>(['end-user', 'agent', 'admin'])
export const isRole = (s: string | null | undefined): s is Role => typeof s === 'string' && ROLES.has(s)

/** Ticket restrictions an end user may have, and those an agent may have. */
export const END_USER_RESTRICTIONS = new Set(['requested', 'organization'])
export const AGENT_RESTRICTIONS = new Set(['requested', 'organization', 'groups', 'assigned'])

/** Identity types Zendesk knows; others sent in `identities` are ignored. */
export const IDENTITY_TYPES = new Set(['email', 'twitter', 'facebook', 'google', 'phone_number', 'agent_forwarding', 'sdk', 'messaging'])
