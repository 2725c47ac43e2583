/**
 * DRF's exceptions as User.com answers them: `{"detail": "..."}` bodies with DRF's exact texts,
 * validation errors as `{"field": ["message"]}`, and Django's own edges (301, HTML 500).
 *
 * @see https://github.com/encode/django-rest-framework/blob/master/rest_framework/exceptions.py
 */
export class DrfError extends Error {
  readonly statusCode: number
  readonly body: unknown
  readonly headers: Record<string, string>
  /** Set when the answer must not carry the negotiated media type (406 is rendered with the first renderer). */
  readonly forceJson: boolean

  constructor (statusCode: number, body: unknown, headers: Record<string, string> = {}, forceJson = false) {
    super(typeof body === 'object' && body !== null && 'detail' in body ? String((body as { detail: unknown }).detail) : `HTTP ${statusCode}`)
    this.statusCode = statusCode
    this.body = body
    this.headers = headers
    this.forceJson = forceJson
  }
}

export type ValidationErrors = Record<string, unknown>

const detail = (status: number, text: string, headers: Record<string, string> = {}, forceJson = false): DrfError =>
  new DrfError(status, { detail: text }, headers, forceJson)

const TOKEN_CHALLENGE = { 'www-authenticate': 'Token' }

export const errors = {
  notAuthenticated: () => detail(401, 'Authentication credentials were not provided.', TOKEN_CHALLENGE),
  authenticationFailed: (text: string) => detail(401, text, TOKEN_CHALLENGE),
  notFound: (text = 'Not found.') => detail(404, text),
  methodNotAllowed: (method: string, allow: string) => detail(405, `Method "${method}" not allowed.`, { allow }),
  notAcceptable: () => detail(406, 'Could not satisfy the request Accept header.', {}, true),
  invalidVersion: () => detail(406, 'Invalid version in "Accept" header.', {}, true),
  unsupportedMediaType: (contentType: string) => detail(415, `Unsupported media type "${contentType}" in request.`),
  parseError: (text: string) => detail(400, text),
  malformed: () => detail(400, 'Malformed request.'),
  /** DRF's Throttled: `wait` is already whole seconds (ceil), as is `Retry-After`. */
  throttled: (wait: number) => detail(429, `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`, { 'retry-after': String(wait) }),
  // Not emulated: the real limit sits in front of Django (a proxy) and its answer is unknown; this keeps DRF's shape.
  tooLarge: () => detail(413, 'Request body too large.'),
  validation: (fields: ValidationErrors) => new DrfError(400, fields)
}

/** Django's production 500 page (DEBUG = False). */
export const DJANGO_500 = '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n'

/** DRF's standard field messages. */
export const MESSAGES = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  notString: 'Not a valid string.',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  nullCharacters: 'Null characters are not allowed.',
  surrogate: (cp: number) => `Surrogate characters are not allowed: U+${cp.toString(16).toUpperCase()}.`,
  email: 'Enter a valid email address.',
  integer: 'A valid integer is required.',
  integerTooLong: 'String value too large.',
  maxValue: (n: number) => `Ensure this value is less than or equal to ${n}.`,
  minValue: (n: number) => `Ensure this value is greater than or equal to ${n}.`,
  choice: (input: string) => `"${input}" is not a valid choice.`,
  boolean: 'Must be a valid boolean.',
  notAList: (type: string) => `Expected a list of items but got type "${type}".`,
  notADict: (type: string) => `Invalid data. Expected a dictionary, but got ${type}.`,
  noData: 'No data provided',
  number: 'A valid number is required.',
  notADictField: (type: string) => `Expected a dictionary of items but got type "${type}".`,
  tooManyAttributes: (max: number, got: number) => `Too many custom attributes in one request: ${got} (at most ${max}).`,
  unique: (field: string) => `client user with this ${field.replace(/_/g, ' ')} already exists.`
}
