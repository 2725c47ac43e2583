import type { Statement, Transaction } from 'better-sqlite3'
import type { Database } from '../../kernel/database.js'
import type { IdGenerator } from '../../kernel/ids.js'
import { RecordInvalid, RecordNotFound, type ValidationProblem } from './errors.js'
import type { IdentityInput, Scalar, UserInput } from './users.input.js'

/**
 * Zendesk users, their identities and organizations in SQLite. Every write is one immediate
 * transaction: the lookup and the insert of create_or_update cannot interleave with another
 * request's, and a 422 found halfway rolls back everything the request did.
 */

/** Zendesk ids are 12 to 14 digits; ids made in one batch were 128 apart in the recordings. */
export const ID_BASE = 360_000_000_000
export const ID_STEP = 128

export interface UserRow {
  account_id: string
  id: number
  name: string
  email: string | null
  external_id: string | null
  external_id_key: string | null
  created_at: string
  updated_at: string
  time_zone: string
  iana_time_zone: string
  phone: string | null
  shared_phone_number: number | null
  locale_id: number
  locale: string
  organization_id: number | null
  role: string
  verified: number
  tags: string
  alias: string | null
  active: number
  signature: string | null
  details: string | null
  notes: string | null
  role_type: number | null
  custom_role_id: number | null
  moderator: number
  ticket_restriction: string | null
  only_private_comments: number
  restricted_agent: number
  suspended: number
  default_group_id: number | null
  user_fields: string
}

export interface IdentityRow {
  account_id: string
  id: number
  user_id: number
  type: string
  value: string
  value_key: string
  verified: number
  is_primary: number
  created_at: string
  updated_at: string
}

export interface OrganizationRow {
  account_id: string
  id: number
  name: string
  name_key: string
  created_at: string
  updated_at: string
}

export interface UpsertResult { user: UserRow, created: boolean }

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

// Local part and domain without spaces or the characters Zendesk's validator refuses, and a dot
// in the domain: "<string>" from the Postman collection and "badmail" both fail it.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/
export const isEmail = (s: string): boolean => EMAIL.test(s)

/** Identity types Zendesk knows; others sent in `identities` are ignored. */
const IDENTITY_TYPES = new Set(['email', 'twitter', 'facebook', 'google', 'phone_number', 'agent_forwarding', 'sdk', 'messaging'])

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

/** Zendesk's locale ids for the locales whose id is on record; others are ignored. */
const LOCALES: Array<[number, string]> = [[1, 'en-US'], [2, 'es'], [8, 'de'], [16, 'fr']]
const LOCALE_BY_ID = new Map(LOCALES)
const LOCALE_BY_NAME = new Map(LOCALES.map(([id, name]) => [fold(name), [id, name] as const]))

const END_USER_RESTRICTIONS = new Set(['requested', 'organization'])
const AGENT_RESTRICTIONS = new Set(['requested', 'organization', 'groups', 'assigned'])
const ROLES = new Set(['end-user', 'agent', 'admin'])

const nonEmpty = (s: string | null | undefined): string | null => {
  if (s === undefined || s === null) return null
  const t = s.trim()
  return t === '' ? null : t
}

const dup = (label: string, value: string): ValidationProblem => ({ description: `${label}: ${value} is already being used by another user`, error: 'DuplicateValue' })

export class UsersStore {
  private readonly db: Database
  private readonly ids: IdGenerator
  private readonly s: Record<string, Statement>
  private readonly upsertTx: Transaction<(accountId: string, input: UserInput, now: number) => UpsertResult>
  private readonly updateTx: Transaction<(accountId: string, id: number, input: UserInput, now: number) => UserRow>
  private readonly deleteTx: Transaction<(accountId: string, id: number, now: number) => UserRow>

  constructor (db: Database, ids: IdGenerator) {
    this.db = db
    this.ids = ids
    const cols = 'account_id, id, name, email, external_id, external_id_key, created_at, updated_at, time_zone, iana_time_zone, phone, shared_phone_number, locale_id, locale, organization_id, role, verified, tags, alias, active, signature, details, notes, role_type, custom_role_id, moderator, ticket_restriction, only_private_comments, restricted_agent, suspended, default_group_id, user_fields'
    const params = cols.split(', ').map(c => '@' + c).join(', ')
    const sets = cols.split(', ').filter(c => c !== 'account_id' && c !== 'id').map(c => `${c} = @${c}`).join(', ')
    this.s = {
      byId: db.prepare('SELECT * FROM zendesk_users WHERE account_id = ? AND id = ?'),
      byExternalKey: db.prepare('SELECT * FROM zendesk_users WHERE account_id = ? AND external_id_key = ?'),
      byIdentity: db.prepare(`SELECT u.* FROM zendesk_identities i JOIN zendesk_users u ON u.account_id = i.account_id AND u.id = i.user_id
        WHERE i.account_id = ? AND i.type = ? AND i.value_key = ?`),
      identityOwner: db.prepare('SELECT user_id FROM zendesk_identities WHERE account_id = ? AND type = ? AND value_key = ?').pluck(),
      identityOf: db.prepare('SELECT * FROM zendesk_identities WHERE account_id = ? AND type = ? AND value_key = ?'),
      insertUser: db.prepare(`INSERT INTO zendesk_users (${cols}) VALUES (${params})`),
      updateUser: db.prepare(`UPDATE zendesk_users SET ${sets} WHERE account_id = @account_id AND id = @id`),
      insertIdentity: db.prepare(`INSERT INTO zendesk_identities (account_id, id, user_id, type, value, value_key, verified, is_primary, created_at, updated_at)
        VALUES (@account_id, @id, @user_id, @type, @value, @value_key, @verified, @is_primary, @created_at, @updated_at)`),
      // The hot path binds by position: better-sqlite3 looks every named parameter up by name.
      insertUserAt: db.prepare(`INSERT INTO zendesk_users (${cols}) VALUES (${cols.split(', ').map(() => '?').join(', ')})`),
      insertIdentityAt: db.prepare(`INSERT INTO zendesk_identities (account_id, id, user_id, type, value, value_key, verified, is_primary, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      setIdentityVerified: db.prepare('UPDATE zendesk_identities SET verified = ?, updated_at = ? WHERE account_id = ? AND id = ?'),
      setPrimaryVerified: db.prepare("UPDATE zendesk_identities SET verified = ?, updated_at = ? WHERE account_id = ? AND user_id = ? AND type = 'email' AND is_primary = 1"),
      deleteIdentities: db.prepare('DELETE FROM zendesk_identities WHERE account_id = ? AND user_id = ?'),
      orgById: db.prepare('SELECT * FROM zendesk_organizations WHERE account_id = ? AND id = ?'),
      orgByName: db.prepare('SELECT * FROM zendesk_organizations WHERE account_id = ? AND name_key = ?'),
      insertOrg: db.prepare('INSERT INTO zendesk_organizations (account_id, id, name, name_key, created_at, updated_at) VALUES (@account_id, @id, @name, @name_key, @created_at, @updated_at)'),
      searchText: db.prepare(`SELECT * FROM zendesk_users WHERE account_id = @account AND active = 1 AND (name LIKE @like ESCAPE '\\'
        OR email LIKE @like ESCAPE '\\' OR notes LIKE @like ESCAPE '\\' OR phone LIKE @like ESCAPE '\\' OR external_id LIKE @like ESCAPE '\\')
        ORDER BY id LIMIT @limit OFFSET @offset`),
      countText: db.prepare(`SELECT count(*) FROM zendesk_users WHERE account_id = @account AND active = 1 AND (name LIKE @like ESCAPE '\\'
        OR email LIKE @like ESCAPE '\\' OR notes LIKE @like ESCAPE '\\' OR phone LIKE @like ESCAPE '\\' OR external_id LIKE @like ESCAPE '\\')`).pluck(),
      allUsers: db.prepare('SELECT * FROM zendesk_users WHERE account_id = ? ORDER BY id'),
      allIdentities: db.prepare('SELECT * FROM zendesk_identities WHERE account_id = ? ORDER BY user_id, id'),
      allOrgs: db.prepare('SELECT * FROM zendesk_organizations WHERE account_id = ? ORDER BY id'),
      countUsers: db.prepare('SELECT count(*) FROM zendesk_users WHERE account_id = ?').pluck(),
      countOrgs: db.prepare('SELECT count(*) FROM zendesk_organizations WHERE account_id = ?').pluck(),
      deleteAllIdentities: db.prepare('DELETE FROM zendesk_identities WHERE account_id = ?'),
      deleteAllUsers: db.prepare('DELETE FROM zendesk_users WHERE account_id = ?'),
      deleteAllOrgs: db.prepare('DELETE FROM zendesk_organizations WHERE account_id = ?')
    }
    // Ids in use, for the id generator to start past after a stop that did not flush.
    for (const [sequence, table] of [['zendesk_users', 'zendesk_users'], ['zendesk_identities', 'zendesk_identities'], ['zendesk_organizations', 'zendesk_organizations']]) {
      const max = db.prepare<[string], number | null>(`SELECT max(id) FROM ${table!} WHERE account_id = ?`).pluck()
      ids.register(sequence!, (accountId) => { const m = max.get(accountId) ?? null; return m === null ? 0 : Math.ceil((m - ID_BASE) / ID_STEP) })
    }
    this.upsertTx = db.transaction((accountId: string, input: UserInput, now: number) => this.upsertIn(accountId, input, now))
    this.updateTx = db.transaction((accountId: string, id: number, input: UserInput, now: number) => {
      const target = this.s.byId!.get(accountId, id) as UserRow | undefined
      // Not emulated: Zendesk's answer to a PUT on a deleted user is unrecorded; it is treated as gone.
      if (!target || !target.active) throw new RecordNotFound()
      return this.patch(target, input, now)
    })
    this.deleteTx = db.transaction((accountId: string, id: number, now: number) => {
      const target = this.s.byId!.get(accountId, id) as UserRow | undefined
      if (!target) throw new RecordNotFound()
      if (!target.active) return target
      this.s.deleteIdentities!.run(accountId, id)
      const row: UserRow = { ...target, active: 0, email: null, external_id: null, external_id_key: null, verified: 0, phone: null, shared_phone_number: null, updated_at: isoSeconds(now) }
      this.s.updateUser!.run(row)
      return row
    })
  }

  get (accountId: string, id: number): UserRow | undefined {
    return this.s.byId!.get(accountId, id) as UserRow | undefined
  }

  byExternalId (accountId: string, externalId: string): UserRow | undefined {
    return this.s.byExternalKey!.get(accountId, fold(externalId)) as UserRow | undefined
  }

  byEmail (accountId: string, email: string): UserRow | undefined {
    return this.s.byIdentity!.get(accountId, 'email', fold(email)) as UserRow | undefined
  }

  /** create_or_update: the matching and the write in one immediate transaction. */
  createOrUpdate (accountId: string, input: UserInput, now: number): UpsertResult {
    return this.upsertTx.immediate(accountId, input, now)
  }

  /** The same inside a caller's transaction (bulk jobs run many, each in its own savepoint). */
  createOrUpdateNested (accountId: string, input: UserInput, now: number): UpsertResult {
    return this.upsertTx(accountId, input, now)
  }

  update (accountId: string, id: number, input: UserInput, now: number): UserRow {
    return this.updateTx.immediate(accountId, id, input, now)
  }

  softDelete (accountId: string, id: number, now: number): UserRow {
    return this.deleteTx.immediate(accountId, id, now)
  }

  /** Substring search over name, email, notes, phone and external_id (active users). */
  searchText (accountId: string, text: string, limit: number, offset: number): { rows: UserRow[], count: number } {
    const like = '%' + text.replace(/[\\%_]/g, c => '\\' + c) + '%'
    return {
      rows: this.s.searchText!.all({ account: accountId, like, limit, offset }) as UserRow[],
      count: this.s.countText!.get({ account: accountId, like }) as number
    }
  }

  // ----- the write paths -----

  private upsertIn (accountId: string, input: UserInput, now: number): UpsertResult {
    const externalId = nonEmpty(input.external_id)
    const email = nonEmpty(input.email) ?? input.identities?.find(i => i.type === 'email')?.value ?? null
    let target: UserRow | undefined
    // external_id wins over email when both are sent (§1.3: the community post's 422).
    if (externalId) target = this.s.byExternalKey!.get(accountId, fold(externalId)) as UserRow | undefined
    if (!target && email) target = this.s.byIdentity!.get(accountId, 'email', fold(email)) as UserRow | undefined
    if (target) return { user: this.patch(target, input, now), created: false }
    return { user: this.create(accountId, input, now), created: true }
  }

  private create (accountId: string, input: UserInput, now: number): UserRow {
    const details: Record<string, ValidationProblem[]> = {}
    const name = nonEmpty(input.name)
    if (!name) details.name = [{ description: 'Name: is too short (minimum one character)', error: 'ValueTooShort' }]
    const identities = [...(input.identities ?? []).filter(i => IDENTITY_TYPES.has(i.type))]
    let email = nonEmpty(input.email)
    if (!email) {
      // The first email identity becomes the primary email when `email` is not sent.
      const first = identities.findIndex(i => i.type === 'email')
      if (first >= 0) email = identities.splice(first, 1)[0]!.value
    }
    // upsertIn only creates when neither the external_id nor the e-mail matched anyone, in the
    // same transaction: both are free, and looking them up again would be work for nothing.
    if (email && !isEmail(email)) details.email = [{ description: `Email: ${email} is not properly formatted` }]
    const externalId = nonEmpty(input.external_id)
    const fresh = this.checkIdentities(accountId, identities.filter(i => !sameIdentity(i, 'email', email) && !sameIdentity(i, 'phone_number', input.phone)), undefined, details)
    const organizationId = this.resolveOrganization(accountId, input, now, details)
    if (Object.keys(details).length > 0) throw new RecordInvalid(details)

    const stamp = isoSeconds(now)
    const row: UserRow = {
      account_id: accountId,
      id: ID_BASE + this.ids.nextInt(accountId, 'zendesk_users') * ID_STEP,
      name: name!,
      email,
      external_id: externalId,
      external_id_key: externalId ? fold(externalId) : null,
      created_at: stamp,
      updated_at: stamp,
      time_zone: DEFAULT_TIME_ZONE,
      iana_time_zone: DEFAULT_TIME_ZONE,
      phone: null,
      shared_phone_number: null,
      locale_id: 1,
      locale: 'en-US',
      organization_id: organizationId ?? null,
      role: 'end-user',
      verified: input.verified ? 1 : 0,
      tags: '[]',
      alias: null,
      active: 1,
      signature: null,
      details: null,
      notes: null,
      role_type: null,
      custom_role_id: null,
      moderator: 0,
      ticket_restriction: 'requested',
      only_private_comments: 0,
      restricted_agent: 1,
      suspended: 0,
      default_group_id: null,
      user_fields: '{}'
    }
    this.applyProfile(row, input, true)
    const phone = this.applyPhone(row, input)
    this.s.insertUserAt!.run(row.account_id, row.id, row.name, row.email, row.external_id, row.external_id_key, row.created_at, row.updated_at,
      row.time_zone, row.iana_time_zone, row.phone, row.shared_phone_number, row.locale_id, row.locale, row.organization_id, row.role,
      row.verified, row.tags, row.alias, row.active, row.signature, row.details, row.notes, row.role_type, row.custom_role_id, row.moderator,
      row.ticket_restriction, row.only_private_comments, row.restricted_agent, row.suspended, row.default_group_id, row.user_fields)
    if (email) this.addIdentity(row, 'email', email, row.verified === 1, true, stamp)
    for (const identity of fresh) this.addIdentity(row, identity.type, identity.value, false, false, stamp)
    if (phone) this.addIdentity(row, 'phone_number', phone, false, false, stamp)
    return row
  }

  private patch (target: UserRow, input: UserInput, now: number): UserRow {
    const accountId = target.account_id
    const row: UserRow = { ...target }
    const stamp = isoSeconds(now)
    const details: Record<string, ValidationProblem[]> = {}
    if (input.name !== undefined) {
      const name = nonEmpty(input.name)
      if (!name) details.name = [{ description: 'Name: is too short (minimum one character)', error: 'ValueTooShort' }]
      else row.name = name
    }

    // Email on update adds an identity (secondary unless the user has no email yet); it never
    // replaces the primary. Identities are written after validation passes.
    const pending: Array<{ type: string, value: string, verified: boolean, primary: boolean }> = []
    const email = nonEmpty(input.email)
    if (email) {
      if (!isEmail(email)) {
        details.email = [{ description: `Email: ${email} is not properly formatted` }]
      } else {
        const owned = this.s.identityOf!.get(accountId, 'email', fold(email)) as IdentityRow | undefined
        if (owned && owned.user_id !== row.id) {
          details.email = [dup('Email', email)]
        } else if (owned) {
          if (input.verified !== undefined) {
            this.s.setIdentityVerified!.run(input.verified ? 1 : 0, stamp, accountId, owned.id)
            if (owned.is_primary) row.verified = input.verified ? 1 : 0
          }
        } else {
          const primary = row.email === null
          pending.push({ type: 'email', value: email, verified: input.verified ?? false, primary })
          if (primary) {
            row.email = email
            row.verified = input.verified ? 1 : 0
          }
        }
      }
    } else if (input.verified !== undefined) {
      this.s.setPrimaryVerified!.run(input.verified ? 1 : 0, stamp, accountId, row.id)
      row.verified = input.verified ? 1 : 0
    }

    if (input.external_id !== undefined) {
      const externalId = nonEmpty(input.external_id)
      if (externalId === null) {
        row.external_id = null
        row.external_id_key = null
      } else {
        const key = fold(externalId)
        const owner = key === row.external_id_key ? undefined : this.s.byExternalKey!.get(accountId, key) as UserRow | undefined
        if (owner && owner.id !== row.id) {
          details.external_id = [{ description: 'External has already been taken', error: 'DuplicateValue' }]
        } else {
          // Found by external_id, the stored casing becomes the request's (documented).
          row.external_id = externalId
          row.external_id_key = key
        }
      }
    }

    const identities = (input.identities ?? []).filter(i => IDENTITY_TYPES.has(i.type))
    const fresh = this.checkIdentities(accountId, identities.filter(i => !sameIdentity(i, 'email', email) && !sameIdentity(i, 'phone_number', input.phone)), row.id, details)
    const organizationId = this.resolveOrganization(accountId, input, now, details)
    if (Object.keys(details).length > 0) throw new RecordInvalid(details)

    if (organizationId !== undefined) row.organization_id = organizationId
    this.applyProfile(row, input, false)
    for (const p of pending) this.addIdentity(row, p.type, p.value, p.verified, p.primary, stamp)
    for (const identity of fresh) {
      const primary = identity.type === 'email' && row.email === null
      this.addIdentity(row, identity.type, identity.value, false, primary, stamp)
      if (primary) row.email = identity.value
    }
    const phone = this.applyPhone(row, input)
    if (phone) this.addIdentity(row, 'phone_number', phone, false, false, stamp)
    if (!sameRow(row, target)) {
      row.updated_at = stamp
      this.s.updateUser!.run(row)
    }
    return row
  }

  /** Identities from `identities`: a value another user holds is the recorded 422 on `value`. */
  private checkIdentities (accountId: string, identities: IdentityInput[], userId: number | undefined, details: Record<string, ValidationProblem[]>): IdentityInput[] {
    const fresh: IdentityInput[] = []
    for (const identity of identities) {
      if (identity.type === 'email' && !isEmail(identity.value)) {
        (details.value ??= []).push({ description: `Value: ${identity.value} is not properly formatted` })
        continue
      }
      const owner = this.s.identityOwner!.get(accountId, identity.type, fold(identity.value)) as number | undefined
      if (owner !== undefined && owner !== userId) (details.value ??= []).push(dup('Value', identity.value))
      else if (owner === undefined && !fresh.some(f => f.type === identity.type && fold(f.value) === fold(identity.value))) fresh.push(identity)
    }
    return fresh
  }

  /**
   * `organization_id` must name an existing organization; `organization: {name}` joins the one of
   * that name (case-insensitive) or creates it. Returns undefined when neither is sent.
   */
  private resolveOrganization (accountId: string, input: UserInput, now: number, details: Record<string, ValidationProblem[]>): number | null | undefined {
    if (input.organization_id !== undefined) {
      if (input.organization_id === null) return null
      if (this.s.orgById!.get(accountId, input.organization_id)) return input.organization_id
      details.organization_id = [{ description: 'Organization: is invalid', error: 'InvalidValue' }]
      return undefined
    }
    if (input.organization_name === undefined) return undefined
    const key = fold(input.organization_name)
    const existing = this.s.orgByName!.get(accountId, key) as OrganizationRow | undefined
    if (existing) return existing.id
    const stamp = isoSeconds(now)
    const id = ID_BASE + this.ids.nextInt(accountId, 'zendesk_organizations') * ID_STEP
    this.s.insertOrg!.run({ account_id: accountId, id, name: input.organization_name, name_key: key, created_at: stamp, updated_at: stamp })
    return id
  }

  /** Role and the plain profile fields, in place. Role changes bring the role's defaults (§2.2). */
  private applyProfile (row: UserRow, input: UserInput, creating: boolean): void {
    let role = input.role && ROLES.has(input.role) ? input.role : undefined
    if (input.custom_role_id !== undefined) row.custom_role_id = input.custom_role_id
    // A custom role makes an agent, whatever role was sent (documented for "end-user").
    if (input.custom_role_id !== undefined && input.custom_role_id !== null && (role ?? row.role) === 'end-user') role = 'agent'
    if (role !== undefined && (creating || role !== row.role)) {
      row.role = role
      if (role === 'admin') Object.assign(row, { role_type: 4, moderator: 1, restricted_agent: 0, ticket_restriction: null })
      else if (role === 'agent') Object.assign(row, { role_type: row.custom_role_id === null ? null : 0, moderator: 0, restricted_agent: 0, ticket_restriction: null })
      else Object.assign(row, { role_type: null, moderator: 0, restricted_agent: 1, ticket_restriction: 'requested', custom_role_id: null })
    }
    if (input.ticket_restriction !== undefined) {
      if (row.role === 'end-user') {
        // An end user given a value only agents may have (or none) gets "requested" (documented).
        row.ticket_restriction = input.ticket_restriction && END_USER_RESTRICTIONS.has(input.ticket_restriction) ? input.ticket_restriction : 'requested'
      } else if (input.ticket_restriction === null || AGENT_RESTRICTIONS.has(input.ticket_restriction)) {
        row.ticket_restriction = input.ticket_restriction
      }
    }
    for (const key of ['alias', 'details', 'notes'] as const) if (input[key] !== undefined) row[key] = input[key]
    if (input.signature !== undefined && row.role !== 'end-user') row.signature = input.signature
    for (const key of ['moderator', 'only_private_comments', 'restricted_agent', 'suspended'] as const) {
      if (input[key] !== undefined) row[key] = input[key] ? 1 : 0
    }
    if (input.default_group_id !== undefined) row.default_group_id = input.default_group_id
    if (input.time_zone) {
      const iana = RAILS_ZONES[input.time_zone] ?? (IANA_ZONES.has(input.time_zone) ? input.time_zone : undefined)
      if (iana) {
        row.time_zone = input.time_zone
        row.iana_time_zone = iana
      }
    }
    // `locale` wins over `locale_id` when both are sent (documented); unknown ones are ignored.
    const byName = input.locale ? LOCALE_BY_NAME.get(fold(input.locale)) : undefined
    const byId = input.locale_id !== undefined && input.locale_id !== null ? LOCALE_BY_ID.get(input.locale_id) : undefined
    if (byName) [row.locale_id, row.locale] = byName
    else if (byId) [row.locale_id, row.locale] = [input.locale_id!, byId]
    if (input.tags !== undefined) row.tags = JSON.stringify(input.tags)
    if (input.user_fields !== undefined) row.user_fields = JSON.stringify({ ...JSON.parse(row.user_fields) as Record<string, Scalar>, ...input.user_fields })
  }

  /**
   * A number nobody else has becomes a direct line (an identity); a taken one is shared
   * (documented). Returns the number to add as an identity once the user row exists.
   */
  private applyPhone (row: UserRow, input: UserInput): string | null {
    if (input.phone === undefined) return null
    const phone = nonEmpty(input.phone)
    if (phone === null) {
      row.phone = input.phone
      row.shared_phone_number = null
      return null
    }
    row.phone = phone
    const owner = this.s.identityOwner!.get(row.account_id, 'phone_number', fold(phone)) as number | undefined
    if (owner !== undefined) {
      row.shared_phone_number = owner === row.id ? 0 : 1
      return null
    }
    row.shared_phone_number = input.shared_phone_number ? 1 : 0
    return phone
  }

  private addIdentity (row: UserRow, type: string, value: string, verified: boolean, primary: boolean, stamp: string): void {
    const id = ID_BASE + this.ids.nextInt(row.account_id, 'zendesk_identities') * ID_STEP
    this.s.insertIdentityAt!.run(row.account_id, id, row.id, type, value, fold(value), verified ? 1 : 0, primary ? 1 : 0, stamp, stamp)
  }

  // ----- the control plane's view -----

  allUsers (accountId: string): UserRow[] {
    return this.s.allUsers!.all(accountId) as UserRow[]
  }

  allIdentities (accountId: string): IdentityRow[] {
    return this.s.allIdentities!.all(accountId) as IdentityRow[]
  }

  allOrganizations (accountId: string): OrganizationRow[] {
    return this.s.allOrgs!.all(accountId) as OrganizationRow[]
  }

  count (accountId: string): { users: number, organizations: number } {
    return { users: this.s.countUsers!.get(accountId) as number, organizations: this.s.countOrgs!.get(accountId) as number }
  }

  /** Deletes every row of the account; the caller owns the transaction. */
  reset (accountId: string): void {
    this.s.deleteAllIdentities!.run(accountId)
    this.s.deleteAllUsers!.run(accountId)
    this.s.deleteAllOrgs!.run(accountId)
  }

  /** Inserts rows as they are (ids and timestamps kept); the caller owns the transaction. */
  insertRaw (users: UserRow[], identities: IdentityRow[], organizations: OrganizationRow[]): void {
    for (const o of organizations) this.s.insertOrg!.run(o)
    for (const u of users) this.s.insertUser!.run(u)
    for (const i of identities) this.s.insertIdentity!.run(i)
  }

  /** Moves a sequence past loaded ids, so ids made afterwards never collide with them. */
  bumpSequence (accountId: string, sequence: string, maxId: number): void {
    if (maxId <= ID_BASE) return
    this.ids.atLeast(accountId, sequence, Math.ceil((maxId - ID_BASE) / ID_STEP))
  }

  transaction<T> (fn: () => T): T {
    return this.db.transaction(fn).immediate()
  }
}

function sameIdentity (identity: IdentityInput, type: string, value: string | null | undefined): boolean {
  return identity.type === type && typeof value === 'string' && fold(identity.value) === fold(value.trim())
}

function sameRow (a: UserRow, b: UserRow): boolean {
  for (const key of Object.keys(a) as Array<keyof UserRow>) if (a[key] !== b[key]) return false
  return true
}
