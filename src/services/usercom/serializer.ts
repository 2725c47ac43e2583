import { domainToASCII } from 'node:url'
import { MESSAGES, errors, type ValidationErrors } from './errors.js'
import { UploadedFile, type QueryDict, type RequestData } from './parsers.js'
import { PyFloat, pyStr, pyTypeName, type PyDict, type PyValue } from './pyjson.js'

/**
 * The users serializer, DRF style: fields validated in declaration order, each with DRF's
 * coercions (`"2"` is a valid choice, `"yes"` a boolean, `5.0` an integer) and exact messages,
 * errors keyed in field order. Declaration order follows the documented "allowed attributes"
 * list (alphabetical), then `tags`.
 *
 * @see https://github.com/encode/django-rest-framework/blob/master/rest_framework/fields.py
 */
type Input = PyValue | UploadedFile

interface Base { name: string, column?: string }
type FieldSpec = Base & (
  | { kind: 'char', maxLength: number, allowNull: boolean, allowBlank: boolean, email?: boolean }
  | { kind: 'int', allowNull: boolean }
  | { kind: 'choice', choices: number[] }
  | { kind: 'bool' }
  | { kind: 'tags' }
)

export type ApiVersion = 1 | 2

/** Columns the serializer writes, by column name. */
export type UserColumns = Record<string, string | number | null>

export interface UserChanges {
  columns: UserColumns
  /** The custom id the request matches on: undefined when absent. */
  match: string | null | undefined
  tags: string[] | undefined
  /** The client's company identifier (v1 `company_id`, v2 `company_custom_id`). */
  company: string | null | undefined
  /** Unknown keys, in request order: custom attributes. */
  attributes: Array<[string, PyValue]>
  /** `user_id` (v1) or `custom_id` (v2): the key errors about the custom id go under. */
  matchField: string
}

export interface SerializerOptions {
  version: ApiVersion
  /** Django's EmailValidator instead of the lenient default check. */
  strictEmail: boolean
}

const INT_MIN = -2147483648
const INT_MAX = 2147483647

const str = (name: string, maxLength = 255, column?: string): FieldSpec => ({ name, kind: 'char', maxLength, allowNull: true, allowBlank: true, ...(column ? { column } : {}) })

function fieldsFor (version: ApiVersion): FieldSpec[] {
  return [
    { name: 'assigned_to', kind: 'int', allowNull: true },
    str('city', 64),
    { name: version === 2 ? 'company_custom_id' : 'company_id', kind: 'char', maxLength: 255, allowNull: true, allowBlank: false, column: '@company' },
    str('country'),
    { name: 'email', kind: 'char', maxLength: 254, allowNull: true, allowBlank: true, email: true },
    str('facebook_url'),
    str('first_name', 40),
    { name: 'gender', kind: 'choice', choices: [1, 2, 3] },
    str('google_url'),
    str('gravatar_url'),
    str('last_name', 40),
    str('linkedin_url'),
    { name: 'notifications', kind: 'bool' },
    str('phone_number', 64),
    str('region'),
    { name: 'score', kind: 'int', allowNull: false },
    { name: 'status', kind: 'choice', choices: [1, 2] },
    str('timezone'),
    str('twitter_url'),
    { name: 'unsubscribed', kind: 'bool' },
    { name: version === 2 ? 'custom_id' : 'user_id', kind: 'char', maxLength: 255, allowNull: true, allowBlank: false, column: 'user_id' },
    { name: 'tags', kind: 'tags' }
  ]
}

const FIELDS: Record<ApiVersion, FieldSpec[]> = { 1: fieldsFor(1), 2: fieldsFor(2) }
const NAMES: Record<ApiVersion, Set<string>> = { 1: new Set(FIELDS[1].map(f => f.name)), 2: new Set(FIELDS[2].map(f => f.name)) }
/** Keys of the other API generation: v2 clients (the Magento plugin) send both ids. */
const IGNORED: Record<ApiVersion, Set<string>> = { 1: new Set(), 2: new Set(['user_id', 'company_id']) }

const EMPTY = Symbol('empty')
type Got = Input | Input[] | typeof EMPTY

class FieldError {
  readonly detail: unknown
  constructor (detail: unknown) { this.detail = detail }
}
const fail = (message: string): never => { throw new FieldError([message]) }

/** The match key's field name in this API generation. */
export const matchField = (version: ApiVersion): string => version === 2 ? 'custom_id' : 'user_id'

/**
 * Validates a users payload. Every request here is partial (only the keys sent change): the
 * documented update_or_create "updates his profile with provided data". Throws DRF's 400.
 */
export function validateUser (data: RequestData, options: SerializerOptions): UserChanges {
  const fields = FIELDS[options.version]
  let get: (f: FieldSpec) => Got
  let unknown: Array<[string, PyValue]>
  if (data.kind === 'json') {
    const value = data.value
    if (value === null) throw errors.validation({ non_field_errors: [MESSAGES.noData] })
    if (!(value instanceof Map)) throw errors.validation({ non_field_errors: [MESSAGES.notADict(pyTypeName(value))] })
    get = f => value.has(f.name) ? value.get(f.name)! : EMPTY
    unknown = [...value].filter(([k]) => !NAMES[options.version].has(k) && !IGNORED[options.version].has(k))
  } else {
    const dict = data.dict
    get = f => htmlValue(dict, f)
    unknown = []
    for (const [k, values] of dict) {
      if (NAMES[options.version].has(k) || IGNORED[options.version].has(k) || /^tags\[\d+\]$/.test(k)) continue
      const last = values[values.length - 1]!
      unknown.push([k, last instanceof UploadedFile ? last.filename : last])
    }
  }

  const errs: ValidationErrors = {}
  const out: UserChanges = { columns: {}, match: undefined, tags: undefined, company: undefined, attributes: [], matchField: matchField(options.version) }
  for (const f of fields) {
    const raw = get(f)
    if (raw === EMPTY) continue
    try {
      const value = runField(f, raw, options)
      if (f.kind === 'tags') out.tags = value as string[]
      else if (f.column === '@company') out.company = value as string | null
      else {
        out.columns[f.column ?? f.name] = value as string | number | null
        if (f.column === 'user_id') out.match = value as string | null
      }
    } catch (err) {
      if (err instanceof FieldError) errs[f.name] = err.detail
      else throw err
    }
  }
  if (Object.keys(errs).length > 0) throw errors.validation(errs)
  out.attributes = capAttributes(unknown.filter(([k]) => k.length >= 1 && k.length <= 255))
  return out
}

/** DRF's `Field.get_value` for QueryDict input (form and multipart bodies). */
function htmlValue (dict: QueryDict, f: FieldSpec): Got {
  if (f.kind === 'tags') {
    const values = dict.get(f.name)
    if (values && values.length > 0) return values
    // DRF's parse_html_list: tags[0]=a&tags[1]=b
    const indexed: Array<[number, Input]> = []
    for (const [k, v] of dict) {
      const m = /^tags\[(\d+)\]$/.exec(k)
      if (m) indexed.push([Number(m[1]), v[v.length - 1]!])
    }
    if (indexed.length === 0) return EMPTY
    return indexed.sort((a, b) => a[0] - b[0]).map(([, v]) => v)
  }
  const values = dict.get(f.name)
  if (!values) return EMPTY
  const ret = values[values.length - 1]!
  const allowNull = (f.kind === 'char' || f.kind === 'int') && f.allowNull
  const allowBlank = f.kind === 'char' && f.allowBlank
  if (ret === '' && allowNull) return allowBlank ? '' : null
  if (ret === '') return allowBlank ? '' : EMPTY
  return ret
}

function runField (f: FieldSpec, data: Input | Input[], options: SerializerOptions): unknown {
  const allowNull = (f.kind === 'char' || f.kind === 'int') && f.allowNull
  if (data === null) {
    if (!allowNull) fail(MESSAGES.null)
    return null
  }
  switch (f.kind) {
    case 'char': return charField(data as Input, f.maxLength, f.allowBlank, f.email === true, options)
    case 'int': return integerField(data as Input)
    case 'choice': return choiceField(data as Input, f.choices)
    case 'bool': return booleanField(data as Input)
    case 'tags': return listField(data as Input)
  }
}

function charField (data: Input, maxLength: number, allowBlank: boolean, email: boolean, options: SerializerOptions): string {
  if (data === '' || (typeof data === 'string' && data.trim() === '')) {
    if (!allowBlank) fail(MESSAGES.blank)
    return ''
  }
  if (typeof data === 'boolean' || !(typeof data === 'string' || typeof data === 'number' || typeof data === 'bigint' || data instanceof PyFloat)) fail(MESSAGES.notString)
  const value = pyStr(data as PyValue).trim()
  const messages: string[] = []
  if ([...value].length > maxLength) messages.push(MESSAGES.maxLength(maxLength))
  if (value.includes('\0')) messages.push(MESSAGES.nullCharacters)
  const surrogate = /[\ud800-\udfff]/.exec(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))
  if (surrogate) messages.push(MESSAGES.surrogate(surrogate[0].charCodeAt(0)))
  if (email && !(options.strictEmail ? djangoEmail(value) : lenientEmail(value))) messages.push(MESSAGES.email)
  if (messages.length > 0) throw new FieldError(messages)
  return value
}

/** The default check: something@something, no spaces (User.com's rules are unknown; §12 sends `a@b.c`). */
function lenientEmail (value: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(value)
}

// Django's own pattern, control characters included.
// eslint-disable-next-line no-control-regex
const USER_RE = /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")$/i
const DOMAIN_RE = /^(?:(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63})$/i

/** Django's EmailValidator (without IP-literal domains). */
export function djangoEmail (value: string): boolean {
  if (!value || !value.includes('@') || value.length > 320) return false
  const at = value.lastIndexOf('@')
  const user = value.slice(0, at)
  const domain = value.slice(at + 1)
  if (!USER_RE.test(user)) return false
  const ok = (d: string): boolean => DOMAIN_RE.test(d) && !d.endsWith('-')
  if (domain === 'localhost' || ok(domain)) return true
  const ascii = domainToASCII(domain)
  return ascii !== '' && ok(ascii)
}

/** DRF's IntegerField: `int(re.sub(r'\.0*\s*$', '', str(data)))`, with the model's 32-bit range. */
function integerField (data: Input): number {
  if (typeof data === 'string' && data.length > 1000) fail(MESSAGES.integerTooLong)
  if (data instanceof UploadedFile || typeof data === 'boolean' || Array.isArray(data) || data instanceof Map) fail(MESSAGES.integer)
  const text = pyStr(data as PyValue).replace(/\.0*\s*$/, '')
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text)
  if (!m) return fail(MESSAGES.integer)
  const n = BigInt(m[1] === '-' ? '-' + m[2]!.replace(/_/g, '') : m[2]!.replace(/_/g, ''))
  const messages: string[] = []
  if (n > BigInt(INT_MAX)) messages.push(MESSAGES.maxValue(INT_MAX))
  if (n < BigInt(INT_MIN)) messages.push(MESSAGES.minValue(INT_MIN))
  if (messages.length > 0) throw new FieldError(messages)
  return Number(n)
}

/** DRF's ChoiceField with integer keys: `str(data)` must be one of `'1'`, `'2'`, … */
function choiceField (data: Input, choices: number[]): number {
  const text = data instanceof UploadedFile ? data.filename : pyStr(data)
  const hit = choices.find(c => String(c) === text)
  if (hit === undefined) fail(MESSAGES.choice(text))
  return hit!
}

const TRUE = new Set(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1'])
const FALSE = new Set(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0'])

/** DRF's BooleanField: its TRUE_VALUES / FALSE_VALUES sets (1.0 == 1 in Python). */
function booleanField (data: Input): number {
  if (data === true) return 1
  if (data === false) return 0
  if (typeof data === 'string') {
    if (TRUE.has(data)) return 1
    if (FALSE.has(data)) return 0
  }
  const n = typeof data === 'number' ? data : typeof data === 'bigint' ? Number(data) : data instanceof PyFloat ? data.value : NaN
  if (n === 1) return 1
  if (n === 0) return 0
  return fail(MESSAGES.boolean)
}

/** DRF's ListField(child=CharField()): child errors keyed by index. */
function listField (data: Input | Input[]): string[] {
  if (!Array.isArray(data)) fail(MESSAGES.notAList(data instanceof UploadedFile ? 'InMemoryUploadedFile' : pyTypeName(data as PyValue)))
  const out: string[] = []
  const errs: Record<string, string[]> = {}
  ;(data as Input[]).forEach((item, i) => {
    try {
      if (item === null) fail(MESSAGES.null)
      out.push(charField(item, 255, false, false, { version: 1, strictEmail: false }))
    } catch (err) {
      if (err instanceof FieldError) errs[String(i)] = err.detail as string[]
      else throw err
    }
  })
  if (Object.keys(errs).length > 0) throw new FieldError(errs)
  return out
}

/** `set_attribute`'s body: `{"attribute": "<name>", "value": <any>}`. */
export function validateSetAttribute (data: RequestData): [string, PyValue] {
  const dict = asDict(data)
  const errs: ValidationErrors = {}
  const attribute = dict.get('attribute')
  let name = ''
  if (attribute === undefined) errs.attribute = [MESSAGES.required]
  else if (attribute === null) errs.attribute = [MESSAGES.null]
  else {
    try {
      name = charField(attribute, 255, false, false, { version: 1, strictEmail: false })
    } catch (err) {
      if (err instanceof FieldError) errs.attribute = err.detail
      else throw err
    }
  }
  if (!dict.has('value')) errs.value = [MESSAGES.required]
  if (Object.keys(errs).length > 0) throw errors.validation(errs)
  return [name, dict.get('value')!]
}

/** `set_multiple_attributes`' body: a flat object of attribute names and values. */
export function validateAttributes (data: RequestData): Array<[string, PyValue]> {
  return capAttributes([...asDict(data)].filter(([k]) => k.length >= 1 && k.length <= 255))
}

/** Custom attributes one request may set: Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000); User.com publishes no cap. */
export const MAX_ATTRIBUTES = 1000

function capAttributes (pairs: Array<[string, PyValue]>): Array<[string, PyValue]> {
  if (pairs.length > MAX_ATTRIBUTES) throw errors.validation({ non_field_errors: [MESSAGES.tooManyAttributes(MAX_ATTRIBUTES, pairs.length)] })
  return pairs
}

export interface EventInput { name: string, timestamp: number | undefined, data: PyValue }

/** Newest timestamp Python's datetime can hold (9999-12-31T23:59:59Z). */
const MAX_TIMESTAMP = 253402300799

/**
 * An event's body, `{name, timestamp, data}` (User.com's "Create event using user custom ID"):
 * `name` a string (required), `timestamp` UNIX seconds (optional: now), `data` an object
 * (optional: `{}`). DRF's CharField, FloatField and DictField messages, in that order.
 */
export function validateEvent (body: RequestData): EventInput {
  const dict = asDict(body)
  const errs: ValidationErrors = {}
  let name = ''
  const rawName = dict.get('name')
  if (rawName === undefined) errs.name = [MESSAGES.required]
  else if (rawName === null) errs.name = [MESSAGES.null]
  else {
    try {
      name = charField(rawName, 255, false, false, { version: 1, strictEmail: false })
    } catch (err) {
      if (err instanceof FieldError) errs.name = err.detail
      else throw err
    }
  }
  let timestamp: number | undefined
  const rawTs = dict.get('timestamp')
  if (rawTs === null) errs.timestamp = [MESSAGES.null]
  else if (rawTs !== undefined) {
    const text = typeof rawTs === 'string' ? rawTs.trim() : typeof rawTs === 'number' || typeof rawTs === 'bigint' ? String(rawTs) : rawTs instanceof PyFloat ? String(rawTs.value) : null
    const n = text === null || text === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? NaN : Number(text)
    if (Number.isNaN(n)) errs.timestamp = [MESSAGES.number]
    else if (n > MAX_TIMESTAMP) errs.timestamp = [MESSAGES.maxValue(MAX_TIMESTAMP)]
    else if (n < 0) errs.timestamp = [MESSAGES.minValue(0)]
    else timestamp = n
  }
  const data = dict.get('data') ?? new Map()
  if (!(data instanceof Map)) errs.data = [MESSAGES.notADictField(pyTypeName(data))]
  if (Object.keys(errs).length > 0) throw errors.validation(errs)
  return { name, timestamp, data }
}

function asDict (data: RequestData): PyDict {
  if (data.kind === 'form') {
    const out: PyDict = new Map()
    for (const [k, v] of data.dict) {
      const last = v[v.length - 1]!
      out.set(k, last instanceof UploadedFile ? last.filename : last)
    }
    return out
  }
  const value = data.value
  if (value === null) throw errors.validation({ non_field_errors: [MESSAGES.noData] })
  if (!(value instanceof Map)) throw errors.validation({ non_field_errors: [MESSAGES.notADict(pyTypeName(value))] })
  return value
}
