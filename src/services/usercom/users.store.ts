import type { Statement } from 'better-sqlite3'
import type { Database } from '../../kernel/database.js'
import type { Clock } from '../../kernel/clock.js'
import type { IdGenerator } from '../../kernel/ids.js'
import { errors, MESSAGES } from './errors.js'
import { PyFloat, pyJsonDumps, type PyValue } from './pyjson.js'
import type { FullUser, UserExtras, UserRow } from './render.js'
import type { UserChanges } from './serializer.js'
import { lazily } from '../../kernel/lazy-statements.js'

/**
 * User.com's users in SQLite: statements prepared once, every write one immediate transaction,
 * so a user, its tags, attributes and company link are written whole or not at all.
 */
const COLUMNS = ['id', 'key', 'user_id', 'email', 'first_name', 'last_name', 'city', 'region', 'country', 'timezone',
  'phone_number', 'facebook_url', 'linkedin_url', 'twitter_url', 'google_url', 'gravatar_url', 'gender', 'status', 'score',
  'notifications', 'unsubscribed', 'assigned_to', 'page_views', 'os_type', 'browser', 'browser_language', 'resolution',
  'last_ip', 'first_seen', 'last_seen', 'last_contacted', 'created_at', 'updated_at'] as const

const DEFAULTS: Omit<UserRow, 'id' | 'key' | 'created_at' | 'updated_at'> = {
  user_id: null,
  email: null,
  first_name: null,
  last_name: null,
  city: null,
  region: null,
  country: null,
  timezone: null,
  phone_number: null,
  facebook_url: null,
  linkedin_url: null,
  twitter_url: null,
  google_url: null,
  gravatar_url: null,
  gender: 1,
  status: 1,
  score: 0,
  notifications: 1,
  unsubscribed: 0,
  assigned_to: null,
  page_views: 0,
  os_type: null,
  browser: null,
  browser_language: null,
  resolution: null,
  last_ip: null,
  first_seen: null,
  last_seen: null,
  last_contacted: null
}

type Row = UserRow & { account_id: string }

export interface TagLoad { id: number, name: string }
export interface AttributeLoad { id: number, name: string, name_std: string, value_type: string }
export interface CompanyLoad { id: number, company_id: string | null, name: string | null, created_at: number }
export interface EventLoad { id: number, user_id: number, name: string, timestamp: number, data: string }
export interface UserLoad {
  row: UserRow
  /** Tag ids (a seed's bare names are given ids before the load). */
  tags: Array<{ id?: number, name: string }>
  attributes: Array<{ id: number, value: string }>
  companies: Array<{ id: number, member_since: number }>
}
export interface StateLoad { users: UserLoad[], tags: TagLoad[], attributes: AttributeLoad[], companies: CompanyLoad[], events: EventLoad[] }

/** The e-mail lookups of `GET /users/search/` (Django's field lookups on `email`). */
export const EMAIL_LOOKUPS = ['exact', 'iexact', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith'] as const
export type EmailLookup = typeof EMAIL_LOOKUPS[number]

/** Django's slugify with underscores, as `name_std` looks in the docs (`Example attr` → `example_attr`). */
export function nameStd (name: string): string {
  return name.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[-\s]+/g, '_')
}

function valueType (v: PyValue): string {
  if (typeof v === 'boolean') return 'boolean'
  if (typeof v === 'number' || typeof v === 'bigint') return 'integer'
  if (v instanceof PyFloat) return 'float'
  if (Array.isArray(v)) return 'fixed'
  if (v instanceof Map) return 'json'
  return 'string'
}

const RESET_TABLES = ['usercom_events', 'usercom_user_tags', 'usercom_user_attributes', 'usercom_company_members', 'usercom_users', 'usercom_tags', 'usercom_attributes', 'usercom_companies']

/** Every column but the id, in the order `update` binds them. */
const UPDATED = COLUMNS.filter(c => c !== 'id')

function prepare (db: Database) {
  const cols = COLUMNS.join(', ')
  return {
    byId: lazily(db).prepare('SELECT * FROM usercom_users WHERE account_id = ? AND id = ?'),
    byUserId: lazily(db).prepare('SELECT * FROM usercom_users WHERE account_id = ? AND user_id = ?'),
    byKey: lazily(db).prepare('SELECT * FROM usercom_users WHERE account_id = ? AND key = ? ORDER BY id'),
    byEmail: lazily(db).prepare('SELECT * FROM usercom_users WHERE account_id = ? AND email = ? ORDER BY id'),
    byPhone: lazily(db).prepare('SELECT * FROM usercom_users WHERE account_id = ? AND phone_number = ? ORDER BY id'),
    keyTaken: lazily(db).prepare('SELECT 1 FROM usercom_users WHERE account_id = ? AND key = ?').pluck(),
    // Positional: binding 34 named parameters looks each one up on the row by name.
    insert: lazily(db).prepare<unknown[]>(`INSERT INTO usercom_users (${cols}, account_id) VALUES (${COLUMNS.map(() => '?').join(', ')}, ?)`),
    update: lazily(db).prepare<unknown[]>(`UPDATE usercom_users SET ${UPDATED.map(c => `${c} = ?`).join(', ')} WHERE account_id = ? AND id = ?`),
    touch: lazily(db).prepare('UPDATE usercom_users SET updated_at = ? WHERE account_id = ? AND id = ?'),
    delete: lazily(db).prepare('DELETE FROM usercom_users WHERE account_id = ? AND id = ?'),
    pageAfter: lazily(db).prepare('SELECT * FROM usercom_users WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?'),
    pageBefore: lazily(db).prepare('SELECT * FROM usercom_users WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
    count: lazily(db).prepare('SELECT count(*) FROM usercom_users WHERE account_id = ?').pluck(),
    all: lazily(db).prepare('SELECT * FROM usercom_users WHERE account_id = ? ORDER BY id'),
    tagsOf: lazily(db).prepare(`SELECT t.id, t.name FROM usercom_user_tags ut JOIN usercom_tags t ON t.account_id = ut.account_id AND t.id = ut.tag_id
      WHERE ut.account_id = ? AND ut.user_id = ? ORDER BY ut.position`),
    attrsOf: lazily(db).prepare(`SELECT a.id, a.name, a.name_std, ua.value FROM usercom_user_attributes ua JOIN usercom_attributes a ON a.account_id = ua.account_id AND a.id = ua.attribute_id
      WHERE ua.account_id = ? AND ua.user_id = ? ORDER BY a.id`),
    companiesOf: lazily(db).prepare(`SELECT c.id, c.name, m.member_since FROM usercom_company_members m JOIN usercom_companies c ON c.account_id = m.account_id AND c.id = m.company_id
      WHERE m.account_id = ? AND m.user_id = ? ORDER BY m.member_since, c.id`),
    allTags: lazily(db).prepare(`SELECT ut.user_id, t.id, t.name FROM usercom_user_tags ut JOIN usercom_tags t ON t.account_id = ut.account_id AND t.id = ut.tag_id
      WHERE ut.account_id = ? ORDER BY ut.user_id, ut.position`),
    allAttrs: lazily(db).prepare(`SELECT ua.user_id, a.id, a.name, a.name_std, ua.value FROM usercom_user_attributes ua JOIN usercom_attributes a ON a.account_id = ua.account_id AND a.id = ua.attribute_id
      WHERE ua.account_id = ? ORDER BY ua.user_id, a.id`),
    allMembers: lazily(db).prepare(`SELECT m.user_id, c.id, c.name, m.member_since FROM usercom_company_members m JOIN usercom_companies c ON c.account_id = m.account_id AND c.id = m.company_id
      WHERE m.account_id = ? ORDER BY m.user_id, m.member_since, c.id`),
    allCompanies: lazily(db).prepare('SELECT id, company_id, name, created_at FROM usercom_companies WHERE account_id = ? ORDER BY id'),
    tagByName: lazily(db).prepare('SELECT id FROM usercom_tags WHERE account_id = ? AND name = ?').pluck(),
    insertTag: lazily(db).prepare('INSERT INTO usercom_tags (account_id, id, name) VALUES (?, ?, ?)'),
    nextPosition: lazily(db).prepare('SELECT coalesce(max(position), 0) + 1 FROM usercom_user_tags WHERE account_id = ? AND user_id = ?').pluck(),
    linkTag: lazily(db).prepare('INSERT OR IGNORE INTO usercom_user_tags (account_id, user_id, tag_id, position) VALUES (?, ?, ?, ?)'),
    // Two indexed lookups (name, then name_std) instead of one OR that scans the account's attributes.
    // INDEXED BY: without ANALYZE statistics SQLite prefers the primary key and scans the account.
    attrByName: lazily(db).prepare('SELECT id FROM usercom_attributes INDEXED BY usercom_attributes_name_id WHERE account_id = ? AND name = ? ORDER BY id LIMIT 1').pluck(),
    attrByStd: lazily(db).prepare('SELECT id FROM usercom_attributes INDEXED BY usercom_attributes_name_std WHERE account_id = ? AND name_std = ?').pluck(),
    allTagDefs: lazily(db).prepare('SELECT id, name FROM usercom_tags WHERE account_id = ? ORDER BY id'),
    allAttrDefs: lazily(db).prepare('SELECT id, name, name_std, value_type FROM usercom_attributes WHERE account_id = ? ORDER BY id'),
    insertEvent: lazily(db).prepare('INSERT INTO usercom_events (account_id, id, user_id, name, timestamp, data) VALUES (?, ?, ?, ?, ?, ?)'),
    eventSeen: lazily(db).prepare('SELECT 1 FROM usercom_events WHERE account_id = ? AND user_id = ? AND name = ? LIMIT 1').pluck(),
    allEvents: lazily(db).prepare('SELECT id, user_id, name, timestamp, data FROM usercom_events WHERE account_id = ? ORDER BY id'),
    // The covering index (account_id, email, id): a lookup scans the account's e-mails, not its rows.
    emailIds: lazily(db).prepare('SELECT id, email FROM usercom_users INDEXED BY usercom_users_email_id WHERE account_id = ? AND email IS NOT NULL'),
    emailIdsExact: lazily(db).prepare('SELECT id, email FROM usercom_users INDEXED BY usercom_users_email_id WHERE account_id = ? AND email = ?'),
    emailIdsFrom: lazily(db).prepare('SELECT id, email FROM usercom_users INDEXED BY usercom_users_email_id WHERE account_id = ? AND email >= ? AND email < ?'),
    insertAttr: lazily(db).prepare('INSERT INTO usercom_attributes (account_id, id, name, name_std, value_type) VALUES (?, ?, ?, ?, ?)'),
    setAttr: lazily(db).prepare(`INSERT INTO usercom_user_attributes (account_id, user_id, attribute_id, value) VALUES (?, ?, ?, ?)
      ON CONFLICT (account_id, user_id, attribute_id) DO UPDATE SET value = excluded.value`),
    companyByClientId: lazily(db).prepare('SELECT id FROM usercom_companies WHERE account_id = ? AND company_id = ?').pluck(),
    insertCompany: lazily(db).prepare('INSERT INTO usercom_companies (account_id, id, company_id, name, created_at) VALUES (?, ?, ?, ?, ?)'),
    linkCompany: lazily(db).prepare('INSERT OR IGNORE INTO usercom_company_members (account_id, user_id, company_id, member_since) VALUES (?, ?, ?, ?)')
  }
}

export class UsersStore {
  private readonly db: Database
  private readonly clock: Clock
  private readonly ids: IdGenerator
  private readonly s: ReturnType<typeof prepare>
  private readonly resets: Statement[]
  private readonly upsertTx: (accountId: string, changes: UserChanges, now: number) => { user: FullUser, created: boolean }
  private readonly createTx: (accountId: string, changes: UserChanges, now: number) => FullUser
  private readonly updateTx: (accountId: string, id: number, changes: UserChanges, now: number) => FullUser | undefined
  private readonly attributesTx: (accountId: string, id: number, pairs: Array<[string, PyValue]>, now: number) => FullUser | undefined

  constructor (db: Database, clock: Clock, ids: IdGenerator) {
    this.db = db
    this.clock = clock
    this.ids = ids
    this.s = prepare(db)
    this.resets = RESET_TABLES.map(t => lazily(db).prepare(`DELETE FROM ${t} WHERE account_id = ?`))
    // Ids in use, for the id generator to start past after a stop that did not flush.
    for (const table of ['usercom_users', 'usercom_tags', 'usercom_attributes', 'usercom_companies', 'usercom_events']) {
      const max = lazily(db).prepare<[string], number | null>(`SELECT max(id) FROM ${table} WHERE account_id = ?`).pluck()
      ids.register(table, (accountId) => max.get(accountId) ?? 0)
    }

    const upsert = db.transaction((accountId: string, changes: UserChanges, now: number) => {
      const existing = changes.match == null ? undefined : this.s.byUserId.get(accountId, changes.match) as Row | undefined
      if (existing) return { user: this.write(accountId, existing, changes, now), created: false }
      return { user: this.insertUser(accountId, changes, now), created: true }
    })
    this.upsertTx = (a, c, n) => upsert.immediate(a, c, n)
    const create = db.transaction((accountId: string, changes: UserChanges, now: number) => {
      this.assertUserIdFree(accountId, changes, undefined)
      return this.insertUser(accountId, changes, now)
    })
    this.createTx = (a, c, n) => create.immediate(a, c, n)
    const update = db.transaction((accountId: string, id: number, changes: UserChanges, now: number) => {
      const existing = this.s.byId.get(accountId, id) as Row | undefined
      if (!existing) return undefined
      this.assertUserIdFree(accountId, changes, id)
      return this.write(accountId, existing, changes, now)
    })
    this.updateTx = (a, i, c, n) => update.immediate(a, i, c, n)
    const attrs = db.transaction((accountId: string, id: number, pairs: Array<[string, PyValue]>, now: number) => {
      if (!this.s.byId.get(accountId, id)) return undefined
      this.setAttributes(accountId, id, pairs)
      this.s.touch.run(now, accountId, id)
      return this.full(accountId, this.s.byId.get(accountId, id) as Row)
    })
    this.attributesTx = (a, i, p, n) => attrs.immediate(a, i, p, n)
  }

  private nowMicros (): number {
    return this.clock.now() * 1000
  }

  /** update_or_create: matches on the custom id (or creates when there is none), in one transaction. */
  updateOrCreate (accountId: string, changes: UserChanges): { user: FullUser, created: boolean } {
    return this.upsertTx(accountId, changes, this.nowMicros())
  }

  create (accountId: string, changes: UserChanges): FullUser {
    return this.createTx(accountId, changes, this.nowMicros())
  }

  update (accountId: string, id: number, changes: UserChanges): FullUser | undefined {
    return this.updateTx(accountId, id, changes, this.nowMicros())
  }

  setAttributesOf (accountId: string, id: number, pairs: Array<[string, PyValue]>): FullUser | undefined {
    return this.attributesTx(accountId, id, pairs, this.nowMicros())
  }

  get (accountId: string, id: number): FullUser | undefined {
    const row = this.s.byId.get(accountId, id) as Row | undefined
    return row && this.full(accountId, row)
  }

  getByCustomId (accountId: string, customId: string): FullUser | undefined {
    const row = this.s.byUserId.get(accountId, customId) as Row | undefined
    return row && this.full(accountId, row)
  }

  search (accountId: string, field: 'email' | 'key' | 'phone_number', value: string): FullUser[] {
    const stmt = field === 'email' ? this.s.byEmail : field === 'key' ? this.s.byKey : this.s.byPhone
    return (stmt.all(accountId, value) as Row[]).map(r => this.full(accountId, r))
  }

  /**
   * Users whose e-mail passes every lookup, in id order: Django's lookups on a PostgreSQL
   * CharField (`i…` ones compare upper-cased text, Unicode-aware, as UPPER() does).
   */
  searchEmail (accountId: string, lookups: Array<[EmailLookup, string]>): FullUser[] {
    const tests = lookups.map(([lookup, value]) => emailTest(lookup, value))
    // A case-sensitive exact or prefix lookup narrows on the index; the others scan it.
    const exact = lookups.find(([l]) => l === 'exact')
    const prefix = lookups.find(([l]) => l === 'startswith')
    const rows = (exact
      ? this.s.emailIdsExact.all(accountId, exact[1])
      : prefix
        ? this.s.emailIdsFrom.all(accountId, prefix[1], prefix[1] + '\u{10ffff}')
        : this.s.emailIds.all(accountId)) as Array<{ id: number, email: string }>
    const ids = rows.filter(r => tests.every(t => t(r.email))).map(r => r.id).sort((a, b) => a - b)
    return ids.map(id => this.full(accountId, this.s.byId.get(accountId, id) as Row))
  }

  /** Records an event; `created` is whether it is the first of that name for the user. */
  addEvent (accountId: string, userId: number, name: string, timestamp: number, data: string): { id: number, created: boolean } | undefined {
    return this.db.transaction(() => {
      if (!this.s.byId.get(accountId, userId)) return undefined
      const created = this.s.eventSeen.get(accountId, userId, name) === undefined
      const id = this.ids.nextInt(accountId, 'usercom_events')
      this.s.insertEvent.run(accountId, id, userId, name, timestamp, data)
      return { id, created }
    }).immediate()
  }

  delete (accountId: string, id: number): boolean {
    return this.db.transaction(() => this.s.delete.run(accountId, id).changes > 0).immediate()
  }

  /** One page in id order: after `position` going forward, or before it going back. */
  page (accountId: string, position: number, reverse: boolean, limit: number): FullUser[] {
    const rows = reverse
      ? (this.s.pageBefore.all(accountId, position, limit) as Row[]).reverse()
      : this.s.pageAfter.all(accountId, position, limit) as Row[]
    return rows.map(r => this.full(accountId, r))
  }

  count (accountId: string): number {
    return this.s.count.get(accountId) as number
  }

  reset (accountId: string): void {
    for (const stmt of this.resets) stmt.run(accountId)
  }

  /** Every user with its tags, attributes and companies, and every definition and event: a fixed number of queries. */
  all (accountId: string): { users: FullUser[], tags: TagLoad[], attributes: AttributeLoad[], companies: CompanyLoad[], events: EventLoad[] } {
    const tags = groupBy(this.s.allTags.all(accountId) as Array<{ user_id: number, id: number, name: string }>)
    const attrs = groupBy(this.s.allAttrs.all(accountId) as Array<{ user_id: number, id: number, name: string, name_std: string, value: string }>)
    const members = groupBy(this.s.allMembers.all(accountId) as Array<{ user_id: number, id: number, name: string | null, member_since: number }>)
    const users = (this.s.all.all(accountId) as Row[]).map(r => {
      const { account_id: _, ...row } = r
      return {
        ...row,
        tags: (tags.get(r.id) ?? []).map(({ id, name }) => ({ id, name })),
        attributes: (attrs.get(r.id) ?? []).map(({ id, name, name_std: std, value }) => ({ id, name, name_std: std, value })),
        companies: (members.get(r.id) ?? []).map(({ id, name, member_since: since }) => ({ id, name, member_since: since }))
      }
    })
    return {
      users,
      tags: this.s.allTagDefs.all(accountId) as TagLoad[],
      attributes: this.s.allAttrDefs.all(accountId) as AttributeLoad[],
      companies: this.s.allCompanies.all(accountId) as CompanyLoad[],
      events: this.s.allEvents.all(accountId) as EventLoad[]
    }
  }

  /** Replaces the account's data, ids and timestamps kept, and moves the id sequences past them. Call inside a transaction. */
  load (accountId: string, data: StateLoad): void {
    this.reset(accountId)
    for (const t of data.tags) this.s.insertTag.run(accountId, t.id, t.name)
    for (const a of data.attributes) this.s.insertAttr.run(accountId, a.id, a.name, a.name_std, a.value_type)
    for (const c of data.companies) this.s.insertCompany.run(accountId, c.id, c.company_id, c.name, c.created_at)
    for (const u of data.users) {
      this.s.insert.run([...COLUMNS.map(c => u.row[c]), accountId])
      u.tags.forEach((t, i) => this.s.linkTag.run(accountId, u.row.id, t.id, i + 1))
      for (const a of u.attributes) this.s.setAttr.run(accountId, u.row.id, a.id, a.value)
      for (const c of u.companies) this.s.linkCompany.run(accountId, u.row.id, c.id, c.member_since)
    }
    for (const e of data.events) this.s.insertEvent.run(accountId, e.id, e.user_id, e.name, e.timestamp, e.data)
    const max = (xs: Array<{ id: number }>): number => xs.reduce((m, x) => Math.max(m, x.id), 0)
    this.ids.atLeast(accountId, 'usercom_users', max(data.users.map(u => u.row)))
    this.ids.atLeast(accountId, 'usercom_tags', max(data.tags))
    this.ids.atLeast(accountId, 'usercom_attributes', max(data.attributes))
    this.ids.atLeast(accountId, 'usercom_companies', max(data.companies))
    this.ids.atLeast(accountId, 'usercom_events', max(data.events))
  }

  private full (accountId: string, row: UserRow): FullUser {
    const { account_id: _, ...user } = row as Row
    const extras: UserExtras = {
      tags: this.s.tagsOf.all(accountId, row.id) as UserExtras['tags'],
      attributes: this.s.attrsOf.all(accountId, row.id) as UserExtras['attributes'],
      companies: this.s.companiesOf.all(accountId, row.id) as UserExtras['companies']
    }
    return { ...user, ...extras }
  }

  private assertUserIdFree (accountId: string, changes: UserChanges, selfId: number | undefined): void {
    const wanted = changes.columns.user_id
    if (wanted === undefined || wanted === null) return
    const holder = this.s.byUserId.get(accountId, wanted) as Row | undefined
    if (holder && holder.id !== selfId) throw errors.validation({ [changes.matchField]: [MESSAGES.unique(changes.matchField)] })
  }

  private insertUser (accountId: string, changes: UserChanges, now: number): FullUser {
    const id = this.ids.nextInt(accountId, 'usercom_users')
    let key = this.ids.token(12)
    while (this.s.keyTaken.get(accountId, key)) key = this.ids.token(12)
    const row = { ...DEFAULTS, ...changes.columns, id, key, created_at: now, updated_at: now } as UserRow
    const values: unknown[] = COLUMNS.map(c => row[c])
    values.push(accountId)
    this.s.insert.run(values)
    // A user inserted a moment ago owns no tag, attribute or company row: nothing to read back.
    if (changes.tags === undefined && changes.company == null && changes.attributes.length === 0) return { ...row, tags: [], attributes: [], companies: [] }
    return this.extras(accountId, row, changes, now)
  }

  private write (accountId: string, existing: Row, changes: UserChanges, now: number): FullUser {
    const row = { ...existing, ...changes.columns, updated_at: now } as Row
    const values: unknown[] = UPDATED.map(c => row[c])
    values.push(accountId, row.id)
    this.s.update.run(values)
    return this.extras(accountId, row, changes, now)
  }

  private extras (accountId: string, row: UserRow, changes: UserChanges, now: number): FullUser {
    if (changes.tags) {
      let position = this.s.nextPosition.get(accountId, row.id) as number
      for (const name of changes.tags) {
        let tagId = this.s.tagByName.get(accountId, name) as number | undefined
        if (tagId === undefined) {
          tagId = this.ids.nextInt(accountId, 'usercom_tags')
          this.s.insertTag.run(accountId, tagId, name)
        }
        if (this.s.linkTag.run(accountId, row.id, tagId, position).changes > 0) position++
      }
    }
    if (changes.company != null) {
      let companyId = this.s.companyByClientId.get(accountId, changes.company) as number | undefined
      if (companyId === undefined) {
        // U5: an unknown company becomes a stub (no name) that the user joins.
        companyId = this.ids.nextInt(accountId, 'usercom_companies')
        this.s.insertCompany.run(accountId, companyId, changes.company, null, now)
      }
      this.s.linkCompany.run(accountId, row.id, companyId, now)
    }
    this.setAttributes(accountId, row.id, changes.attributes)
    return this.full(accountId, row)
  }

  private setAttributes (accountId: string, userId: number, pairs: Array<[string, PyValue]>): void {
    for (const [name, value] of pairs) {
      const std = nameStd(name) || name
      let attrId = (this.s.attrByName.get(accountId, name) ?? this.s.attrByStd.get(accountId, std)) as number | undefined
      if (attrId === undefined) {
        // U3: an unknown attribute is created on first use (the EN docs' reading).
        attrId = this.ids.nextInt(accountId, 'usercom_attributes')
        this.s.insertAttr.run(accountId, attrId, name, std, valueType(value))
      }
      this.s.setAttr.run(accountId, userId, attrId, pyJsonDumps(value))
    }
  }
}

function emailTest (lookup: EmailLookup, value: string): (email: string) => boolean {
  const folded = lookup.startsWith('i')
  const v = folded ? value.toUpperCase() : value
  const prep = (e: string): string => folded ? e.toUpperCase() : e
  switch (lookup) {
    case 'exact': case 'iexact': return e => prep(e) === v
    case 'contains': case 'icontains': return e => prep(e).includes(v)
    case 'startswith': case 'istartswith': return e => prep(e).startsWith(v)
    case 'endswith': case 'iendswith': return e => prep(e).endsWith(v)
  }
}

function groupBy<T extends { user_id: number }> (rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const r of rows) {
    const list = out.get(r.user_id)
    if (list) list.push(r)
    else out.set(r.user_id, [r])
  }
  return out
}
