import type { ValidationProblem } from './errors.js'
import { isHash, type Scalar } from './users.input.js'

/**
 * Zendesk's account-defined user fields (§10.3): the definitions' wire shape, and what a
 * definition does to a user's `user_fields` values (type checks, normalisation, the checkbox tag,
 * rendering every defined key in alphabetical order).
 * @see https://developer.zendesk.com/api-reference/ticketing/users/user_fields/
 */

export const FIELD_TYPES = ['text', 'textarea', 'checkbox', 'date', 'integer', 'decimal', 'regexp', 'dropdown', 'tagger'] as const
export type FieldType = typeof FIELD_TYPES[number]
const TYPES = new Set<string>(FIELD_TYPES)

/** The date fields' `regexp_for_validation`, as recorded (user-fields #000). */
export const DATE_PATTERN = '\\A([0-9]{4})-(1[0-2]|0[1-9])-(3[01]|[12][0-9]|0[1-9])\\z'

export interface FieldOption { id: number, name: string, value: string }

export interface FieldRow {
  account_id: string
  id: number
  type: string
  key: string
  title: string
  description: string
  position: number
  active: number
  regexp_for_validation: string | null
  tag: string | null
  /** JSON array of FieldOption (dropdown and tagger only; `[]` otherwise). */
  options: string
  created_at: string
  updated_at: string
}

/** What a user write needs of a definition, parsed once per account (sorted by key). */
export interface FieldView {
  key: string
  type: FieldType
  title: string
  tag: string | null
  pattern: RegExp | null
  options: Set<string>
}

export function fieldUrl (origin: string, id: number): string {
  return `${origin}/api/v2/user_fields/${id}.json`
}

/** A definition in the recorded key order; `tag` for checkboxes, `custom_field_options` for dropdowns. */
export function renderField (f: FieldRow, origin: string) {
  const base = {
    url: fieldUrl(origin, f.id),
    id: f.id,
    type: f.type,
    key: f.key,
    title: f.title,
    description: f.description,
    raw_title: f.title,
    raw_description: f.description,
    position: f.position,
    active: f.active === 1,
    system: false,
    regexp_for_validation: f.regexp_for_validation,
    created_at: f.created_at,
    updated_at: f.updated_at
  }
  if (f.type === 'checkbox') return { ...base, tag: f.tag }
  if (isDropdown(f.type)) {
    const options = JSON.parse(f.options) as FieldOption[]
    return { ...base, custom_field_options: options.map(o => ({ id: o.id, name: o.name, raw_name: o.name, value: o.value })) }
  }
  return base
}

export const isDropdown = (type: string): boolean => type === 'dropdown' || type === 'tagger'
export const isFieldType = (s: unknown): s is FieldType => typeof s === 'string' && TYPES.has(s)

/** Ruby's `\A…\z` anchors in JavaScript; an unreadable pattern matches nothing. */
export function rubyPattern (source: string): RegExp {
  try {
    return new RegExp(source.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$'))
  } catch {
    return /(?!)/
  }
}

export function viewOf (f: FieldRow): FieldView {
  return {
    key: f.key,
    type: f.type as FieldType,
    title: f.title,
    tag: f.tag,
    pattern: f.type === 'regexp' && f.regexp_for_validation !== null ? rubyPattern(f.regexp_for_validation) : null,
    options: new Set((JSON.parse(f.options) as FieldOption[]).map(o => o.value))
  }
}

// ----- values -----

const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/
const DATE = /^(\d{4})-(1[0-2]|0[1-9])-(3[01]|[12]\d|0[1-9])(?:$|[T ])/
const TRUE = new Set<unknown>([true, 'true', '1', 1])
const FALSE = new Set<unknown>([false, 'false', '0', 0, ''])

/** A value's problem: the ticket fields' recorded wording (zenpy#425), keyed on `base`. */
const invalid = (f: FieldView): ValidationProblem => ({ description: `${f.title} is not valid`, error: 'InvalidValue' })

/** `undefined`: dropped without a word (a dropdown value that is not an option, as Zendesk does). */
type Outcome = { value: Scalar } | { problem: ValidationProblem } | undefined

/** One value checked and normalised against its definition; null always clears. */
export function normalise (f: FieldView, raw: Scalar): Outcome {
  if (raw === null) return { value: f.type === 'checkbox' ? false : null }
  switch (f.type) {
    case 'text': case 'textarea':
      return typeof raw === 'boolean' ? { problem: invalid(f) } : { value: String(raw) }
    case 'regexp': {
      const s = typeof raw === 'boolean' ? null : String(raw)
      if (s === '') return { value: null }
      return s !== null && f.pattern !== null && f.pattern.test(s) ? { value: s } : { problem: invalid(f) }
    }
    case 'integer': {
      if (raw === '') return { value: null }
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && INTEGER.test(raw.trim()) ? Number(raw.trim()) : NaN
      return Number.isSafeInteger(n) ? { value: n } : { problem: invalid(f) }
    }
    case 'decimal': {
      if (raw === '') return { value: null }
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw.trim()) : NaN
      return Number.isFinite(n) ? { value: n } : { problem: invalid(f) }
    }
    case 'checkbox':
      return TRUE.has(raw) ? { value: true } : FALSE.has(raw) ? { value: false } : { problem: invalid(f) }
    case 'date': {
      if (raw === '') return { value: null }
      const m = typeof raw === 'string' ? DATE.exec(raw.trim()) : null
      return m ? { value: `${m[1]}-${m[2]}-${m[3]}T00:00:00+00:00` } : { problem: invalid(f) }
    }
    case 'dropdown': case 'tagger': {
      if (raw === '') return { value: null }
      const s = typeof raw === 'boolean' ? '' : String(raw)
      return f.options.has(s) ? { value: s } : undefined
    }
  }
}

/**
 * `user_fields` as a user renders them: with definitions, every defined key in alphabetical
 * order, unset ones null (a checkbox false); without, the stored keys as they are.
 */
export function renderValues (stored: string, fields: readonly FieldView[]): Record<string, Scalar> {
  const values = stored === '{}' ? {} : JSON.parse(stored) as Record<string, Scalar>
  if (fields.length === 0) return values
  const out: Record<string, Scalar> = {}
  for (const f of fields) out[f.key] = values[f.key] ?? (f.type === 'checkbox' ? false : null)
  return out
}

// ----- definitions from requests and dumps -----

export interface FieldInput {
  type?: unknown
  key?: unknown
  title?: unknown
  description?: unknown
  position?: unknown
  active?: unknown
  regexp_for_validation?: unknown
  tag?: unknown
  custom_field_options?: unknown
}

export const asText = (v: unknown): string | undefined => typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined

/** `{name, value}` options; ids kept when given (a dump), else undefined for the store to make. */
export function parseOptions (v: unknown): Array<{ id: number | undefined, name: string, value: string }> | undefined {
  if (!Array.isArray(v)) return undefined
  const out: Array<{ id: number | undefined, name: string, value: string }> = []
  for (const o of v) {
    if (!isHash(o)) continue
    const name = asText(o.name)?.trim()
    const value = asText(o.value)?.trim()
    if (!name || !value) continue
    out.push({ id: typeof o.id === 'number' && Number.isSafeInteger(o.id) ? o.id : undefined, name, value })
  }
  return out
}

const KEY = /^[A-Za-z0-9_]+$/
const blank = (label: string): ValidationProblem => ({ description: `${label}: cannot be blank`, error: 'BlankValue' })

/**
 * The problems of a definition about to be written (chosen wording in Zendesk's `Label: …`
 * style; the vendor's own texts for these are not on record).
 */
export function definitionProblems (f: Pick<FieldRow, 'type' | 'key' | 'title' | 'regexp_for_validation'> & { optionCount: number }, keyTaken: boolean): Record<string, ValidationProblem[]> {
  const details: Record<string, ValidationProblem[]> = {}
  if (!isFieldType(f.type)) details.type = [{ description: 'Type: is invalid', error: 'InvalidValue' }]
  if (f.key === '') details.key = [blank('Key')]
  else if (!KEY.test(f.key) || /^\d+$/.test(f.key)) details.key = [{ description: 'Key: is invalid', error: 'InvalidValue' }]
  else if (keyTaken) details.key = [{ description: 'Key: has already been taken', error: 'DuplicateValue' }]
  if (f.title.trim() === '') details.title = [blank('Title')]
  if (f.type === 'regexp' && !f.regexp_for_validation) details.regexp_for_validation = [blank('Regexp for validation')]
  if (isDropdown(f.type) && f.optionCount === 0) details.custom_field_options = [blank('Custom field options')]
  return details
}
