import type { Account } from '../../kernel/accounts.js'
import { zendeskCredentials } from './auth.js'
import type { IdentityRow, OrganizationRow, UserRow } from './users.model.js'
import { DEFAULT_TIME_ZONE, ID_BASE, isoSeconds } from './vocabulary.js'
import type { Scalar } from './users.input.js'
import { renderValues, type FieldView } from './user-fields.model.js'

/** Rows to Zendesk's wire shapes, with URLs on the origin the client addressed. */

export function userUrl (origin: string, id: number): string {
  return `${origin}/api/v2/users/${id}.json`
}

/**
 * A user; `fields` are the account's user field definitions sorted by key (issue 13 point 4:
 * every defined key is rendered, null when unset), empty when it defines none.
 */
export function renderUser (r: UserRow, origin: string, fields: readonly FieldView[]) {
  return {
    id: r.id,
    url: userUrl(origin, r.id),
    name: r.name,
    email: r.email,
    created_at: r.created_at,
    updated_at: r.updated_at,
    time_zone: r.time_zone,
    iana_time_zone: r.iana_time_zone,
    phone: r.phone,
    shared_phone_number: r.shared_phone_number === null ? null : r.shared_phone_number === 1,
    photo: null,
    locale_id: r.locale_id,
    locale: r.locale,
    organization_id: r.organization_id,
    role: r.role as 'end-user' | 'agent' | 'admin',
    verified: r.verified === 1,
    external_id: r.external_id,
    // Most users have no tags and no custom fields: skip the parser for them (dumps of 1M users).
    tags: r.tags === '[]' ? [] : JSON.parse(r.tags) as string[],
    alias: r.alias,
    active: r.active === 1,
    shared: false,
    shared_agent: false,
    last_login_at: null,
    two_factor_auth_enabled: false,
    signature: r.signature,
    details: r.details,
    notes: r.notes,
    role_type: r.role_type,
    custom_role_id: r.custom_role_id,
    moderator: r.moderator === 1,
    ticket_restriction: r.ticket_restriction,
    only_private_comments: r.only_private_comments === 1,
    restricted_agent: r.restricted_agent === 1,
    suspended: r.suspended === 1,
    default_group_id: r.default_group_id,
    report_csv: false,
    user_fields: renderValues(r.user_fields, fields)
  }
}

export type RenderedUser = ReturnType<typeof renderUser>

export function renderIdentity (i: IdentityRow, origin: string) {
  return {
    url: `${origin}/api/v2/users/${i.user_id}/identities/${i.id}.json`,
    id: i.id,
    user_id: i.user_id,
    type: i.type,
    value: i.value,
    verified: i.verified === 1,
    primary: i.is_primary === 1,
    created_at: i.created_at,
    updated_at: i.updated_at,
    // Recorded on e-mail identities (§10.4); bounces are not emulated.
    ...(i.type === 'email' ? { undeliverable_count: 0, deliverable_state: 'deliverable' } : {})
  }
}

export function renderOrganization (o: OrganizationRow, origin: string) {
  return { url: `${origin}/api/v2/organizations/${o.id}.json`, id: o.id, name: o.name, created_at: o.created_at, updated_at: o.updated_at }
}

/** Template for users/me: what an end user with nothing set looks like. */
function blankUser () {
  return {
    id: null as number | null,
    url: null as string | null,
    name: 'Anonymous user',
    email: null as string | null,
    created_at: null as string | null,
    updated_at: null as string | null,
    time_zone: DEFAULT_TIME_ZONE,
    iana_time_zone: DEFAULT_TIME_ZONE,
    phone: null,
    shared_phone_number: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: 'end-user' as 'end-user' | 'agent' | 'admin',
    verified: false,
    // Right after verified, as recorded (zenpy-rec users/me, 2023).
    authenticity_token: '',
    external_id: null,
    tags: [] as string[],
    alias: null,
    active: true,
    shared: false,
    shared_agent: false,
    last_login_at: null,
    two_factor_auth_enabled: false as boolean | null,
    signature: null,
    details: null,
    notes: null,
    role_type: null as number | null,
    custom_role_id: null,
    moderator: false,
    ticket_restriction: 'requested' as string | null,
    only_private_comments: false,
    restricted_agent: true,
    suspended: false,
    default_group_id: null,
    report_csv: false,
    user_fields: {} as Record<string, Scalar>
  }
}

/** `GET users/me` without credentials (or with a wrong password): 200, the anonymous user. */
export function renderAnonymous (token: string) {
  return { ...blankUser(), authenticity_token: token }
}

/**
 * `GET users/me` for the account's agent. Not emulated: the agent is not a stored user (it would
 * count in dumps and searches); it has the id just below the first user's.
 */
export function renderAgent (account: Account, origin: string, token: string) {
  const localPart = zendeskCredentials(account).email.split('@')[0] ?? 'admin'
  return {
    ...blankUser(),
    id: ID_BASE,
    url: userUrl(origin, ID_BASE),
    name: localPart.charAt(0).toUpperCase() + localPart.slice(1),
    email: zendeskCredentials(account).email,
    created_at: isoSeconds(Date.parse(account.createdAt)),
    updated_at: isoSeconds(Date.parse(account.createdAt)),
    role: 'admin' as const,
    verified: true,
    two_factor_auth_enabled: null,
    role_type: 4,
    moderator: true,
    ticket_restriction: null,
    restricted_agent: false,
    authenticity_token: token
  }
}
