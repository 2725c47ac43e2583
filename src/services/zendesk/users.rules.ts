import { RecordInvalid, type ValidationProblem } from './errors.js'
import type { IdentityInput, UserInput } from './users.input.js'
import { blankUser, type IdentityRow, type UserRow } from './users.model.js'
import { fold, IDENTITY_TYPES } from './vocabulary.js'
import { checkLengths, nameTooLong, tooLong } from './users.lengths.js'

/**
 * The checks a user's create or update passes before anything is written, and the 422
 * `RecordInvalid` details they give (§3). Create and update run the same checks: a create is a
 * change of a blank user. Problems are gathered, not thrown one by one, and keyed in the order
 * Zendesk's answers show them: name, email, external_id, value, organization_id.
 */

// Local part and domain without spaces or the characters Zendesk's validator refuses, and a dot
// in the domain: "<string>" from the Postman collection and "badmail" both fail it. No `_` in the
// domain (a host name cannot hold one): "x@example.com_" is refused (issue 13 point 2).
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"_]+\.[^\s@<>()[\]\\,;:"._]{2,}$/
export const isEmail = (s: string): boolean => EMAIL.test(s)

/** Trimmed, or null when nothing is left. */
export const nonEmpty = (s: string | null | undefined): string | null => {
  if (s === undefined || s === null) return null
  const t = s.trim()
  return t === '' ? null : t
}

const tooShort = (): ValidationProblem => ({ description: 'Name: is too short (minimum one character)', error: 'ValueTooShort' })
const malformed = (label: string, value: string): ValidationProblem => ({ description: `${label}: ${value} is not properly formatted` })
export const taken = (label: string, value: string): ValidationProblem => ({ description: `${label}: ${value} is already being used by another user`, error: 'DuplicateValue' })
export const externalTaken = (): ValidationProblem => ({ description: 'External has already been taken', error: 'DuplicateValue' })
const invalidOrganization = (): ValidationProblem => ({ description: 'Organization: is invalid', error: 'InvalidValue' })

/** Identities one user may hold, and one request may add (no documented cap: userdouble's choice, docs/zendesk.md). */
export const MAX_IDENTITIES = 100
export const tooManyIdentities = (): ValidationProblem => ({ description: `Identities: a user may have at most ${MAX_IDENTITIES} identities`, error: 'TooManyValues' })

/** What the checks read from the store, inside the request's transaction. */
export interface Lookups {
  userByExternalKey (accountId: string, key: string): UserRow | undefined
  identity (accountId: string, type: string, key: string): IdentityRow | undefined
  identityOwner (accountId: string, type: string, key: string): number | undefined
  identityCount (accountId: string, userId: number): number
  organizationExists (accountId: string, id: number): boolean
  /** The organization of that name (case-insensitive), created when there is none. */
  organizationNamed (accountId: string, name: string, now: number): number
}

export interface NewIdentity { type: string, value: string, verified: boolean, primary: boolean }

/** A change that passed the checks: what to write. */
export interface Changes {
  /** The user as it is to be written, the profile fields aside; a new user has no id yet. */
  row: UserRow
  /** Identities to add once the user row exists, in order. */
  add: NewIdentity[]
  /** An existing identity's new verification (`id`), or the primary email's (`id: undefined`). */
  verify?: { id: number | undefined, verified: number }
}

/**
 * Checks a create (`target` undefined) or an update of `target`; throws the 422 with every
 * problem found, or returns the changes to write.
 * Creating, the user is known to hold neither the external_id nor the e-mail yet (create_or_update
 * looked both up in the same transaction), so neither is looked up again.
 */
export function validateChanges (lookups: Lookups, accountId: string, target: UserRow | undefined, input: UserInput, now: number): Changes {
  const row: UserRow = target ? { ...target } : blankUser(accountId, input.verified ?? false)
  const details: Record<string, ValidationProblem[]> = {}
  const add: NewIdentity[] = []
  let verify: Changes['verify']

  if (!target || input.name !== undefined) {
    const name = nonEmpty(input.name)
    if (!name) details.name = [tooShort()]
    else if (nameTooLong(name)) details.name = [tooLong('name')]
    else row.name = name
  }

  const identities = (input.identities ?? []).filter(i => IDENTITY_TYPES.has(i.type))
  let email = nonEmpty(input.email)
  if (email === null && !target) {
    // The first email identity becomes the primary email when `email` is not sent.
    const first = identities.findIndex(i => i.type === 'email')
    if (first >= 0) email = identities.splice(first, 1)[0]?.value ?? null
  }
  // Email on update adds an identity (secondary unless the user has no email yet); it never
  // replaces the primary.
  if (email) {
    const owned = target && isEmail(email) ? lookups.identity(accountId, 'email', fold(email)) : undefined
    if (!isEmail(email)) {
      details.email = [malformed('Email', email)]
    } else if (owned && owned.user_id !== row.id) {
      details.email = [taken('Email', email)]
    } else if (owned) {
      if (input.verified !== undefined) {
        verify = { id: owned.id, verified: input.verified ? 1 : 0 }
        if (owned.is_primary) row.verified = verify.verified
      }
    } else {
      const primary = row.email === null
      add.push({ type: 'email', value: email, verified: input.verified ?? false, primary })
      if (primary) {
        row.email = email
        row.verified = input.verified ? 1 : 0
      }
    }
  } else if (email === '') {
    // A blank `identities` e-mail on create is kept as the user's email, with no identity.
    row.email = email
  } else if (target && input.verified !== undefined) {
    verify = { id: undefined, verified: input.verified ? 1 : 0 }
    row.verified = verify.verified
  }

  if (input.external_id !== undefined) {
    const externalId = nonEmpty(input.external_id)
    const key = externalId === null ? null : fold(externalId)
    const owner = !target || key === null || key === row.external_id_key ? undefined : lookups.userByExternalKey(accountId, key)
    if (owner && owner.id !== row.id) {
      details.external_id = [externalTaken()]
    } else {
      // Found by external_id, the stored casing becomes the request's (documented).
      row.external_id = externalId
      row.external_id_key = key
    }
  }

  const others = identities.filter(i => !sameIdentity(i, 'email', email) && !sameIdentity(i, 'phone_number', input.phone))
  const fresh = checkIdentities(lookups, accountId, others, target?.id, details)
  // The identities the user would hold: those it has, the e-mail added above, the new ones.
  if ((target ? lookups.identityCount(accountId, target.id) : 0) + add.length + fresh.length > MAX_IDENTITIES) details.identities = [tooManyIdentities()]
  for (const identity of fresh) {
    // An email identity becomes the primary email of a user who has none.
    const primary = identity.type === 'email' && row.email === null
    add.push({ type: identity.type, value: identity.value, verified: false, primary })
    if (primary) row.email = identity.value
  }
  const organizationId = resolveOrganization(lookups, accountId, input, now, details)
  checkLengths(input, details)
  if (Object.keys(details).length > 0) throw new RecordInvalid(details)
  if (organizationId !== undefined) row.organization_id = organizationId
  return { row, add, verify }
}

/** Identities from `identities`: a value another user holds is the recorded 422 on `value`. */
function checkIdentities (lookups: Lookups, accountId: string, identities: IdentityInput[], userId: number | undefined, details: Record<string, ValidationProblem[]>): IdentityInput[] {
  const fresh: IdentityInput[] = []
  // Issue 14 point 1: duplicates in the request found through a Set (it was a pairwise scan).
  const seen = new Set<string>()
  for (const identity of identities) {
    if (identity.type === 'email' && !isEmail(identity.value)) {
      (details.value ??= []).push(malformed('Value', identity.value))
      continue
    }
    const owner = lookups.identityOwner(accountId, identity.type, fold(identity.value))
    if (owner !== undefined && owner !== userId) (details.value ??= []).push(taken('Value', identity.value))
    else if (owner === undefined && !seen.has(`${identity.type}\u0000${fold(identity.value)}`)) {
      seen.add(`${identity.type}\u0000${fold(identity.value)}`)
      fresh.push(identity)
    }
  }
  return fresh
}

/**
 * `organization_id` must name an existing organization; `organization: {name}` joins the one of
 * that name (case-insensitive) or creates it, even when another check fails (its id is then
 * spent, as before). Returns undefined when neither is sent.
 */
function resolveOrganization (lookups: Lookups, accountId: string, input: UserInput, now: number, details: Record<string, ValidationProblem[]>): number | null | undefined {
  if (input.organization_id !== undefined) {
    if (input.organization_id === null) return null
    if (lookups.organizationExists(accountId, input.organization_id)) return input.organization_id
    details.organization_id = [invalidOrganization()]
    return undefined
  }
  if (input.organization_name === undefined) return undefined
  return lookups.organizationNamed(accountId, input.organization_name, now)
}

function sameIdentity (identity: IdentityInput, type: string, value: string | null | undefined): boolean {
  return identity.type === type && typeof value === 'string' && fold(identity.value) === fold(value.trim())
}
