import type { Kernel } from '../../kernel/kernel.js'
import type { JobQueue } from './jobs.js'
import { isHash, type Scalar } from './users.input.js'
import { renderIdentity, renderOrganization, renderUser } from './users.render.js'
import { renderField } from './user-fields.model.js'
import type { IdentityRow, OrganizationRow, UserRow } from './users.model.js'
import type { UsersStore } from './users.store.js'
import { DEFAULT_TIME_ZONE, fold, idAt, isoSeconds } from './vocabulary.js'

/**
 * The control plane's dump and load of one account's Zendesk data. A dump holds users exactly as
 * `GET users/{id}` renders them, plus identities and organizations (a user shows only its primary
 * email); loading it elsewhere and dumping again gives the same document apart from the origin.
 * A load is also the fast seed path: users need only a name; missing ids, timestamps and
 * identities are made, all in one transaction of prepared statements.
 * Not emulated: bulk jobs are transient and neither dumped nor loaded.
 */

export function dumpAccount (store: UsersStore, accountId: string, origin: string): Record<string, unknown> {
  return {
    // Issue 13 point 4: the definitions first, for a load to read the users' values against them.
    user_fields: store.fields.list(accountId).map(f => renderField(f, origin)),
    users: store.allUsers(accountId).map(u => renderUser(u, origin, store.fields.views(accountId))),
    identities: store.allIdentities(accountId).map(i => renderIdentity(i, origin)),
    organizations: store.allOrganizations(accountId).map(o => renderOrganization(o, origin))
  }
}

export class LoadError extends Error {
  readonly statusCode = 400
  readonly code = 'invalid_state'
}

const str = (v: unknown): string | null => typeof v === 'string' ? v : null
const int = (v: unknown): number | null => typeof v === 'number' && Number.isSafeInteger(v) ? v : null
const flag = (v: unknown, fallback: boolean): number => (typeof v === 'boolean' ? v : fallback) ? 1 : 0
const stamp = (v: unknown, fallback: string): string => typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? isoSeconds(Date.parse(v)) : fallback

function list (data: Record<string, unknown>, key: string): Array<Record<string, unknown>> {
  const value = data[key]
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every(isHash)) throw new LoadError(`zendesk.${key} must be an array of objects`)
  return value
}

// A loop, not Math.max(...ids): a million arguments overflow the stack.
function maxId (rows: Array<{ id: number }>): number {
  let max = 0
  for (const r of rows) if (r.id > max) max = r.id
  return max
}

export function loadAccount (kernel: Kernel, store: UsersStore, jobs: JobQueue, accountId: string, data: Record<string, unknown>): Record<string, number> {
  const userFields = list(data, 'user_fields')
  const users = list(data, 'users')
  const identities = list(data, 'identities')
  const organizations = list(data, 'organizations')
  const now = isoSeconds(kernel.clock.now())
  // Ids for rows that come without one: read each sequence once and count on from it (the
  // sequences are moved past every loaded id below), instead of one upsert per row.
  const counters = new Map<string, number>()
  const next = (sequence: string): number => {
    let n = counters.get(sequence)
    if (n === undefined) {
      n = kernel.ids.nextInt(accountId, sequence)
    } else {
      n++
    }
    counters.set(sequence, n)
    return idAt(n)
  }

  return kernel.db.transaction(() => {
    jobs.reset(accountId)
    store.reset(accountId)
    const fieldCount = store.fields.load(accountId, userFields, now, next, (message) => new LoadError(message))
    const orgRows: OrganizationRow[] = organizations.map((o, i) => {
      const name = str(o.name)
      if (!name) throw new LoadError(`zendesk.organizations[${i}].name must be a string`)
      const created = stamp(o.created_at, now)
      return { account_id: accountId, id: int(o.id) ?? next('zendesk_organizations'), name, name_key: fold(name), created_at: created, updated_at: stamp(o.updated_at, created) }
    })
    const userRows: UserRow[] = users.map((u, i) => {
      const name = str(u.name)
      if (!name) throw new LoadError(`zendesk.users[${i}].name must be a non-empty string`)
      const role = u.role === 'admin' || u.role === 'agent' ? u.role : 'end-user'
      const externalId = str(u.external_id) ?? (typeof u.external_id === 'number' ? String(u.external_id) : null)
      const created = stamp(u.created_at, now)
      const active = u.active !== false
      return {
        account_id: accountId,
        id: int(u.id) ?? next('zendesk_users'),
        name,
        email: active ? str(u.email) : null,
        external_id: active ? externalId : null,
        external_id_key: active && externalId ? fold(externalId) : null,
        created_at: created,
        updated_at: stamp(u.updated_at, created),
        time_zone: str(u.time_zone) ?? DEFAULT_TIME_ZONE,
        iana_time_zone: str(u.iana_time_zone) ?? DEFAULT_TIME_ZONE,
        phone: str(u.phone),
        shared_phone_number: typeof u.shared_phone_number === 'boolean' ? (u.shared_phone_number ? 1 : 0) : null,
        locale_id: int(u.locale_id) ?? 1,
        locale: str(u.locale) ?? 'en-US',
        organization_id: int(u.organization_id),
        role,
        verified: flag(u.verified, false),
        tags: JSON.stringify(Array.isArray(u.tags) ? u.tags.filter(t => typeof t === 'string') : []),
        alias: str(u.alias),
        active: active ? 1 : 0,
        signature: str(u.signature),
        details: str(u.details),
        notes: str(u.notes),
        role_type: int(u.role_type) ?? (role === 'admin' ? 4 : null),
        custom_role_id: int(u.custom_role_id),
        moderator: flag(u.moderator, role === 'admin'),
        ticket_restriction: u.ticket_restriction === undefined ? (role === 'end-user' ? 'requested' : null) : str(u.ticket_restriction),
        only_private_comments: flag(u.only_private_comments, false),
        restricted_agent: flag(u.restricted_agent, role === 'end-user'),
        suspended: flag(u.suspended, false),
        default_group_id: int(u.default_group_id),
        user_fields: JSON.stringify(isHash(u.user_fields) ? u.user_fields as Record<string, Scalar> : {})
      }
    })
    let identityRows: IdentityRow[]
    if (data.identities !== undefined) {
      identityRows = identities.map((i, n) => {
        const type = str(i.type)
        const value = str(i.value)
        const userId = int(i.user_id)
        if (!type || !value || userId === null) throw new LoadError(`zendesk.identities[${n}] needs type, value and user_id`)
        const created = stamp(i.created_at, now)
        return { account_id: accountId, id: int(i.id) ?? next('zendesk_identities'), user_id: userId, type, value, value_key: fold(value), verified: flag(i.verified, false), is_primary: flag(i.primary, false), created_at: created, updated_at: stamp(i.updated_at, created) }
      })
    } else {
      // A seed without identities: each active user's email is its primary identity.
      identityRows = []
      for (const u of userRows) {
        if (u.active && u.email) identityRows.push({ account_id: accountId, id: next('zendesk_identities'), user_id: u.id, type: 'email', value: u.email, value_key: fold(u.email), verified: u.verified, is_primary: 1, created_at: u.created_at, updated_at: u.updated_at })
      }
    }
    try {
      store.insertRaw(userRows, identityRows, orgRows)
    } catch (err) {
      const code = (err as { code?: string }).code ?? ''
      if (code.startsWith('SQLITE_CONSTRAINT')) throw new LoadError(`zendesk data breaks a uniqueness rule (${(err as Error).message})`)
      throw err
    }
    store.bumpSequence(accountId, 'zendesk_users', maxId(userRows))
    store.bumpSequence(accountId, 'zendesk_identities', maxId(identityRows))
    store.bumpSequence(accountId, 'zendesk_organizations', maxId(orgRows))
    return { users: userRows.length, identities: identityRows.length, organizations: orgRows.length, ...(fieldCount > 0 ? { user_fields: fieldCount } : {}) }
  })()
}
