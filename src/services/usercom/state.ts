import type { Kernel } from '../../kernel/kernel.js'
import type { ServiceState } from '../../kernel/service.js'
import { pyJsonDumps, RawJson } from './pyjson.js'
import { drfDateTime, GENDERS, parseDrfDateTime, renderUser, STATUSES, type UserRow } from './render.js'
import { UsersStore, type AttributeLoad, type CompanyLoad, type TagLoad, type UserLoad } from './users.store.js'

/** Attribute values are stored as JSON text; a dump carries them as plain values. */
function plain (v: unknown): unknown {
  if (v instanceof RawJson) return JSON.parse(v.text)
  if (Array.isArray(v)) return v.map(plain)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}

export class LoadError extends Error {
  override name = 'LoadError'
}

const invert = (m: Record<number, string>): Map<string, number> => new Map(Object.entries(m).map(([k, v]) => [v, Number(k)]))
const GENDER_IDS = invert(GENDERS)
const STATUS_IDS = invert(STATUSES)

type Obj = Record<string, unknown>

function parseUsers (data: Record<string, unknown>): { users: UserLoad[], tags: TagLoad[], attributes: AttributeLoad[], companies: CompanyLoad[] } {
  if (!Array.isArray(data.users)) throw new LoadError('usercom: `users` must be an array of user objects')
  const tags = new Map<number, TagLoad>()
  const attributes = new Map<number, AttributeLoad>()
  const companies = new Map<number, CompanyLoad>()
  for (const c of Array.isArray(data.companies) ? data.companies as Obj[] : []) {
    const created = typeof c.created_at === 'string' ? parseDrfDateTime(c.created_at) : undefined
    if (!Number.isInteger(c.id) || created === undefined) throw new LoadError('usercom: each company needs an integer `id` and a `created_at`')
    companies.set(c.id as number, { id: c.id as number, company_id: (c.company_id ?? null) as string | null, name: (c.name ?? null) as string | null, created_at: created })
  }
  const seenIds = new Set<number>()
  const users = (data.users as Obj[]).map((u, i): UserLoad => {
    const where = `usercom: users[${i}]`
    if (u === null || typeof u !== 'object') throw new LoadError(`${where} is not an object`)
    if (!Number.isInteger(u.id) || (u.id as number) < 1) throw new LoadError(`${where}.id must be a positive integer`)
    if (seenIds.has(u.id as number)) throw new LoadError(`${where}.id ${String(u.id)} appears twice`)
    seenIds.add(u.id as number)
    const key = u.key ?? u.user_key
    if (typeof key !== 'string' || key === '') throw new LoadError(`${where}.key must be a string`)
    const time = (name: string, required: boolean): number | null => {
      const v = u[name]
      if (v === null || v === undefined) {
        if (required) throw new LoadError(`${where}.${name} is required`)
        return null
      }
      const t = typeof v === 'string' ? parseDrfDateTime(v) : undefined
      if (t === undefined) throw new LoadError(`${where}.${name} is not a DRF datetime`)
      return t
    }
    const text = (name: string): string | null => (typeof u[name] === 'string' ? u[name] : null) as string | null
    const name = typeof u.name === 'string' ? u.name : null
    const space = name === null ? -1 : name.indexOf(' ')
    const row: UserRow = {
      id: u.id as number,
      key,
      user_id: (u.user_id ?? u.custom_id ?? null) as string | null,
      email: text('email'),
      first_name: name === null ? null : space < 0 ? name : name.slice(0, space),
      last_name: name === null || space < 0 ? null : name.slice(space + 1),
      city: text('city'),
      region: text('region'),
      country: text('country'),
      timezone: text('timezone'),
      phone_number: text('phone_number'),
      facebook_url: text('facebook_url'),
      linkedin_url: text('linkedin_url'),
      twitter_url: text('twitter_url'),
      google_url: text('google_url'),
      gravatar_url: text('gravatar_url'),
      gender: GENDER_IDS.get(u.gender as string) ?? (Number.isInteger(u.gender) ? u.gender as number : 1),
      status: STATUS_IDS.get(u.status as string) ?? (Number.isInteger(u.status) ? u.status as number : 1),
      score: Number.isInteger(u.score) ? u.score as number : 0,
      notifications: u.notifications === false ? 0 : 1,
      unsubscribed: u.unsubscribed === true ? 1 : 0,
      assigned_to: Number.isInteger(u.assigned_to) ? u.assigned_to as number : null,
      page_views: Number.isInteger(u.page_views) ? u.page_views as number : 0,
      os_type: text('os_type'),
      browser: text('browser'),
      browser_language: text('browser_language'),
      resolution: text('resolution'),
      last_ip: text('last_ip'),
      first_seen: time('first_seen', false),
      last_seen: time('last_seen', false),
      last_contacted: time('last_contacted', false),
      created_at: time('created_at', true)!,
      updated_at: time('updated_at', true)!
    }
    const userTags = (Array.isArray(u.tags) ? u.tags as Obj[] : []).map(t => {
      if (!Number.isInteger(t.id) || typeof t.name !== 'string') throw new LoadError(`${where}.tags: each needs an integer id and a name`)
      tags.set(t.id as number, { id: t.id as number, name: t.name })
      return t.id as number
    })
    const userAttrs = (Array.isArray(u.attributes) ? u.attributes as Obj[] : []).map(a => {
      if (!Number.isInteger(a.id) || typeof a.name !== 'string') throw new LoadError(`${where}.attributes: each needs an integer id and a name`)
      if (!attributes.has(a.id as number)) {
        attributes.set(a.id as number, { id: a.id as number, name: a.name, name_std: typeof a.name_std === 'string' ? a.name_std : a.name, value_type: typeof a.value_type === 'string' ? a.value_type : 'string' })
      }
      return { id: a.id as number, value: pyJsonDumps(a.value ?? null) }
    })
    const userCompanies = (Array.isArray(u.companies) ? u.companies as Obj[] : []).map(c => {
      const since = typeof c.member_since === 'string' ? parseDrfDateTime(c.member_since) : undefined
      if (!Number.isInteger(c.id) || since === undefined) throw new LoadError(`${where}.companies: each needs an integer id and member_since`)
      if (!companies.has(c.id as number)) companies.set(c.id as number, { id: c.id as number, company_id: null, name: (c.name ?? null) as string | null, created_at: since })
      return { id: c.id as number, member_since: since }
    })
    return { row, tags: userTags, attributes: userAttrs, companies: userCompanies }
  })
  const customIds = new Set<string>()
  for (const u of users) {
    if (u.row.user_id === null) continue
    if (customIds.has(u.row.user_id)) throw new LoadError(`usercom: user_id ${JSON.stringify(u.row.user_id)} appears twice`)
    customIds.add(u.row.user_id)
  }
  return { users, tags: [...tags.values()], attributes: [...attributes.values()], companies: [...companies.values()] }
}

/** The control plane's handle on User.com data: reset, dump (GET's rendering, v1), load, count. */
export function usercomState (kernel: Kernel, store: UsersStore): ServiceState {
  return {
    reset: accountId => { kernel.db.transaction(() => store.reset(accountId))() },
    dump: (accountId) => {
      const { users, companies } = store.all(accountId)
      return {
        users: users.map(u => plain(renderUser(u, 1))),
        companies: companies.map(c => ({ id: c.id, company_id: c.company_id, name: c.name, created_at: drfDateTime(c.created_at) }))
      }
    },
    load: (accountId, data) => {
      const parsed = parseUsers(data)
      kernel.db.transaction(() => store.load(accountId, parsed))()
      return { users: parsed.users.length, tags: parsed.tags.length, attributes: parsed.attributes.length, companies: parsed.companies.length }
    },
    count: accountId => ({ users: store.count(accountId) })
  }
}
