import type { Database } from '../../kernel/database.js'
import type { IdGenerator } from '../../kernel/ids.js'
import { RecordInvalid, RecordNotFound, type ValidationProblem } from './errors.js'
import type { IdentityRow, UserRow } from './users.model.js'
import { isEmail, MAX_IDENTITIES, nonEmpty, tooManyIdentities } from './users.rules.js'
import { fold, idAt, IDENTITY_TYPES, isoSeconds } from './vocabulary.js'
import { lazily } from '../../kernel/lazy-statements.js'

/**
 * A user's identities through the User Identities API (§10.4): list, show, add, change the value,
 * verify, make primary, delete. Each write is one immediate transaction; the user row's `email`
 * and `verified` follow its primary e-mail identity.
 * @see https://developer.zendesk.com/api-reference/ticketing/users/user_identities/
 */

export interface IdentityInput { type?: unknown, value?: unknown, verified?: unknown, primary?: unknown }

const COLUMNS = 'account_id, id, user_id, type, value, value_key, verified, is_primary, created_at, updated_at'

const taken = (value: string): ValidationProblem => ({ description: `Value: ${value} is already being used by another user`, error: 'DuplicateValue' })
const malformed = (value: string): ValidationProblem => ({ description: `Value: ${value} is not properly formatted` })
const text = (v: unknown): string | undefined => typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined
const truthy = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1

/** The 422s of this API that the recordings do not show: chosen wording (docs/zendesk.md). */
export const PRIMARY_DELETE: ValidationProblem = { description: 'Primary email identity cannot be deleted while the user has other identities; make another identity primary first', error: 'InvalidValue' }

export class IdentitiesStore {
  private readonly s
  private readonly addTx
  private readonly updateTx
  private readonly primaryTx
  private readonly deleteTx

  constructor (db: Database, ids: IdGenerator) {
    const s = this.s = {
      user: lazily(db).prepare<[accountId: string, id: number], UserRow>('SELECT * FROM zendesk_users WHERE account_id = ? AND id = ?'),
      // The primary first, then by age (§10.4: #041, #042).
      list: lazily(db).prepare<[accountId: string, userId: number], IdentityRow>('SELECT * FROM zendesk_identities WHERE account_id = ? AND user_id = ? ORDER BY is_primary DESC, id'),
      count: lazily(db).prepare<[accountId: string, userId: number], number>('SELECT count(*) FROM zendesk_identities WHERE account_id = ? AND user_id = ?').pluck(),
      one: lazily(db).prepare<[accountId: string, userId: number, id: number], IdentityRow>('SELECT * FROM zendesk_identities WHERE account_id = ? AND user_id = ? AND id = ?'),
      owner: lazily(db).prepare<[accountId: string, type: string, key: string], number>('SELECT user_id FROM zendesk_identities WHERE account_id = ? AND type = ? AND value_key = ?').pluck(),
      primaryOf: lazily(db).prepare<[accountId: string, userId: number, type: string], IdentityRow>('SELECT * FROM zendesk_identities WHERE account_id = ? AND user_id = ? AND type = ? AND is_primary = 1'),
      insert: lazily(db).prepare<IdentityRow>(`INSERT INTO zendesk_identities (${COLUMNS}) VALUES (${COLUMNS.split(', ').map(c => '@' + c).join(', ')})`),
      update: lazily(db).prepare<IdentityRow>('UPDATE zendesk_identities SET value = @value, value_key = @value_key, verified = @verified, is_primary = @is_primary, updated_at = @updated_at WHERE account_id = @account_id AND id = @id'),
      delete: lazily(db).prepare<[accountId: string, id: number]>('DELETE FROM zendesk_identities WHERE account_id = ? AND id = ?'),
      setUserEmail: lazily(db).prepare<[email: string | null, verified: number, updatedAt: string, accountId: string, id: number]>('UPDATE zendesk_users SET email = ?, verified = ?, updated_at = ? WHERE account_id = ? AND id = ?')
    }

    this.addTx = db.transaction((accountId: string, userId: number, input: IdentityInput, now: number): IdentityRow => {
      const user = this.activeUser(accountId, userId)
      const type = text(input.type)?.trim().toLowerCase() ?? ''
      const value = nonEmpty(text(input.value)) ?? ''
      const details: Record<string, ValidationProblem[]> = {}
      if (!IDENTITY_TYPES.has(type)) details.type = [{ description: `Type: ${type === '' ? 'cannot be blank' : 'is invalid'}`, error: type === '' ? 'BlankValue' : 'InvalidValue' }]
      if (value === '') details.value = [{ description: 'Value: cannot be blank', error: 'BlankValue' }]
      else if (type === 'email' && !isEmail(value)) details.value = [malformed(value)]
      else if (IDENTITY_TYPES.has(type) && s.owner.get(accountId, type, fold(value)) !== undefined) details.value = [taken(value)]
      if ((s.count.get(accountId, userId) ?? 0) >= MAX_IDENTITIES) details.identities = [tooManyIdentities()]
      if (Object.keys(details).length > 0) throw new RecordInvalid(details)
      const stamp = isoSeconds(now)
      const current = s.primaryOf.get(accountId, userId, type)
      // The first identity of a type is its primary; `primary: true` takes it over (writable on create).
      const primary = !current || truthy(input.primary)
      if (primary && current) s.update.run({ ...current, is_primary: 0, updated_at: stamp })
      const row: IdentityRow = {
        account_id: accountId,
        id: idAt(ids.nextInt(accountId, 'zendesk_identities')),
        user_id: userId,
        type,
        value,
        value_key: fold(value),
        verified: truthy(input.verified) ? 1 : 0,
        is_primary: primary ? 1 : 0,
        created_at: stamp,
        updated_at: stamp
      }
      s.insert.run(row)
      if (primary && type === 'email') s.setUserEmail.run(row.value, row.verified, stamp, accountId, user.id)
      return row
    })

    this.updateTx = db.transaction((accountId: string, userId: number, id: number, input: IdentityInput, now: number): IdentityRow => {
      const user = this.activeUser(accountId, userId)
      const target = s.one.get(accountId, userId, id)
      if (!target) throw new RecordNotFound()
      const row: IdentityRow = { ...target }
      const value = input.value === undefined ? undefined : nonEmpty(text(input.value)) ?? ''
      if (value !== undefined && fold(value) !== target.value_key) {
        const details: Record<string, ValidationProblem[]> = {}
        if (value === '') details.value = [{ description: 'Value: cannot be blank', error: 'BlankValue' }]
        else if (row.type === 'email' && !isEmail(value)) details.value = [malformed(value)]
        else if (s.owner.get(accountId, row.type, fold(value)) !== undefined) details.value = [taken(value)]
        if (Object.keys(details).length > 0) throw new RecordInvalid(details)
      }
      if (value !== undefined && value !== '') {
        row.value = value
        row.value_key = fold(value)
      }
      // A verified identity cannot be unverified (documented); `verified: true` verifies it.
      if (truthy(input.verified)) row.verified = 1
      return this.save(user, target, row, now)
    })

    this.primaryTx = db.transaction((accountId: string, userId: number, id: number, now: number): IdentityRow[] => {
      const user = this.activeUser(accountId, userId)
      const target = s.one.get(accountId, userId, id)
      if (!target) throw new RecordNotFound()
      if (!target.is_primary) {
        const stamp = isoSeconds(now)
        const current = s.primaryOf.get(accountId, userId, target.type)
        if (current) s.update.run({ ...current, is_primary: 0, updated_at: stamp })
        this.save(user, target, { ...target, is_primary: 1 }, now)
      }
      return s.list.all(accountId, userId)
    })

    this.deleteTx = db.transaction((accountId: string, userId: number, id: number, now: number): void => {
      const user = this.activeUser(accountId, userId)
      const target = s.one.get(accountId, userId, id)
      if (!target) throw new RecordNotFound()
      if (target.type === 'email' && target.is_primary && (s.count.get(accountId, userId) ?? 0) > 1) {
        throw new RecordInvalid({ base: [PRIMARY_DELETE] })
      }
      s.delete.run(accountId, id)
      // The user's `phone` stays when its identity goes, as the documentation says can happen.
      if (target.type === 'email' && target.is_primary) s.setUserEmail.run(null, 0, isoSeconds(now), accountId, user.id)
    })
  }

  /** Writes an identity; a primary e-mail's value and flag are the user's `email` and `verified`. */
  private save (user: UserRow, before: IdentityRow, row: IdentityRow, now: number): IdentityRow {
    if (row.value === before.value && row.verified === before.verified && row.is_primary === before.is_primary) return before
    const stamp = isoSeconds(now)
    row.updated_at = stamp
    this.s.update.run(row)
    if (row.type === 'email' && row.is_primary) this.s.setUserEmail.run(row.value, row.verified, stamp, user.account_id, user.id)
    return row
  }

  /** The user of the path; a deleted user has no identities left to change. */
  private activeUser (accountId: string, userId: number): UserRow {
    const user = this.s.user.get(accountId, userId)
    if (!user || !user.active) throw new RecordNotFound()
    return user
  }

  /** The user's identities, primary first; undefined when there is no such user. */
  list (accountId: string, userId: number): IdentityRow[] | undefined {
    if (!this.s.user.get(accountId, userId)) return undefined
    return this.s.list.all(accountId, userId)
  }

  get (accountId: string, userId: number, id: number): IdentityRow | undefined {
    return this.s.one.get(accountId, userId, id)
  }

  add (accountId: string, userId: number, input: IdentityInput, now: number): IdentityRow {
    return this.addTx.immediate(accountId, userId, input, now)
  }

  update (accountId: string, userId: number, id: number, input: IdentityInput, now: number): IdentityRow {
    return this.updateTx.immediate(accountId, userId, id, input, now)
  }

  makePrimary (accountId: string, userId: number, id: number, now: number): IdentityRow[] {
    return this.primaryTx.immediate(accountId, userId, id, now)
  }

  delete (accountId: string, userId: number, id: number, now: number): void {
    this.deleteTx.immediate(accountId, userId, id, now)
  }
}
