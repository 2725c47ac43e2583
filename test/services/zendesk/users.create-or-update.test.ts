import { readFileSync } from 'node:fs'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { JSON_TYPE, TEXT_TYPE, TOKEN_AUTH, createOrUpdate, get } from './helpers.js'

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/create-or-update-201.json', import.meta.url), 'utf8'))
const errors = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/recorded-errors.json', import.meta.url), 'utf8'))

const FIRST_ID = 360000000128
const T0 = '2024-01-01T00:00:00Z'

describe('POST /api/v2/users/create_or_update', () => {
  test('creates: 201, Location, and the recorded body with its keys in the recorded order', async ({ app }) => {
    const res = await createOrUpdate(app, fixture.request.body, { host: 'd3v-grouparoo.zendesk.test' })
    expect(res.statusCode).toBe(201)
    expect(res.headers['content-type']).toBe(JSON_TYPE)
    expect(res.headers.location).toBe(`http://d3v-grouparoo.zendesk.test/api/v2/users/${FIRST_ID}.json`)
    const expected = structuredClone(fixture.body)
    // What differs from the recording by design: id, origin, clock and the account's time zone.
    Object.assign(expected.user, {
      id: FIRST_ID,
      url: `http://d3v-grouparoo.zendesk.test/api/v2/users/${FIRST_ID}.json`,
      created_at: T0,
      updated_at: T0,
      time_zone: 'America/New_York',
      iana_time_zone: 'America/New_York'
    })
    expect(res.body).toBe(JSON.stringify(expected))
  })

  test('ids are 12 to 14 digits, 128 apart, per account', async ({ app }) => {
    const a = await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })
    const b = await createOrUpdate(app, { user: { name: 'B', email: 'b@example.com' } })
    expect(a.json().user.id).toBe(FIRST_ID)
    expect(b.json().user.id).toBe(FIRST_ID + 128)
    expect(String(b.json().user.id)).toMatch(/^\d{12,14}$/)
  })

  test('updates: 200, same id, Location, patch semantics (fields not sent are kept)', async ({ app, clock }) => {
    await createOrUpdate(app, { user: { name: 'John', email: 'john@example.com', external_id: 'ext-1', alias: 'JJ', notes: 'n', tags: ['a'] } })
    clock.advance(5000)
    const res = await createOrUpdate(app, { user: { external_id: 'ext-1', details: 'more' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers.location).toBe(`http://localhost:80/api/v2/users/${FIRST_ID}.json`)
    expect(res.json().user).toMatchObject({
      id: FIRST_ID,
      name: 'John',
      email: 'john@example.com',
      external_id: 'ext-1',
      alias: 'JJ',
      notes: 'n',
      details: 'more',
      tags: ['a'],
      created_at: T0,
      updated_at: '2024-01-01T00:00:05Z'
    })
  })

  test('an update that changes nothing keeps updated_at', async ({ app, clock }) => {
    await createOrUpdate(app, { user: { name: 'John', email: 'john@example.com' } })
    clock.advance(5000)
    const res = await createOrUpdate(app, { user: { name: 'John', email: 'john@example.com' } })
    expect(res.statusCode).toBe(200)
    expect(res.json().user.updated_at).toBe(T0)
  })

  test('the path without .json is the same endpoint; a doubled suffix is a 404', async ({ app }) => {
    const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update', headers: { authorization: TOKEN_AUTH }, payload: { user: { name: 'R', email: 'ruby@example.com' } } })
    expect(res.statusCode).toBe(201)
    const doubled = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json.json', headers: { authorization: TOKEN_AUTH }, payload: { user: { name: 'R' } } })
    expect(doubled.statusCode).toBe(404)
    expect(doubled.json()).toEqual(errors.invalidEndpoint)
  })

  test('form-urlencoded bracket notation, as Rails accepts it', async ({ app }) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v2/users/create_or_update.json',
      headers: { authorization: TOKEN_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'user[name]=Form+User&user[email]=form%40example.com&user[verified]=true&user[tags][]=a&user[tags][]=b&user[user_fields][plan]=pro&user[organization_id]=&user[alias]=',
    })
    // An empty value is not an integer to stronger_parameters either: the form's 400.
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toBe('You passed an invalid value for the organization_id attribute. Invalid parameter: organization_id must be an integer from api/v2/users/create_or_update')
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v2/users/create_or_update.json',
      headers: { authorization: TOKEN_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'user[name]=Form+User&user[email]=form%40example.com&user[verified]=true&user[tags][]=a&user[tags][]=b&user[user_fields][plan]=pro&user[alias]=',
    })
    expect(ok.statusCode).toBe(201)
    expect(ok.json().user).toMatchObject({ name: 'Form User', email: 'form@example.com', verified: true, tags: ['a', 'b'], user_fields: { plan: 'pro' }, alias: '' })
  })

  describe('matching', () => {
    test('external_id is case-insensitive and the stored casing becomes the request\'s', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'Ian', external_id: 'ian1' } })
      const res = await createOrUpdate(app, { user: { external_id: 'IAN1', name: 'Ian Two' } })
      expect(res.statusCode).toBe(200)
      expect(res.json().user).toMatchObject({ id: FIRST_ID, external_id: 'IAN1', name: 'Ian Two' })
    })

    test('email matches any identity, case-insensitively; a new email on update is a secondary identity', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'Mia', email: 'mia@example.com', external_id: 'mia' } })
      const added = await createOrUpdate(app, { user: { external_id: 'mia', email: 'mia.work@example.com' } })
      expect(added.statusCode).toBe(200)
      expect(added.json().user.email).toBe('mia@example.com')
      const bySecondary = await createOrUpdate(app, { user: { email: 'MIA.WORK@example.com', notes: 'found' } })
      expect(bySecondary.statusCode).toBe(200)
      expect(bySecondary.json().user).toMatchObject({ id: FIRST_ID, email: 'mia@example.com', notes: 'found' })
    })

    test('external_id wins over email: the community post\'s 422 when the email is another user\'s', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'Owner of email', email: 'x@example.com' } })
      await createOrUpdate(app, { user: { name: 'Owner of external id', external_id: 'x@example.com' } })
      const res = await createOrUpdate(app, { user: { email: 'x@example.com', external_id: 'x@example.com' } })
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual({ error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email: x@example.com is already being used by another user', error: 'DuplicateValue' }] } })
    })

    test('found by email, an external_id held by another user is a 422 on external_id', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com', external_id: 'taken' } })
      await createOrUpdate(app, { user: { name: 'B', email: 'b@example.com' } })
      const res = await app.inject({ method: 'PUT', url: `/api/v2/users/${FIRST_ID + 128}.json`, headers: { authorization: TOKEN_AUTH }, payload: { user: { external_id: 'TAKEN' } } })
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual({ error: 'RecordInvalid', description: 'Record validation errors', details: { external_id: [{ description: 'External has already been taken', error: 'DuplicateValue' }] } })
    })

    test('found by email with a new external_id: the user takes it', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com' } })
      const res = await createOrUpdate(app, { user: { email: 'a@example.com', external_id: 'new-ext' } })
      expect(res.statusCode).toBe(200)
      expect(res.json().user).toMatchObject({ id: FIRST_ID, external_id: 'new-ext' })
    })

    test('deleted users never match: the same keys create a new user', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'Gone', email: 'gone@example.com', external_id: 'gone' } })
      await app.inject({ method: 'DELETE', url: `/api/v2/users/${FIRST_ID}.json`, headers: { authorization: TOKEN_AUTH } })
      const res = await createOrUpdate(app, { user: { name: 'Back', email: 'gone@example.com', external_id: 'gone' } })
      expect(res.statusCode).toBe(201)
      expect(res.json().user.id).toBe(FIRST_ID + 128)
    })
  })

  describe('fields', () => {
    test('tags replace, user_fields merge, read-only and unknown keys are ignored', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'T', email: 't@example.com', tags: ['a', 'b'], user_fields: { plan: 'free', seats: 1 } } })
      const res = await createOrUpdate(app, { user: { email: 't@example.com', tags: ['c'], user_fields: { plan: 'pro' }, id: 1, url: 'x', active: false, created_at: '2000-01-01T00:00:00Z', shared: true, favourite_colour: 'red' } })
      expect(res.statusCode).toBe(200)
      const user = res.json().user
      expect(user).toMatchObject({ id: FIRST_ID, tags: ['c'], user_fields: { plan: 'pro', seats: 1 }, active: true, shared: false, created_at: T0 })
      expect(user).not.toHaveProperty('favourite_colour')
    })

    test('organization: {name} joins an existing organization (case-insensitive) or creates it; organization_id must exist', async ({ app }) => {
      const a = await createOrUpdate(app, { user: { name: 'A', email: 'a@example.com', organization: { name: 'VIP Customers' } } })
      const orgId = a.json().user.organization_id
      expect(String(orgId)).toMatch(/^\d{12,14}$/)
      const b = await createOrUpdate(app, { user: { name: 'B', email: 'b@example.com', organization: { name: 'vip customers' } } })
      expect(b.json().user.organization_id).toBe(orgId)
      const c = await createOrUpdate(app, { user: { name: 'C', email: 'c@example.com', organization_id: orgId } })
      expect(c.json().user.organization_id).toBe(orgId)
      const d = await createOrUpdate(app, { user: { name: 'D', email: 'd@example.com', organization_id: 12345 } })
      expect(d.statusCode).toBe(422)
      expect(d.json()).toEqual({ error: 'RecordInvalid', description: 'Record validation errors', details: { organization_id: [{ description: 'Organization: is invalid', error: 'InvalidValue' }] } })
    })

    test('role defaults to end-user; admin and agent get their defaults; custom_role_id makes an agent', async ({ app }) => {
      const admin = await createOrUpdate(app, { user: { name: 'Ad', email: 'ad@example.com', role: 'admin' } })
      expect(admin.json().user).toMatchObject({ role: 'admin', role_type: 4, moderator: true, restricted_agent: false, ticket_restriction: null })
      const custom = await createOrUpdate(app, { user: { name: 'Cu', email: 'cu@example.com', role: 'end-user', custom_role_id: '77' } })
      expect(custom.json().user).toMatchObject({ role: 'agent', role_type: 0, custom_role_id: 77, restricted_agent: false })
      const odd = await createOrUpdate(app, { user: { name: 'Od', email: 'od@example.com', role: 'wizard' } })
      expect(odd.json().user).toMatchObject({ role: 'end-user', role_type: null, restricted_agent: true, ticket_restriction: 'requested' })
    })

    test('ticket_restriction: an agent-only value given to an end user becomes "requested"', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { name: 'E', email: 'e@example.com', ticket_restriction: 'groups' } })
      expect(res.json().user.ticket_restriction).toBe('requested')
      const org = await createOrUpdate(app, { user: { email: 'e@example.com', ticket_restriction: 'organization' } })
      expect(org.json().user.ticket_restriction).toBe('organization')
    })

    test('locale wins over locale_id; unknown locales are ignored', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { name: 'L', email: 'l@example.com', locale: 'de', locale_id: 16 } })
      expect(res.json().user).toMatchObject({ locale: 'de', locale_id: 8 })
      const byId = await createOrUpdate(app, { user: { email: 'l@example.com', locale_id: 16 } })
      expect(byId.json().user).toMatchObject({ locale: 'fr', locale_id: 16 })
      const unknown = await createOrUpdate(app, { user: { email: 'l@example.com', locale: 'tlh' } })
      expect(unknown.json().user).toMatchObject({ locale: 'fr', locale_id: 16 })
    })

    test('verified on create; verified alone on update sets the primary identity\'s flag', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { name: 'V', email: 'v@example.com', skip_verify_email: true } })
      expect(res.json().user.verified).toBe(false)
      expect(res.json().user).not.toHaveProperty('skip_verify_email')
      const upd = await createOrUpdate(app, { user: { email: 'v@example.com', verified: true } })
      expect(upd.json().user.verified).toBe(true)
    })

    test('phone: a free number is a direct line, a taken one is shared', async ({ app }) => {
      const a = await createOrUpdate(app, { user: { name: 'P1', email: 'p1@example.com', phone: '+15551234567' } })
      expect(a.json().user).toMatchObject({ phone: '+15551234567', shared_phone_number: false })
      const b = await createOrUpdate(app, { user: { name: 'P2', email: 'p2@example.com', phone: '+15551234567' } })
      expect(b.json().user).toMatchObject({ phone: '+15551234567', shared_phone_number: true })
    })

    test('identities become identities; the first email is primary when no email is sent', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { name: 'I', identities: [{ type: 'email', value: 'one@example.com' }, { type: 'email', value: 'two@example.com' }, { type: 'twitter', value: 'ihandle' }] } })
      expect(res.statusCode).toBe(201)
      expect(res.json().user.email).toBe('one@example.com')
      const again = await createOrUpdate(app, { user: { email: 'two@example.com', notes: 'matched' } })
      expect(again.json().user).toMatchObject({ id: FIRST_ID, notes: 'matched' })
      const clash = await createOrUpdate(app, { user: { name: 'J', email: 'j@example.com', identities: [{ type: 'email', value: 'two@example.com' }] } })
      expect(clash.statusCode).toBe(422)
      expect(clash.json()).toEqual({ error: 'RecordInvalid', description: 'Record validation errors', details: { value: [{ description: 'Value: two@example.com is already being used by another user', error: 'DuplicateValue' }] } })
    })

    test('numbers are taken where strings are due (external_id: 42)', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { name: 'N', external_id: 42 } })
      expect(res.statusCode).toBe(201)
      expect(res.json().user.external_id).toBe('42')
    })
  })

  describe('errors, exact bodies', () => {
    test('missing name on create: 422 ValueTooShort', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { email: 'noname@example.com' } })
      expect(res.statusCode).toBe(422)
      expect(res.headers['content-type']).toBe(JSON_TYPE)
      expect(res.json()).toEqual(errors.nameTooShort)
      const empty = await createOrUpdate(app, { user: { name: '  ', email: 'noname@example.com' } })
      expect(empty.body).toBe(JSON.stringify(errors.nameTooShort))
    })

    test('an empty name on update: the same 422', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'Has name', email: 'h@example.com' } })
      const res = await createOrUpdate(app, { user: { email: 'h@example.com', name: '' } })
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual(errors.nameTooShort)
    })

    test('badly formed email: the recorded 422, without an error code', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { name: 'B', email: 'badmail' } })
      expect(res.statusCode).toBe(422)
      expect(res.body).toBe(JSON.stringify(errors.badEmail))
    })

    test('email of another user on update: the recorded DuplicateValue', async ({ app }) => {
      await createOrUpdate(app, { user: { name: 'Scooby', email: 'scooby@doo.com' } })
      await createOrUpdate(app, { user: { name: 'Shaggy', external_id: 'shaggy' } })
      const res = await createOrUpdate(app, { user: { external_id: 'shaggy', email: 'scooby@doo.com' } })
      expect(res.statusCode).toBe(422)
      expect(res.body).toBe(JSON.stringify(errors.emailTaken))
    })

    test('several problems at once are all reported', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { name: '', email: 'badmail' } })
      expect(res.json()).toEqual({ error: 'RecordInvalid', description: 'Record validation errors', details: { ...errors.nameTooShort.details, ...errors.badEmail.details } })
    })

    test('no user key (node-zendesk\'s JSDoc mistake): the 422 on name, nothing created', async ({ app }) => {
      const res = await createOrUpdate(app, { name: 'Unwrapped', email: 'unwrapped@example.com' })
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual(errors.nameTooShort)
      expect((await get(app, '/api/v2/users/search.json?query=unwrapped@example.com')).json().count).toBe(0)
    })

    test('user not a hash: 400 Invalid attribute', async ({ app }) => {
      for (const user of ['a string', 42, ['x'], true]) {
        const res = await createOrUpdate(app, { user })
        expect(res.statusCode).toBe(400)
        expect(res.headers['content-type']).toBe(JSON_TYPE)
        expect(res.json()).toEqual({ error: { title: 'Invalid attribute', message: 'You passed an invalid value for the user attribute. Invalid parameter: user must be a hash from api/v2/users/create_or_update' } })
      }
    })

    test('a wrongly typed field: 400 naming it, nothing written', async ({ app }) => {
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ verified: 'maybe' }, 'verified', 'must be either true or false'],
        [{ tags: { a: 1 } }, 'tags', 'must be an array'],
        [{ user_fields: 'x' }, 'user_fields', 'must be a hash'],
        [{ name: { first: 'x' } }, 'name', 'must be a string'],
        [{ organization_id: 1.5 }, 'organization_id', 'must be an integer']
      ]
      for (const [fields, key, rule] of cases) {
        const res = await createOrUpdate(app, { user: { name: 'Typed', email: 'typed@example.com', ...fields } })
        expect(res.statusCode).toBe(400)
        expect(res.json()).toEqual({ error: { title: 'Invalid attribute', message: `You passed an invalid value for the ${key} attribute. Invalid parameter: ${key} ${rule} from api/v2/users/create_or_update` } })
      }
      expect(app.kernel.db.prepare('SELECT count(*) FROM zendesk_users').pluck().get()).toBe(0)
    })

    test('malformed JSON: 400 text/plain, never Fastify\'s body', async ({ app }) => {
      const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: TOKEN_AUTH, 'content-type': 'application/json' }, payload: '{"user": {"name": "x",}' })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toBe(TEXT_TYPE)
      expect(res.body).toBe('Error occurred while parsing request parameters')
    })

    test('other content types are no parameters (422 on name), not a 415', async ({ app }) => {
      const res = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: TOKEN_AUTH, 'content-type': 'text/xml' }, payload: '<user><name>x</name></user>' })
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual(errors.nameTooShort)
      const empty = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: TOKEN_AUTH, 'content-type': 'application/json' }, payload: '' })
      expect(empty.statusCode).toBe(422)
      const array = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: TOKEN_AUTH, 'content-type': 'application/json' }, payload: '[1,2]' })
      expect(array.statusCode).toBe(422)
    })

    test('a body over the limit: 413 text/plain', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { name: 'x'.repeat(1_100_000) } })
      expect(res.statusCode).toBe(413)
      expect(res.headers['content-type']).toBe(TEXT_TYPE)
      expect(res.body).toBe('Request Entity Too Large')
    })

    test('prototype-poisoning keys are dropped, hostile strings are stored as data', async ({ app }) => {
      const hostile = '\'; DROP TABLE zendesk_users; -- <script>%_\\\u0000'
      const res = await app.inject({
        method: 'POST',
        url: '/api/v2/users/create_or_update.json',
        headers: { authorization: TOKEN_AUTH, 'content-type': 'application/json' },
        payload: `{"__proto__": {"admin": true}, "user": {"name": ${JSON.stringify(hostile)}, "external_id": ${JSON.stringify(hostile)}, "constructor": {"prototype": {"x": 1}}}}`
      })
      expect(res.statusCode).toBe(201)
      expect(res.json().user).toMatchObject({ name: hostile.trim(), external_id: hostile.trim() })
      const search = await get(app, `/api/v2/users/search.json?query=${encodeURIComponent('%_')}`)
      expect(search.json().count).toBe(1)
    })
  })

  describe('the seed page\'s request (curl and Postman body alike)', () => {
    const seedBody = {
      user: {
        name: '<string>',
        email: '<string>',
        custom_role_id: '<integer>',
        external_id: '<string>',
        identities: [{ type: '<string>', value: '<string>' }, { type: '<string>', value: '<string>' }],
        organization: { name: '<string>' },
        organization_id: '<integer>',
        role: '<string>'
      }
    }

    test('verbatim, the placeholder "<integer>" is a 400 on the first integer key sent (custom_role_id)', async ({ app }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v2/users/create_or_update',
        headers: { authorization: TOKEN_AUTH, 'content-type': 'application/json', accept: 'application/json' },
        payload: JSON.stringify(seedBody, null, 2)
      })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ error: { title: 'Invalid attribute', message: 'You passed an invalid value for the custom_role_id attribute. Invalid parameter: custom_role_id must be an integer from api/v2/users/create_or_update' } })
      expect(app.kernel.db.prepare('SELECT count(*) FROM zendesk_users').pluck().get()).toBe(0)
    })

    test('with only organization_id left as "<integer>", that key is named', async ({ app }) => {
      const { custom_role_id: _drop, ...rest } = seedBody.user
      const res = await createOrUpdate(app, { user: rest })
      expect(res.json().error.message).toBe('You passed an invalid value for the organization_id attribute. Invalid parameter: organization_id must be an integer from api/v2/users/create_or_update')
    })

    test('with integers in place but the other placeholders kept: the email format 422', async ({ app }) => {
      const res = await createOrUpdate(app, { user: { ...seedBody.user, custom_role_id: 1, organization_id: null } })
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual({ error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email: <string> is not properly formatted' }] } })
    })

    test('filled in, Basic email:password as the curl line sends it: 201, then 200', async ({ app }) => {
      const filled = {
        user: {
          name: 'Roger Wilco',
          email: 'roger@example.org',
          external_id: 'roger-1',
          identities: [{ type: 'email', value: 'roger.work@example.org' }, { type: 'twitter', value: 'rogerwilco' }],
          organization: { name: 'Space Janitors' },
          role: 'end-user'
        }
      }
      const headers = { authorization: `Basic ${Buffer.from('admin@userdouble.test:userdouble-password').toString('base64')}` }
      const created = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update', headers, payload: filled })
      expect(created.statusCode).toBe(201)
      expect(created.json().user).toMatchObject({ name: 'Roger Wilco', email: 'roger@example.org', external_id: 'roger-1', role: 'end-user' })
      expect(created.json().user.organization_id).not.toBeNull()
      const updated = await app.inject({ method: 'POST', url: '/api/v2/users/create_or_update', headers, payload: filled })
      expect(updated.statusCode).toBe(200)
      expect(updated.json().user.id).toBe(created.json().user.id)
    })
  })
})
