import { pyJsonDumps, RawJson } from './pyjson.js'
import { drfDateTime, GENDERS, parseDrfDateTime, renderUser, STATUSES, type UserRow } from './render.js'
import type { AttributeLoad, CompanyLoad, EventLoad, StateLoad, TagLoad, UserLoad, UsersStore } from './users.store.js'

/**
 * The User.com state document: `GET /__mock/accounts/{id}/state`'s `usercom` part and `--seed`.
 *
 * Each user is what `GET /users/{id}/` renders (v1 names) plus `first_name` and `last_name`, the
 * two stored parts that `name` joins: "Mary Ann" + "Smith" and "Mary" + "Ann Smith" render the
 * same `name`, so a dump without them cannot reload the account it came from. Beside the users:
 * every tag, attribute definition (with its `value_type`) and company, used or not, and every
 * event, so that later writes give the same ids and answers on the original and the reloaded
 * account. dump → load → dump is the identity (test/services/usercom/round-trip.test.ts).
 *
 * A seed needs much less: each user needs only a name (`name`, `first_name` or `last_name`) or an
 * `email` (what a Zendesk seed needs); a missing `id` continues after the highest given one, a
 * missing `key` is generated, missing timestamps are the clock's now.
 */

export class LoadError extends Error {
  override name = 'LoadError'
}

/** Attribute values are stored as JSON text; a dump carries them as plain values. */
function plain (v: unknown): unknown {
  if (v instanceof RawJson) return JSON.parse(v.text)
  if (Array.isArray(v)) return v.map(plain)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}

export function dumpState (store: UsersStore, accountId: string): Record<string, unknown> {
  const { users, tags, attributes, companies, events } = store.all(accountId)
  return {
    users: users.map(u => ({ ...plain(renderUser(u, 1)) as Record<string, unknown>, first_name: u.first_name, last_name: u.last_name })),
    tags,
    attributes,
    companies: companies.map(c => ({ id: c.id, company_id: c.company_id, name: c.name, created_at: drfDateTime(c.created_at) })),
    events: events.map(e => ({ id: e.id, client: e.user_id, name: e.name, timestamp: drfDateTime(e.timestamp), data: JSON.parse(e.data) as unknown }))
  }
}

const invert = (m: Record<number, string>): Map<string, number> => new Map(Object.entries(m).map(([k, v]) => [v, Number(k)]))
const GENDER_IDS = invert(GENDERS)
const STATUS_IDS = invert(STATUSES)

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const list = (data: Obj, key: string): Obj[] => {
  const v = data[key]
  if (v === undefined) return []
  if (!Array.isArray(v) || !v.every(isObj)) throw new LoadError(`usercom: \`${key}\` must be an array of objects`)
  return v
}
const positiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1

export interface LoadContext {
  /** The clock's now, in microseconds: the timestamps a seed leaves out. */
  now: number
  /** A fresh 12-character key (the id generator's tokens). */
  token: () => string
}

export function parseState (data: Obj, ctx: LoadContext): StateLoad {
  if (!Array.isArray(data.users)) throw new LoadError('usercom: `users` must be an array of user objects')
  const tags = new Map<number, TagLoad>()
  const attributes = new Map<number, AttributeLoad>()
  const companies = new Map<number, CompanyLoad>()
  const time = (v: unknown, where: string, fallback: number | null): number | null => {
    if (v === null || v === undefined) return fallback
    const t = typeof v === 'string' ? parseDrfDateTime(v) : undefined
    if (t === undefined) throw new LoadError(`${where} is not a DRF datetime`)
    return t
  }

  for (const [i, t] of list(data, 'tags').entries()) {
    if (!positiveInt(t.id) || typeof t.name !== 'string') throw new LoadError(`usercom: tags[${i}] needs an integer id and a name`)
    tags.set(t.id, { id: t.id, name: t.name })
  }
  for (const [i, a] of list(data, 'attributes').entries()) {
    if (!positiveInt(a.id) || typeof a.name !== 'string') throw new LoadError(`usercom: attributes[${i}] needs an integer id and a name`)
    attributes.set(a.id, { id: a.id, name: a.name, name_std: typeof a.name_std === 'string' ? a.name_std : a.name, value_type: typeof a.value_type === 'string' ? a.value_type : 'string' })
  }
  for (const [i, c] of list(data, 'companies').entries()) {
    if (!positiveInt(c.id)) throw new LoadError(`usercom: companies[${i}] needs an integer id`)
    companies.set(c.id, { id: c.id, company_id: typeof c.company_id === 'string' ? c.company_id : null, name: typeof c.name === 'string' ? c.name : null, created_at: time(c.created_at, `usercom: companies[${i}].created_at`, ctx.now)! })
  }

  const raw = data.users as unknown[]
  const givenIds = new Set<number>()
  const givenKeys = new Set<string>()
  raw.forEach((u, i) => {
    if (!isObj(u)) throw new LoadError(`usercom: users[${i}] is not an object`)
    if (u.id !== undefined && u.id !== null) {
      if (!positiveInt(u.id)) throw new LoadError(`usercom: users[${i}].id must be a positive integer`)
      if (givenIds.has(u.id)) throw new LoadError(`usercom: users[${i}].id ${String(u.id)} appears twice`)
      givenIds.add(u.id)
    }
    const key = u.key ?? u.user_key
    if (typeof key === 'string' && key !== '') givenKeys.add(key)
  })
  let nextId = Math.max(0, ...givenIds)
  const freshKey = (): string => {
    let key = ctx.token()
    while (givenKeys.has(key)) key = ctx.token()
    givenKeys.add(key)
    return key
  }

  const users = (raw as Obj[]).map((u, i): UserLoad => {
    const where = `usercom: users[${i}]`
    const text = (name: string): string | null => (typeof u[name] === 'string' ? u[name] : null) as string | null
    let key: unknown = u.key ?? u.user_key
    if (key === undefined || key === null) key = freshKey()
    if (typeof key !== 'string' || key === '') throw new LoadError(`${where}.key must be a non-empty string`)
    // first_name/last_name when given (a dump has them); else `name` split at its first space.
    const name = text('name')
    const hasParts = 'first_name' in u || 'last_name' in u
    const space = name === null ? -1 : name.indexOf(' ')
    const first = hasParts ? text('first_name') : name === null ? null : space < 0 ? name : name.slice(0, space)
    const last = hasParts ? text('last_name') : name === null || space < 0 ? null : name.slice(space + 1)
    const email = text('email')
    const customId = u.user_id ?? u.custom_id ?? null
    if (customId !== null && typeof customId !== 'string') throw new LoadError(`${where}.user_id must be a string`)
    const created = time(u.created_at, `${where}.created_at`, ctx.now)!
    if (first === null && last === null && email === null && customId === null && !positiveInt(u.id)) {
      throw new LoadError(`${where} needs a name (name, first_name or last_name), an email, a user_id or an id`)
    }
    const row: UserRow = {
      id: positiveInt(u.id) ? u.id : ++nextId,
      key: key as string,
      user_id: customId,
      email,
      first_name: first,
      last_name: last,
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
      first_seen: time(u.first_seen, `${where}.first_seen`, null),
      last_seen: time(u.last_seen, `${where}.last_seen`, null),
      last_contacted: time(u.last_contacted, `${where}.last_contacted`, null),
      created_at: created,
      updated_at: time(u.updated_at, `${where}.updated_at`, created)!
    }
    const userTags = (Array.isArray(u.tags) ? u.tags as unknown[] : []).map(t => {
      // A seed may list tag names; a dump lists {id, name}.
      if (typeof t === 'string') return { name: t }
      if (!isObj(t) || !positiveInt(t.id) || typeof t.name !== 'string') throw new LoadError(`${where}.tags: each is a name or has an integer id and a name`)
      if (!tags.has(t.id)) tags.set(t.id, { id: t.id, name: t.name })
      return { id: t.id, name: t.name }
    })
    const userAttrs = (Array.isArray(u.attributes) ? u.attributes as unknown[] : []).map(a => {
      if (!isObj(a) || !positiveInt(a.id) || typeof a.name !== 'string') throw new LoadError(`${where}.attributes: each needs an integer id and a name`)
      if (!attributes.has(a.id)) {
        attributes.set(a.id, { id: a.id, name: a.name, name_std: typeof a.name_std === 'string' ? a.name_std : a.name, value_type: typeof a.value_type === 'string' ? a.value_type : 'string' })
      }
      return { id: a.id, value: pyJsonDumps(a.value ?? null) }
    })
    const userCompanies = (Array.isArray(u.companies) ? u.companies as unknown[] : []).map(c => {
      if (!isObj(c) || !positiveInt(c.id)) throw new LoadError(`${where}.companies: each needs an integer id`)
      const since = time(c.member_since, `${where}.companies[].member_since`, created)!
      if (!companies.has(c.id)) companies.set(c.id, { id: c.id, company_id: null, name: typeof c.name === 'string' ? c.name : null, created_at: since })
      return { id: c.id, member_since: since }
    })
    return { row, tags: userTags, attributes: userAttrs, companies: userCompanies }
  })

  const customIds = new Set<string>()
  const userIds = new Set<number>()
  for (const u of users) {
    userIds.add(u.row.id)
    if (u.row.user_id === null) continue
    if (customIds.has(u.row.user_id)) throw new LoadError(`usercom: user_id ${JSON.stringify(u.row.user_id)} appears twice`)
    customIds.add(u.row.user_id)
  }

  // Tags a seed names without ids get the next ids, or the id of a tag with that name.
  const tagIds = new Map([...tags.values()].map(t => [t.name, t.id]))
  let nextTag = Math.max(0, ...tags.keys())
  for (const u of users) {
    for (const t of u.tags) {
      if (t.id !== undefined) continue
      let id = tagIds.get(t.name)
      if (id === undefined) {
        id = ++nextTag
        tagIds.set(t.name, id)
        tags.set(id, { id, name: t.name })
      }
      t.id = id
    }
  }

  const seenEvents = new Set<number>()
  const events = list(data, 'events').map((e, i): EventLoad => {
    const where = `usercom: events[${i}]`
    if (!positiveInt(e.id) || seenEvents.has(e.id)) throw new LoadError(`${where}.id must be a positive integer, once`)
    seenEvents.add(e.id)
    if (!positiveInt(e.client) || !userIds.has(e.client)) throw new LoadError(`${where}.client must be the id of a loaded user`)
    if (typeof e.name !== 'string' || e.name === '') throw new LoadError(`${where}.name must be a non-empty string`)
    return { id: e.id, user_id: e.client, name: e.name, timestamp: time(e.timestamp, `${where}.timestamp`, ctx.now)!, data: pyJsonDumps(e.data ?? {}) }
  })

  return { users, tags: [...tags.values()], attributes: [...attributes.values()], companies: [...companies.values()], events }
}
