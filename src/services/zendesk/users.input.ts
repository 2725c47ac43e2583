import { InvalidAttribute } from './errors.js'

/**
 * Zendesk filters request parameters with its `stronger_parameters` gem before any model sees
 * them: a value of the wrong type is a 400 "Invalid attribute" naming the key, checked in the
 * order the client sent the keys. What passes is coerced (digit strings to integers, "true"/"1"
 * to booleans, which is how form-encoded bodies work) and handed on; unknown and read-only keys
 * are dropped without a word, as the "permissive API" support article says.
 * @see https://github.com/zendesk/stronger_parameters
 */

export type Scalar = string | number | boolean | null

export interface IdentityInput { type: string, value: string }

/** A user as the request describes it; `undefined` means "not sent" (patch semantics). */
export interface UserInput {
  name?: string | null
  email?: string | null
  external_id?: string | null
  alias?: string | null
  details?: string | null
  notes?: string | null
  signature?: string | null
  phone?: string | null
  time_zone?: string | null
  locale?: string | null
  role?: string | null
  ticket_restriction?: string | null
  organization_id?: number | null
  custom_role_id?: number | null
  default_group_id?: number | null
  locale_id?: number | null
  verified?: boolean
  moderator?: boolean
  only_private_comments?: boolean
  restricted_agent?: boolean
  suspended?: boolean
  shared_phone_number?: boolean
  organization_name?: string
  tags?: string[]
  user_fields?: Record<string, Scalar>
  identities?: IdentityInput[]
  /** The body's `id` (read-only, but the per-user 429 message quotes it). */
  id?: string
}

type Rule = 'string' | 'integer' | 'boolean' | 'hash' | 'array'

/** The writable fields and their types (§1.2); everything else a client sends is ignored. */
export const USER_FIELD_RULES: Record<string, Rule> = {
  name: 'string',
  email: 'string',
  external_id: 'string',
  alias: 'string',
  details: 'string',
  notes: 'string',
  signature: 'string',
  phone: 'string',
  time_zone: 'string',
  locale: 'string',
  role: 'string',
  ticket_restriction: 'string',
  remote_photo_url: 'string',
  organization_id: 'integer',
  custom_role_id: 'integer',
  default_group_id: 'integer',
  locale_id: 'integer',
  verified: 'boolean',
  moderator: 'boolean',
  only_private_comments: 'boolean',
  restricted_agent: 'boolean',
  suspended: 'boolean',
  shared_phone_number: 'boolean',
  skip_verify_email: 'boolean',
  organization: 'hash',
  user_fields: 'hash',
  photo: 'hash',
  identities: 'array',
  tags: 'array',
  agent_brand_ids: 'array'
}

const MESSAGES: Record<Rule, string> = {
  string: 'must be a string',
  integer: 'must be an integer',
  boolean: 'must be either true or false',
  hash: 'must be a hash',
  array: 'must be an array'
}

const INTEGER_TEXT = /^-?\d+$/

export function isHash (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Numbers are taken where a string is due: clients commonly send `external_id: 42`, and
 * Zendesk stores it as "42". Booleans, hashes and arrays are refused.
 */
function asString (v: unknown): string | null | undefined {
  if (v === null) return null
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return undefined
}

function asInteger (v: unknown): number | null | undefined {
  if (v === null) return null
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v
  if (typeof v === 'string' && INTEGER_TEXT.test(v)) {
    const n = Number(v)
    return Number.isSafeInteger(n) ? n : undefined
  }
  return undefined
}

const TRUE = new Set<unknown>([true, 'true', '1', 1])
const FALSE = new Set<unknown>([false, 'false', '0', 0])

/** Parses one value against its rule; `undefined` from a parser means the value breaks it. */
function check (key: string, rule: Rule, value: unknown, action: string): unknown {
  let out: unknown
  switch (rule) {
    case 'string': out = asString(value); break
    case 'integer': out = asInteger(value); break
    case 'boolean': out = value === null ? null : TRUE.has(value) ? true : FALSE.has(value) ? false : undefined; break
    case 'hash': out = value === null || isHash(value) ? value : undefined; break
    case 'array': out = value === null || Array.isArray(value) || (key === 'tags' && typeof value === 'string') ? value : undefined; break
  }
  if (out === undefined) throw new InvalidAttribute(key, MESSAGES[rule], action)
  return out
}

const TAG_SPLIT = /[\s,]+/

function parseTags (value: unknown, action: string): string[] {
  const items = typeof value === 'string' ? value.split(TAG_SPLIT) : (value as unknown[] | null) ?? []
  const tags: string[] = []
  for (const item of items) {
    const s = asString(item)
    if (s === undefined) throw new InvalidAttribute('tags', MESSAGES.string, action)
    // Tags are single words: a tag with spaces becomes several, as in Zendesk's UI.
    for (const tag of (s ?? '').split(TAG_SPLIT)) if (tag !== '' && !tags.includes(tag)) tags.push(tag)
  }
  return tags
}

function parseIdentities (value: unknown, action: string): IdentityInput[] {
  const out: IdentityInput[] = []
  for (const item of (value as unknown[] | null) ?? []) {
    if (!isHash(item)) throw new InvalidAttribute('identities', MESSAGES.hash, action)
    const type = check('type', 'string', item.type ?? null, action) as string | null
    const val = check('value', 'string', item.value ?? null, action) as string | null
    if (type && val) out.push({ type: type.trim().toLowerCase(), value: val.trim() })
  }
  return out
}

function parseUserFields (value: Record<string, unknown> | null): Record<string, Scalar> {
  const out: Record<string, Scalar> = {}
  if (!value) return out
  for (const [k, v] of Object.entries(value)) {
    // Custom field values are scalars; anything else is dropped like any wrong custom value.
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = v
  }
  return out
}

/**
 * Reads the `user` parameter of a request body. `raw` is the whole parsed body (any JSON value,
 * or the object qs made of a form); anything but a hash at the top means no parameters at all.
 */
export function parseUserParams (body: unknown, action: string): UserInput {
  const raw = isHash(body) ? body.user : undefined
  if (raw === undefined || raw === null) return {}
  if (!isHash(raw)) throw new InvalidAttribute('user', MESSAGES.hash, action)
  return parseUserHash(raw, action)
}

export function parseUserHash (raw: Record<string, unknown>, action: string): UserInput {
  const input: UserInput = {}
  const target = input as Record<string, unknown>
  for (const key of Object.keys(raw)) {
    const value = raw[key]
    if (key === 'id') {
      const id = asString(value)
      if (id) input.id = id
      continue
    }
    const rule = USER_FIELD_RULES[key]
    if (rule === undefined || value === undefined) continue
    const parsed = check(key, rule, value, action)
    switch (key) {
      case 'tags': input.tags = parseTags(parsed, action); break
      case 'identities': input.identities = parseIdentities(parsed, action); break
      case 'user_fields': input.user_fields = parseUserFields(parsed as Record<string, unknown> | null); break
      case 'organization': {
        const name = isHash(parsed) ? asString(parsed.name) : undefined
        if (typeof name === 'string' && name.trim() !== '') input.organization_name = name.trim()
        break
      }
      // Write-only or not emulated: accepted for their type, then dropped.
      case 'photo': case 'remote_photo_url': case 'agent_brand_ids': case 'skip_verify_email': break
      default:
        // A null boolean is "not sent": there is no "no value" for a flag.
        if (rule === 'boolean' && parsed === null) break
        target[key] = parsed
    }
  }
  return input
}
