import type { PlaneName } from '../../src/openapi/planes.js'

/**
 * Bodies from the vendor research (`docs/evidence/zendesk.md`, `docs/evidence/usercom.md`),
 * copied verbatim with their evidence tag, attached to the generated documents as examples. A
 * test checks each against the schema it is attached to: the documents must accept what the
 * vendors were seen sending.
 */
export interface VendorExample {
  plane: PlaneName
  method: string
  /** An OpenAPI path, or `*` for every operation that declares the status. */
  path: string
  status: string
  name: string
  summary: string
  description?: string
  value: unknown
}

/** The recorded 201 of `POST /api/v2/users/create_or_update.json` (grouparoo, 2021-11-15), key order as on the wire. */
export const RECORDED_ZENDESK_USER = {
  user: {
    id: 421941820731,
    url: 'https://d3v-grouparoo.zendesk.com/api/v2/users/421941820731.json',
    name: 'John Doe',
    email: 'grouparoo@demo.com',
    created_at: '2021-11-15T23:20:11Z',
    updated_at: '2021-11-15T23:20:11Z',
    time_zone: 'Arizona',
    iana_time_zone: 'America/Phoenix',
    phone: null,
    shared_phone_number: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: 'end-user',
    verified: true,
    external_id: 'grouparoo123',
    tags: [],
    alias: null,
    active: true,
    shared: false,
    shared_agent: false,
    last_login_at: null,
    two_factor_auth_enabled: false,
    signature: null,
    details: null,
    notes: null,
    role_type: null,
    custom_role_id: null,
    moderator: false,
    ticket_restriction: 'requested',
    only_private_comments: false,
    restricted_agent: true,
    suspended: false,
    default_group_id: null,
    report_csv: false,
    user_fields: { checkbox_field: false, date_field: null, decimal_field: null, dropdown_field: null, multiline_field: null, numeric_field: null, regex_field: null, text_field: null }
  }
}

/** The documented `POST /users/` response of User.com's v1 docs (D6). */
export const DOCUMENTED_USERCOM_USER = {
  updated_at: '2017-06-13T12:22:38.748397Z',
  companies: [{ id: 14, name: 'Company name', member_since: '2018-06-14T08:49:56.515083Z' }],
  key: 'xSoYQG00fg9z',
  city: null,
  linkedin_url: null,
  tags: [],
  last_contacted: null,
  phone_number: null,
  facebook_url: null,
  notifications: true,
  region: null,
  timezone: null,
  status: 'visitor',
  gravatar_url: null,
  twitter_url: null,
  google_url: null,
  os_type: null,
  email: 'myemail@example.org',
  score: 0,
  unsubscribed: false,
  first_seen: null,
  page_views: 0,
  last_ip: null,
  chat_id: 'Chat ID is deprecated and will be removed in future',
  browser: null,
  gender: 'unknown',
  resolution: null,
  country: null,
  name: 'John Doe',
  created_at: '2017-06-13T12:22:38.748373Z',
  last_seen: null,
  lists: [],
  attributes: [],
  browser_language: null,
  id: 20901703
}

const ZD = '/api/v2'
const UC = '/api/public'

export const VENDOR_EXAMPLES: VendorExample[] = [
  // Zendesk
  { plane: 'zendesk', method: 'post', path: `${ZD}/users/create_or_update`, status: '201', name: 'recorded', summary: 'Recorded 201 (a live account, 2021) [REC]', value: RECORDED_ZENDESK_USER },
  { plane: 'zendesk', method: 'post', path: `${ZD}/users/create_or_update`, status: '200', name: 'recordedShape', summary: 'An update answers the same full user (the recorded shape) [DOC]', value: RECORDED_ZENDESK_USER },
  { plane: 'zendesk', method: 'get', path: `${ZD}/users/{id}`, status: '200', name: 'recordedShape', summary: 'The full user, as the recorded 201 shows it [REC]', value: RECORDED_ZENDESK_USER },
  { plane: 'zendesk', method: 'put', path: `${ZD}/users/{id}`, status: '200', name: 'recordedShape', summary: 'The full user, as the recorded 201 shows it [REC]', value: RECORDED_ZENDESK_USER },
  { plane: 'zendesk', method: '*', path: '*', status: '422', name: 'badEmail', summary: 'Malformed e-mail (recorded 2021, no error code) [REC]', value: { error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email: badmail is not properly formatted' }] } } },
  { plane: 'zendesk', method: '*', path: '*', status: '422', name: 'emailTaken', summary: 'E-mail owned by another user (recorded 2015) [REC]', value: { error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email: scooby@doo.com is already being used by another user', error: 'DuplicateValue' }] } } },
  { plane: 'zendesk', method: '*', path: '*', status: '422', name: 'nameTooShort', summary: 'Missing or empty name, e.g. a body without the `user` key [REC fixture]', value: { error: 'RecordInvalid', description: 'Record validation errors', details: { name: [{ description: 'Name: is too short (minimum one character)', error: 'ValueTooShort' }] } } },
  { plane: 'zendesk', method: '*', path: '*', status: '429', name: 'perUser', summary: 'Per end-user limit of create_or_update / PUT users/{id}, text/plain (recorded 2021) [REC]', value: 'You have exceeded the rate limit for updating a single unique user. user email:  id:  external_id: ' },
  { plane: 'zendesk', method: '*', path: '*', status: '429', name: 'account', summary: 'Account-wide per-minute limit, text/plain', value: 'Number of allowed API requests per minute exceeded' },
  { plane: 'zendesk', method: '*', path: '*', status: '401', name: 'basic', summary: 'Missing or wrong Basic credentials [REC]', value: { error: "Couldn't authenticate you" } },
  { plane: 'zendesk', method: '*', path: '*', status: '401', name: 'bearer', summary: 'Invalid or expired OAuth token [ISSUE]', value: { error: 'invalid_token', error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.' } },
  { plane: 'zendesk', method: '*', path: '*', status: '403', name: 'forbidden', summary: 'Authenticated but not allowed (nested object) [REC]', value: { error: { title: 'Forbidden', message: 'You do not have access to this page. Please contact the account owner of this help desk for further help.' } } },
  { plane: 'zendesk', method: '*', path: '*', status: '404', name: 'recordNotFound', summary: 'Unknown id [REC]', value: { error: 'RecordNotFound', description: 'Not found' } },
  { plane: 'zendesk', method: 'get', path: `${ZD}/users/{id}`, status: '400', name: 'idNotInteger', summary: 'Non-integer id [DOC]', value: { error: { title: 'Invalid attribute', message: 'You passed an invalid value for the id attribute. Invalid parameter: id must be an integer from api/v2/users/show' } } },
  { plane: 'zendesk', method: 'post', path: `${ZD}/users/create_or_update_many`, status: '400', name: 'tooManyValues', summary: 'More than 100 users (recorded 2023) [REC]', value: { error: 'TooManyValues', description: 'Maximum 100 users may be created per call' } },
  { plane: 'zendesk', method: 'post', path: `${ZD}/users/create_or_update_many`, status: '200', name: 'queued', summary: 'A queued job (recorded 2023) [REC]', value: { job_status: { id: 'V3-bd4fe431443aac7f1af637c7b7b48534', url: 'https://userdouble.zendesk.com/api/v2/job_statuses/V3-bd4fe431443aac7f1af637c7b7b48534.json', total: 100, progress: null, status: 'queued', message: null, results: null } } },
  // User.com
  { plane: 'usercom', method: 'post', path: `${UC}/users/update_or_create/`, status: '201', name: 'created', summary: 'A new user (the body is documented; the status is userdouble\'s choice) [DOC]', value: { created: true, id: 5577 } },
  { plane: 'usercom', method: 'post', path: `${UC}/users/update_or_create/`, status: '200', name: 'updated', summary: 'An existing user, updated [INF]', value: { created: false, id: 5577 } },
  // D6 predates the v2 model's `assigned_to` (D5), which userdouble always renders.
  { plane: 'usercom', method: 'get', path: `${UC}/users/{id}/`, status: '200', name: 'documented', summary: 'The documented user object (v1 docs), plus `assigned_to` from the v2 model [DOC]', value: { ...DOCUMENTED_USERCOM_USER, assigned_to: null } },
  { plane: 'usercom', method: '*', path: '*', status: '400', name: 'tooLong', summary: 'DRF field error: string too long [DOC]+[DRF]', value: { first_name: ['Ensure this field has no more than 40 characters.'] } },
  { plane: 'usercom', method: '*', path: '*', status: '400', name: 'badChoice', summary: 'DRF field error: enum given as a label [CLIENT]+[DRF]', value: { gender: ['"male" is not a valid choice.'] } },
  { plane: 'usercom', method: '*', path: '*', status: '400', name: 'parseError', summary: 'DRF JSON parse error (a form body labelled application/json, as the old docs\' sample sends) [DRF]', value: { detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' } },
  { plane: 'usercom', method: '*', path: '*', status: '400', name: 'notAnObject', summary: 'DRF: the body is not an object [DRF]', value: { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] } },
  { plane: 'usercom', method: '*', path: '*', status: '401', name: 'missing', summary: 'No Authorization header [DRF]', value: { detail: 'Authentication credentials were not provided.' } },
  { plane: 'usercom', method: '*', path: '*', status: '401', name: 'invalid', summary: 'Unknown key [DRF]', value: { detail: 'Invalid token.' } },
  { plane: 'usercom', method: '*', path: '*', status: '404', name: 'notFound', summary: 'Unknown id [DRF]', value: { detail: 'Not found.' } },
  { plane: 'usercom', method: '*', path: '*', status: '429', name: 'throttled', summary: 'DRF throttling [DRF]', value: { detail: 'Request was throttled. Expected available in 42 seconds.' } }
]

export function examplesFor (plane: PlaneName, method: string, path: string, status: string): VendorExample[] {
  return VENDOR_EXAMPLES.filter(e => e.plane === plane && e.status === status &&
    (e.path === '*' || e.path === path) && (e.method === '*' || e.method === method))
}

/**
 * The request body Swagger UI's "Try it out" starts from, one per operation that takes a body:
 * a request the operation accepts as sent with the default account (Swagger UI would otherwise
 * build one from the schema, `"email": "string"`, which the vendors refuse). Operations on
 * `{id}` need an existing user's id; the body itself is valid. A test sends each one.
 */
export interface RequestExample { plane: PlaneName, method: string, path: string, summary: string, value: unknown }

const ADA = { name: 'Ada Lovelace', email: 'ada@example.com', external_id: 'ada-1' }
const UC_USER = { user_id: 'ada-1', email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', city: 'London' }

export const REQUEST_EXAMPLES: RequestExample[] = [
  { plane: 'zendesk', method: 'post', path: `${ZD}/users`, summary: 'Create a user (422 when the e-mail is taken)', value: { user: { name: 'Grace Hopper', email: 'grace@example.com', role: 'end-user' } } },
  { plane: 'zendesk', method: 'post', path: `${ZD}/user_fields`, summary: 'Define a text field', value: { user_field: { type: 'text', key: 'plan', title: 'Plan' } } },
  { plane: 'zendesk', method: 'put', path: `${ZD}/user_fields/{id}`, summary: 'Rename a field', value: { user_field: { title: 'Subscription plan' } } },
  { plane: 'zendesk', method: 'post', path: `${ZD}/users/{user_id}/identities`, summary: 'Add a secondary e-mail', value: { identity: { type: 'email', value: 'ada.work@example.com' } } },
  { plane: 'zendesk', method: 'put', path: `${ZD}/users/{user_id}/identities/{id}`, summary: 'Mark an identity verified', value: { identity: { verified: true } } },
  { plane: 'zendesk', method: 'post', path: `${ZD}/users/create_or_update`, summary: 'Create Ada (201), or update her when the e-mail or external id is known (200)', value: { user: { ...ADA, role: 'end-user', tags: ['vip'] } } },
  { plane: 'zendesk', method: 'post', path: `${ZD}/users/create_or_update_many`, summary: 'Two users in one job', value: { users: [ADA, { name: 'Grace Hopper', email: 'grace@example.com', external_id: 'grace-1' }] } },
  { plane: 'zendesk', method: 'put', path: `${ZD}/users/{id}`, summary: 'Rename a user and set a note', value: { user: { name: 'Ada King', notes: 'Countess of Lovelace' } } },
  { plane: 'usercom', method: 'post', path: `${UC}/users/update_or_create/`, summary: 'Create Ada (201), or update the user with that user_id (200)', value: UC_USER },
  { plane: 'usercom', method: 'post', path: `${UC}/users/`, summary: 'Create a user', value: { email: 'grace@example.com', first_name: 'Grace', last_name: 'Hopper' } },
  { plane: 'usercom', method: 'put', path: `${UC}/users/{id}/`, summary: 'Update a user', value: { first_name: 'Ada', city: 'London' } },
  { plane: 'usercom', method: 'patch', path: `${UC}/users/{id}/`, summary: 'Update some fields', value: { city: 'London' } },
  { plane: 'usercom', method: 'put', path: `${UC}/users-by-id/{custom_id}/`, summary: 'Update a user found by custom id', value: { first_name: 'Ada', city: 'London' } },
  { plane: 'usercom', method: 'patch', path: `${UC}/users-by-id/{custom_id}/`, summary: 'Update some fields', value: { city: 'London' } },
  { plane: 'usercom', method: 'post', path: `${UC}/users/{id}/events/`, summary: 'An event with data', value: { name: 'signed_up', data: { plan: 'pro' } } },
  { plane: 'usercom', method: 'post', path: `${UC}/users-by-id/{custom_id}/events/`, summary: 'An event with data', value: { name: 'signed_up', data: { plan: 'pro' } } },
  { plane: 'usercom', method: 'post', path: `${UC}/users/{id}/set_attribute/`, summary: 'Set one attribute', value: { attribute: 'city', value: 'London' } },
  { plane: 'usercom', method: 'post', path: `${UC}/users/{id}/set_multiple_attributes/`, summary: 'Set several attributes', value: { city: 'London', first_name: 'Ada' } },
  { plane: 'usercom', method: 'post', path: `${UC}/users-by-id/{custom_id}/set_attribute/`, summary: 'Set one attribute', value: { attribute: 'city', value: 'London' } },
  { plane: 'usercom', method: 'post', path: `${UC}/users-by-id/{custom_id}/set_multiple_attributes/`, summary: 'Set several attributes', value: { city: 'London', first_name: 'Ada' } },
  { plane: 'control', method: 'post', path: '/__mock/clock', summary: 'Move the clock one minute forward', value: { advance: 60 } },
  { plane: 'control', method: 'post', path: '/__mock/accounts', summary: 'An account for one test worker (credentials generated)', value: { name: 'worker 1' } },
  { plane: 'control', method: 'put', path: '/__mock/accounts/{id}/state', summary: 'Empty both vendors\' users', value: { zendesk: { users: [] }, usercom: { users: [] } } },
  { plane: 'control', method: 'put', path: '/__mock/accounts/{id}/rate-limits', summary: 'Ten requests a minute on Zendesk', value: { zendesk: { perMinute: 10 } } },
  { plane: 'control', method: 'post', path: '/__mock/faults', summary: 'The next create_or_update answers 503', value: { vendor: 'zendesk', method: 'POST', path: '/api/v2/users/create_or_update', times: 1, status: 503, body: { error: 'ServiceUnavailable' } } }
]

export function requestExampleFor (plane: PlaneName, method: string, path: string): RequestExample | undefined {
  return REQUEST_EXAMPLES.find(e => e.plane === plane && e.method === method && e.path === path)
}
