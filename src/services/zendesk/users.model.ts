import type { Scalar, UserInput } from './users.input.js'
import {
  AGENT_RESTRICTIONS, DEFAULT_LOCALE, DEFAULT_TIME_ZONE, END_USER_RESTRICTIONS, ianaZone, isRole, localeOf, type Role
} from './vocabulary.js'

/** The rows Zendesk's users, identities and organizations are stored as (SQLite's types). */

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

/** The columns of `zendesk_users`, in the order of the create insert's positional parameters. */
export const USER_COLUMNS = ['account_id', 'id', 'name', 'email', 'external_id', 'external_id_key', 'created_at', 'updated_at',
  'time_zone', 'iana_time_zone', 'phone', 'shared_phone_number', 'locale_id', 'locale', 'organization_id', 'role', 'verified', 'tags',
  'alias', 'active', 'signature', 'details', 'notes', 'role_type', 'custom_role_id', 'moderator', 'ticket_restriction',
  'only_private_comments', 'restricted_agent', 'suspended', 'default_group_id', 'user_fields'] as const satisfies ReadonlyArray<keyof UserRow>

/** A new end user with the account's defaults; id and timestamps are set when it is written. */
export function blankUser (accountId: string, verified: boolean): UserRow {
  return {
    account_id: accountId,
    id: 0,
    name: '',
    email: null,
    external_id: null,
    external_id_key: null,
    created_at: '',
    updated_at: '',
    time_zone: DEFAULT_TIME_ZONE,
    iana_time_zone: DEFAULT_TIME_ZONE,
    phone: null,
    shared_phone_number: null,
    locale_id: DEFAULT_LOCALE[0],
    locale: DEFAULT_LOCALE[1],
    organization_id: null,
    role: 'end-user',
    verified: verified ? 1 : 0,
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
}

/**
 * Role and the plain profile fields, in place; what Zendesk ignores (unknown roles, zones and
 * locales, restrictions the role may not have) is ignored. Role changes bring the role's
 * defaults (§2.2).
 */
export function applyProfile (row: UserRow, input: UserInput, creating: boolean): void {
  let role: Role | undefined = isRole(input.role) ? input.role : undefined
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
  // Issue 13 point 3: an alias set to null reads back "" (§10.2, #022); details and notes unrecorded.
  if (input.alias === null) row.alias = ''
  if (input.signature !== undefined && row.role !== 'end-user') row.signature = input.signature
  for (const key of ['moderator', 'only_private_comments', 'restricted_agent', 'suspended'] as const) {
    if (input[key] !== undefined) row[key] = input[key] ? 1 : 0
  }
  if (input.default_group_id !== undefined) row.default_group_id = input.default_group_id
  if (input.time_zone) {
    const iana = ianaZone(input.time_zone)
    if (iana) {
      row.time_zone = input.time_zone
      row.iana_time_zone = iana
    }
  }
  const locale = localeOf(input.locale, input.locale_id)
  if (locale) [row.locale_id, row.locale] = locale
  // Tags already held keep their stored order and new ones follow in the order sent (§10, #034, #047).
  if (input.tags !== undefined) row.tags = JSON.stringify(keepStoredOrder(JSON.parse(row.tags) as string[], input.tags))
  if (input.user_fields !== undefined) {
    const stored: Record<string, Scalar> = JSON.parse(row.user_fields)
    row.user_fields = JSON.stringify({ ...stored, ...input.user_fields })
  }
}

function keepStoredOrder (stored: string[], sent: string[]): string[] {
  if (stored.length === 0) return sent
  const wanted = new Set(sent)
  const kept = stored.filter(t => wanted.has(t))
  const held = new Set(kept)
  return [...kept, ...sent.filter(t => !held.has(t))]
}

/** Whether a patch changed nothing (then `updated_at` stays). */
export function sameRow (a: UserRow, b: UserRow): boolean {
  for (const key of USER_COLUMNS) if (a[key] !== b[key]) return false
  return true
}
