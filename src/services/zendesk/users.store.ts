import type { Transaction } from 'better-sqlite3'
import type { Database } from '../../kernel/database.js'
import type { IdGenerator } from '../../kernel/ids.js'
import { RecordInvalid, RecordNotFound } from './errors.js'
import { UserFieldsStore } from './user-fields.store.js'
import type { UserInput } from './users.input.js'
import { applyProfile, sameRow, USER_COLUMNS, type IdentityRow, type OrganizationRow, type UserRow } from './users.model.js'
import { nonEmpty, validateChanges, type Changes, type Lookups } from './users.rules.js'
import { refuseTaken } from './users.collection.js'
import { fold, idAt, ID_BASE, isoSeconds, sequenceAt } from './vocabulary.js'
import { lazily } from '../../kernel/lazy-statements.js'

/**
 * Zendesk users, their identities and organizations in SQLite. Every write is one immediate
 * transaction: the lookup and the insert of create_or_update cannot interleave with another
 * request's, and a 422 found halfway rolls back everything the request did. The vocabulary is in
 * vocabulary.ts, the row shapes and profile defaults in users.model.ts, the 422 checks in
 * users.rules.ts; this file holds the SQL.
 */

export type { IdentityRow, OrganizationRow, UserRow } from './users.model.js'

export interface UpsertResult { user: UserRow, created: boolean }

type Ids = [accountId: string, id: number]
type ByValue = [accountId: string, type: string, valueKey: string]
type Search = { account: string, like: string }

const IDENTITY_COLUMNS = 'account_id, id, user_id, type, value, value_key, verified, is_primary, created_at, updated_at'

/** Every statement, prepared once per store. */
function prepare (db: Database) {
  const cols = USER_COLUMNS.join(', ')
  const sets = USER_COLUMNS.filter(c => c !== 'account_id' && c !== 'id').map(c => `${c} = @${c}`).join(', ')
  const matches = `account_id = @account AND active = 1 AND (name LIKE @like ESCAPE '\\'
    OR email LIKE @like ESCAPE '\\' OR notes LIKE @like ESCAPE '\\' OR phone LIKE @like ESCAPE '\\' OR external_id LIKE @like ESCAPE '\\')`
  return {
    byId: lazily(db).prepare<Ids, UserRow>('SELECT * FROM zendesk_users WHERE account_id = ? AND id = ?'),
    byExternalKey: lazily(db).prepare<[accountId: string, key: string], UserRow>('SELECT * FROM zendesk_users WHERE account_id = ? AND external_id_key = ?'),
    byIdentity: lazily(db).prepare<ByValue, UserRow>(`SELECT u.* FROM zendesk_identities i JOIN zendesk_users u ON u.account_id = i.account_id AND u.id = i.user_id
      WHERE i.account_id = ? AND i.type = ? AND i.value_key = ?`),
    identityOwner: lazily(db).prepare<ByValue, number>('SELECT user_id FROM zendesk_identities WHERE account_id = ? AND type = ? AND value_key = ?').pluck(),
    identityCount: lazily(db).prepare<[accountId: string, userId: number], number>('SELECT count(*) FROM zendesk_identities WHERE account_id = ? AND user_id = ?').pluck(),
    identityOf: lazily(db).prepare<ByValue, IdentityRow>('SELECT * FROM zendesk_identities WHERE account_id = ? AND type = ? AND value_key = ?'),
    insertUser: lazily(db).prepare<UserRow>(`INSERT INTO zendesk_users (${cols}) VALUES (${USER_COLUMNS.map(c => '@' + c).join(', ')})`),
    updateUser: lazily(db).prepare<UserRow>(`UPDATE zendesk_users SET ${sets} WHERE account_id = @account_id AND id = @id`),
    insertIdentity: lazily(db).prepare<IdentityRow>(`INSERT INTO zendesk_identities (${IDENTITY_COLUMNS}) VALUES (${IDENTITY_COLUMNS.split(', ').map(c => '@' + c).join(', ')})`),
    // The hot path binds by position: better-sqlite3 looks every named parameter up by name.
    insertUserAt: lazily(db).prepare<Array<UserRow[keyof UserRow]>>(`INSERT INTO zendesk_users (${cols}) VALUES (${USER_COLUMNS.map(() => '?').join(', ')})`),
    insertIdentityAt: lazily(db).prepare<[accountId: string, id: number, userId: number, type: string, value: string, valueKey: string, verified: number, primary: number, createdAt: string, updatedAt: string]>(
      `INSERT INTO zendesk_identities (${IDENTITY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    setIdentityVerified: lazily(db).prepare<[verified: number, updatedAt: string, ...Ids]>('UPDATE zendesk_identities SET verified = ?, updated_at = ? WHERE account_id = ? AND id = ?'),
    setPrimaryVerified: lazily(db).prepare<[verified: number, updatedAt: string, accountId: string, userId: number]>(
      "UPDATE zendesk_identities SET verified = ?, updated_at = ? WHERE account_id = ? AND user_id = ? AND type = 'email' AND is_primary = 1"),
    deleteIdentities: lazily(db).prepare<[accountId: string, userId: number]>('DELETE FROM zendesk_identities WHERE account_id = ? AND user_id = ?'),
    orgById: lazily(db).prepare<Ids, OrganizationRow>('SELECT * FROM zendesk_organizations WHERE account_id = ? AND id = ?'),
    orgByName: lazily(db).prepare<[accountId: string, nameKey: string], OrganizationRow>('SELECT * FROM zendesk_organizations WHERE account_id = ? AND name_key = ?'),
    insertOrg: lazily(db).prepare<OrganizationRow>('INSERT INTO zendesk_organizations (account_id, id, name, name_key, created_at, updated_at) VALUES (@account_id, @id, @name, @name_key, @created_at, @updated_at)'),
    searchText: lazily(db).prepare<Search & { limit: number, offset: number }, UserRow>(`SELECT * FROM zendesk_users WHERE ${matches} ORDER BY id LIMIT @limit OFFSET @offset`),
    countText: lazily(db).prepare<Search, number>(`SELECT count(*) FROM zendesk_users WHERE ${matches}`).pluck(),
    allUsers: lazily(db).prepare<[accountId: string], UserRow>('SELECT * FROM zendesk_users WHERE account_id = ? ORDER BY id'),
    allIdentities: lazily(db).prepare<[accountId: string], IdentityRow>('SELECT * FROM zendesk_identities WHERE account_id = ? ORDER BY user_id, id'),
    allOrgs: lazily(db).prepare<[accountId: string], OrganizationRow>('SELECT * FROM zendesk_organizations WHERE account_id = ? ORDER BY id'),
    countUsers: lazily(db).prepare<[accountId: string], number>('SELECT count(*) FROM zendesk_users WHERE account_id = ?').pluck(),
    countOrgs: lazily(db).prepare<[accountId: string], number>('SELECT count(*) FROM zendesk_organizations WHERE account_id = ?').pluck(),
    deleteAllIdentities: lazily(db).prepare<[accountId: string]>('DELETE FROM zendesk_identities WHERE account_id = ?'),
    deleteAllUsers: lazily(db).prepare<[accountId: string]>('DELETE FROM zendesk_users WHERE account_id = ?'),
    deleteAllOrgs: lazily(db).prepare<[accountId: string]>('DELETE FROM zendesk_organizations WHERE account_id = ?')
  }
}

export class UsersStore {
  private readonly ids: IdGenerator
  /** The account's user field definitions (issue 13 point 4). */
  readonly fields: UserFieldsStore
  private readonly s: ReturnType<typeof prepare>
  private readonly lookups: Lookups
  private readonly upsertTx: Transaction<(accountId: string, input: UserInput, now: number) => UpsertResult>
  private readonly updateTx: Transaction<(accountId: string, id: number, input: UserInput, now: number) => UserRow>
  private readonly deleteTx: Transaction<(accountId: string, id: number, now: number) => UserRow>
  private readonly createTx: Transaction<(accountId: string, input: UserInput, now: number) => UserRow>

  constructor (db: Database, ids: IdGenerator) {
    this.ids = ids
    this.fields = new UserFieldsStore(db, ids)
    const s = this.s = prepare(db)
    // Ids in use, for the id generator to start past after a stop that did not flush.
    for (const table of ['zendesk_users', 'zendesk_identities', 'zendesk_organizations']) {
      const max = lazily(db).prepare<[string], number | null>(`SELECT max(id) FROM ${table} WHERE account_id = ?`).pluck()
      ids.register(table, (accountId) => sequenceAt(max.get(accountId) ?? 0))
    }
    this.lookups = {
      userByExternalKey: (accountId, key) => s.byExternalKey.get(accountId, key),
      identity: (accountId, type, key) => s.identityOf.get(accountId, type, key),
      identityOwner: (accountId, type, key) => s.identityOwner.get(accountId, type, key),
      identityCount: (accountId, userId) => s.identityCount.get(accountId, userId) ?? 0,
      organizationExists: (accountId, id) => s.orgById.get(accountId, id) !== undefined,
      organizationNamed: (accountId, name, now) => {
        const key = fold(name)
        const existing = s.orgByName.get(accountId, key)
        if (existing) return existing.id
        const stamp = isoSeconds(now)
        const id = idAt(ids.nextInt(accountId, 'zendesk_organizations'))
        s.insertOrg.run({ account_id: accountId, id, name, name_key: key, created_at: stamp, updated_at: stamp })
        return id
      }
    }
    this.upsertTx = db.transaction((accountId: string, input: UserInput, now: number) => this.upsertIn(accountId, input, now))
    this.updateTx = db.transaction((accountId: string, id: number, input: UserInput, now: number) => {
      const target = s.byId.get(accountId, id)
      // Not emulated: Zendesk's answer to a PUT on a deleted user is unrecorded; it is treated as gone.
      if (!target || !target.active) throw new RecordNotFound()
      return this.save(accountId, target, input, now)
    })
    this.createTx = db.transaction((accountId: string, input: UserInput, now: number) => {
      refuseTaken(this.lookups, accountId, input, now)
      return this.save(accountId, undefined, input, now)
    })
    this.deleteTx = db.transaction((accountId: string, id: number, now: number) => {
      const target = s.byId.get(accountId, id)
      if (!target) throw new RecordNotFound()
      if (!target.active) return target
      s.deleteIdentities.run(accountId, id)
      const row: UserRow = { ...target, active: 0, email: null, external_id: null, external_id_key: null, verified: 0, phone: null, shared_phone_number: null, updated_at: isoSeconds(now) }
      s.updateUser.run(row)
      return row
    })
  }

  get (accountId: string, id: number): UserRow | undefined {
    return this.s.byId.get(accountId, id)
  }

  byExternalId (accountId: string, externalId: string): UserRow | undefined {
    return this.s.byExternalKey.get(accountId, fold(externalId))
  }

  byEmail (accountId: string, email: string): UserRow | undefined {
    return this.s.byIdentity.get(accountId, 'email', fold(email))
  }

  /** create_or_update: the matching and the write in one immediate transaction. */
  createOrUpdate (accountId: string, input: UserInput, now: number): UpsertResult {
    return this.upsertTx.immediate(accountId, input, now)
  }

  /** The same inside a caller's transaction (bulk jobs run many, each in its own savepoint). */
  createOrUpdateNested (accountId: string, input: UserInput, now: number): UpsertResult {
    return this.upsertTx(accountId, input, now)
  }

  /** POST users: create only (users.collection.ts refuses a taken e-mail or external_id). */
  createOnly (accountId: string, input: UserInput, now: number): UserRow {
    return this.createTx.immediate(accountId, input, now)
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
      rows: this.s.searchText.all({ account: accountId, like, limit, offset }),
      count: this.s.countText.get({ account: accountId, like }) ?? 0
    }
  }

  // ----- the write path: create and update both check the changes, then write them -----

  private upsertIn (accountId: string, input: UserInput, now: number): UpsertResult {
    const externalId = nonEmpty(input.external_id)
    const email = nonEmpty(input.email) ?? input.identities?.find(i => i.type === 'email')?.value ?? null
    let target: UserRow | undefined
    // external_id wins over email when both are sent (§1.3: the community post's 422).
    if (externalId) target = this.s.byExternalKey.get(accountId, fold(externalId))
    if (!target && email) target = this.s.byIdentity.get(accountId, 'email', fold(email))
    return { user: this.save(accountId, target, input, now), created: target === undefined }
  }

  /** Creates (`target` undefined) or updates a user: every check first (users.rules.ts), then the writes. */
  private save (accountId: string, target: UserRow | undefined, sent: UserInput, now: number): UserRow {
    // Issue 13 point 4: user_fields read against the account's definitions; their 422s join the others.
    const { input, problems } = this.fields.apply(accountId, target?.tags, sent)
    let changes: Changes
    try {
      changes = validateChanges(this.lookups, accountId, target, input, now)
    } catch (err) {
      if (err instanceof RecordInvalid && problems.length > 0) err.details.base = [...(err.details.base ?? []), ...problems]
      throw err
    }
    if (problems.length > 0) throw new RecordInvalid({ base: problems })
    return target ? this.patch(target, changes, input, now) : this.create(changes, input, now)
  }

  private create ({ row, add }: Changes, input: UserInput, now: number): UserRow {
    const stamp = isoSeconds(now)
    row.id = idAt(this.ids.nextInt(row.account_id, 'zendesk_users'))
    row.created_at = row.updated_at = stamp
    applyProfile(row, input, true)
    const phone = this.applyPhone(row, input)
    this.s.insertUserAt.run(row.account_id, row.id, row.name, row.email, row.external_id, row.external_id_key, row.created_at, row.updated_at,
      row.time_zone, row.iana_time_zone, row.phone, row.shared_phone_number, row.locale_id, row.locale, row.organization_id, row.role,
      row.verified, row.tags, row.alias, row.active, row.signature, row.details, row.notes, row.role_type, row.custom_role_id, row.moderator,
      row.ticket_restriction, row.only_private_comments, row.restricted_agent, row.suspended, row.default_group_id, row.user_fields)
    for (const identity of add) this.addIdentity(row, identity.type, identity.value, identity.verified, identity.primary, stamp)
    if (phone) this.addIdentity(row, 'phone_number', phone, false, false, stamp)
    return row
  }

  private patch (target: UserRow, { row, add, verify }: Changes, input: UserInput, now: number): UserRow {
    const stamp = isoSeconds(now)
    if (verify?.id !== undefined) this.s.setIdentityVerified.run(verify.verified, stamp, row.account_id, verify.id)
    else if (verify) this.s.setPrimaryVerified.run(verify.verified, stamp, row.account_id, row.id)
    applyProfile(row, input, false)
    for (const identity of add) this.addIdentity(row, identity.type, identity.value, identity.verified, identity.primary, stamp)
    const phone = this.applyPhone(row, input)
    if (phone) this.addIdentity(row, 'phone_number', phone, false, false, stamp)
    if (!sameRow(row, target)) {
      row.updated_at = stamp
      this.s.updateUser.run(row)
    }
    return row
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
    const owner = this.s.identityOwner.get(row.account_id, 'phone_number', fold(phone))
    if (owner !== undefined) {
      row.shared_phone_number = owner === row.id ? 0 : 1
      return null
    }
    row.shared_phone_number = input.shared_phone_number ? 1 : 0
    return phone
  }

  private addIdentity (row: UserRow, type: string, value: string, verified: boolean, primary: boolean, stamp: string): void {
    const id = idAt(this.ids.nextInt(row.account_id, 'zendesk_identities'))
    this.s.insertIdentityAt.run(row.account_id, id, row.id, type, value, fold(value), verified ? 1 : 0, primary ? 1 : 0, stamp, stamp)
  }

  // ----- the control plane's view -----

  allUsers (accountId: string): UserRow[] {
    return this.s.allUsers.all(accountId)
  }

  allIdentities (accountId: string): IdentityRow[] {
    return this.s.allIdentities.all(accountId)
  }

  allOrganizations (accountId: string): OrganizationRow[] {
    return this.s.allOrgs.all(accountId)
  }

  count (accountId: string): { users: number, organizations: number } {
    return { users: this.s.countUsers.get(accountId) ?? 0, organizations: this.s.countOrgs.get(accountId) ?? 0 }
  }

  /** Deletes every row of the account; the caller owns the transaction. */
  reset (accountId: string): void {
    this.s.deleteAllIdentities.run(accountId)
    this.s.deleteAllUsers.run(accountId)
    this.s.deleteAllOrgs.run(accountId)
    this.fields.reset(accountId)
  }

  /** Inserts rows as they are (ids and timestamps kept); the caller owns the transaction. */
  insertRaw (users: UserRow[], identities: IdentityRow[], organizations: OrganizationRow[]): void {
    for (const o of organizations) this.s.insertOrg.run(o)
    for (const u of users) this.s.insertUser.run(u)
    for (const i of identities) this.s.insertIdentity.run(i)
  }

  /** Moves a sequence past loaded ids, so ids made afterwards never collide with them. */
  bumpSequence (accountId: string, sequence: string, maxId: number): void {
    if (maxId <= ID_BASE) return
    this.ids.atLeast(accountId, sequence, sequenceAt(maxId))
  }
}
