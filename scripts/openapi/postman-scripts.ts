/**
 * The scripts Postman runs in the collections `npm run openapi` writes (openapi/*.postman_collection.json).
 * Each function's body, as written here, is a script's `exec` lines: postman.ts reads this file's
 * text, so the type checker and the linter see the scripts, and what ships is exactly what is
 * written. Bodies must be plain JavaScript (the builder refuses one that is not); `pm` is the
 * Postman sandbox, typed by `Pm` below as far as these scripts use it. Write each function as
 * `export function name (pm: Pm): void {`, its body indented by two spaces, ending with `}` alone on a line.
 */

/** A chai assertion, as far as these scripts use it. */
interface Assertion {
  eql: (value: unknown) => void
  match: (pattern: RegExp) => void
  include: (value: unknown) => void
  be: { a: (type: string) => void, above: (n: number) => void }
  have: { length: (n: number) => void }
}

/** Postman's `pm`, as far as these scripts use it. */
export interface Pm {
  test: (name: string, check: () => void) => void
  expect: (value: unknown) => { to: Assertion }
  response: {
    to: { have: { status: (code: number) => void } }
    /** The body as JSON: whatever the vendor sent. */
    json: () => any
    text: () => string
    headers: { get: (name: string) => string | undefined }
  }
  collectionVariables: { get: (key: string) => any, set: (key: string, value: unknown) => void }
}

// Collection

/** Collection pre-request: one suffix per run, so e-mails, external ids and the account id stay unique run to run. */
export function runId (pm: Pm): void {
  if (!pm.collectionVariables.get('runId')) pm.collectionVariables.set('runId', Date.now().toString(36) + Math.floor(Math.random() * 1e6).toString(36))
}

// Zendesk folder

/** create_or_update: a new user is 201 with Location */
export function zendeskCreate (pm: Pm): void {
  pm.test('status 201', () => pm.response.to.have.status(201))
  const res = pm.response.json()
  pm.test('the full user', () => { pm.expect(res.user.email).to.eql('postman-' + pm.collectionVariables.get('runId') + '@example.org'); pm.expect(res.user.role).to.eql('end-user'); pm.expect(res.user.active).to.eql(true); pm.expect(res.user.verified).to.eql(true) })
  pm.test('Location names the user', () => pm.expect(pm.response.headers.get('Location')).to.match(new RegExp('/api/v2/users/' + res.user.id + '\\.json$')))
  pm.collectionVariables.set('zendeskUserId', res.user.id)
}

/** create_or_update: the same external_id is 200, same id */
export function zendeskUpdateByExternalId (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('same user, renamed, external_id in the new casing', () => { pm.expect(res.user.id).to.eql(pm.collectionVariables.get('zendeskUserId')); pm.expect(res.user.name).to.eql('Postman Person II'); pm.expect(res.user.external_id).to.eql('POSTMAN-' + pm.collectionVariables.get('runId')) })
}

/** show: GET users/{id} */
export function zendeskShow (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('the user', () => { pm.expect(res.user.id).to.eql(pm.collectionVariables.get('zendeskUserId')); pm.expect(res.user.tags).to.eql(['postman']) })
}

/** identities: GET users/{id}/identities */
export function zendeskIdentities (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('the recorded envelope, the primary e-mail first', () => {
    pm.expect(Object.keys(res)).to.eql(['identities', 'next_page', 'previous_page', 'count'])
    pm.expect(res.identities[0].type).to.eql('email')
    pm.expect(res.identities[0].primary).to.eql(true)
    pm.expect(res.identities[0].user_id).to.eql(pm.collectionVariables.get('zendeskUserId'))
  })
}

/** search by external_id */
export function zendeskSearch (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('one match', () => { pm.expect(res.count).to.eql(1); pm.expect(res.users[0].id).to.eql(pm.collectionVariables.get('zendeskUserId')) })
}

/** create_or_update: a malformed e-mail is 422 RecordInvalid */
export function zendeskMalformedEmail (pm: Pm): void {
  pm.test('status 422', () => pm.response.to.have.status(422))
  const res = pm.response.json()
  pm.test('the recorded body', () => pm.expect(res).to.eql({ error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email: badmail is not properly formatted' }] } }))
}

/** wrong credentials are 401 */
export function zendeskWrongCredentials (pm: Pm): void {
  pm.test('status 401', () => pm.response.to.have.status(401))
  const res = pm.response.json()
  pm.test('Couldn\'t authenticate you', () => pm.expect(res).to.eql({ error: "Couldn't authenticate you" }))
}

/** update: PUT users/{id} changes only what is sent */
export function zendeskUpdate (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('patched', () => { pm.expect(res.user.notes).to.eql('updated by Postman'); pm.expect(res.user.name).to.eql('Postman Person II') })
}

/** create_or_update_many: a job */
export function zendeskCreateMany (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('a job status for two users', () => { pm.expect(res.job_status.total).to.eql(2); pm.expect(res.job_status.id).to.be.a('string') })
  pm.collectionVariables.set('zendeskJobId', res.job_status.id)
}

/** job_statuses/{id} */
export function zendeskJobStatus (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('the same job', () => { pm.expect(res.job_status.id).to.eql(pm.collectionVariables.get('zendeskJobId')); pm.expect(['queued', 'working', 'completed']).to.include(res.job_status.status) })
}

/** delete: the user goes inactive, e-mail and external_id cleared */
export function zendeskDelete (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('soft-deleted', () => { pm.expect(res.user.active).to.eql(false); pm.expect(res.user.email).to.eql(null); pm.expect(res.user.external_id).to.eql(null) })
}

// User.com folder

/** update_or_create: a new user */
export function usercomCreate (pm: Pm): void {
  pm.test('status 201', () => pm.response.to.have.status(201))
  const res = pm.response.json()
  pm.test('created', () => { pm.expect(res.created).to.eql(true); pm.expect(res.id).to.be.a('number') })
  pm.collectionVariables.set('usercomUserId', res.id)
}

/** update_or_create: the same user_id updates */
export function usercomUpdate (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('same id, not created', () => pm.expect(res).to.eql({ created: false, id: pm.collectionVariables.get('usercomUserId') }))
}

/** users/{id}/ */
export function usercomShow (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('the user', () => { pm.expect(res.name).to.eql('Postman Person'); pm.expect(res.user_id).to.eql('postman-' + pm.collectionVariables.get('runId')); pm.expect(res.gender).to.eql('male'); pm.expect(res.city).to.eql('Gdańsk') })
}

/** a first_name over 40 characters is DRF's 400 */
export function usercomFieldTooLong (pm: Pm): void {
  pm.test('status 400', () => pm.response.to.have.status(400))
  const res = pm.response.json()
  pm.test('field error', () => pm.expect(res).to.eql({ first_name: ['Ensure this field has no more than 40 characters.'] }))
}

/** no key is 401 */
export function usercomNoKey (pm: Pm): void {
  pm.test('status 401', () => pm.response.to.have.status(401))
  const res = pm.response.json()
  pm.test('DRF detail', () => pm.expect(res).to.eql({ detail: 'Authentication credentials were not provided.' }))
  pm.test('WWW-Authenticate: Token', () => pm.expect(pm.response.headers.get('WWW-Authenticate')).to.eql('Token'))
}

/** delete users/{id}/ */
export function usercomDelete (pm: Pm): void {
  pm.test('status 204', () => pm.response.to.have.status(204))
  pm.test('no body', () => pm.expect(pm.response.text()).to.eql(''))
}

// Control plane folder

/** health */
export function controlHealth (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('ok', () => pm.expect(res.status).to.eql('ok'))
}

/** create an account */
export function controlCreateAccount (pm: Pm): void {
  pm.test('status 201', () => pm.response.to.have.status(201))
  const res = pm.response.json()
  pm.test('its own credentials', () => { pm.expect(res.id).to.eql('postman-' + pm.collectionVariables.get('runId')); pm.expect(res.usercom.apiKey).to.match(/^[A-Za-z0-9]{64}$/) })
}

/** load a state into it */
export function controlLoadState (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('one Zendesk user loaded', () => pm.expect(res.loaded.zendesk.users).to.eql(1))
}

/** dump its state */
export function controlDumpState (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('the seeded user, rendered as Zendesk does', () => { pm.expect(res.zendesk.users).to.have.length(1); pm.expect(res.zendesk.users[0].email).to.eql('seeded@example.org') })
}

/** reset it */
export function controlReset (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('ok', () => pm.expect(res).to.eql({ ok: true }))
}

/** its rate limits */
export function controlRateLimits (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('both vendors', () => { pm.expect(res.zendesk.perMinute).to.be.a('number'); pm.expect(res.usercom.periodSeconds).to.be.a('number') })
}

/** delete it */
export function controlDeleteAccount (pm: Pm): void {
  pm.test('status 204', () => pm.response.to.have.status(204))
}

/** the clock */
export function controlClock (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('a mode and an instant', () => { pm.expect(['real', 'offset', 'frozen']).to.include(res.mode); pm.expect(Date.parse(res.now)).to.be.a('number') })
}

/** a fault rule: the next GET users/me answers 503 */
export function controlFaultRule (pm: Pm): void {
  pm.test('status 201', () => pm.response.to.have.status(201))
  const res = pm.response.json()
  pm.test('the rule', () => { pm.expect(res.remaining).to.eql(1); pm.collectionVariables.set('faultId', res.id) })
}

/** the faulted request */
export function controlFaulted (pm: Pm): void {
  pm.test('status 503', () => pm.response.to.have.status(503))
  const res = pm.response.json()
  pm.test('the injected body', () => pm.expect(res).to.eql({ error: 'injected by Postman' }))
}

/** the journal shows it */
export function controlJournal (pm: Pm): void {
  pm.test('status 200', () => pm.response.to.have.status(200))
  const res = pm.response.json()
  pm.test('recorded with its status', () => { pm.expect(res.count).to.be.above(0); pm.expect(res.requests[res.count - 1].path).to.eql('/api/v2/users/me.json') })
}

// Zendesk seed collection

/** The seed collection's test: what Zendesk's parameter filter answers the seed item's literal placeholders (`"<integer>"` is not an integer, so the first integer key sent is a 400; docs/zendesk.md, fidelity table). */
export function seedInvalidInteger (pm: Pm): void {
  pm.test('status 400: "<integer>" is not an integer', () => pm.response.to.have.status(400))
  pm.test('Zendesk\'s Invalid attribute body, naming custom_role_id', () => pm.expect(pm.response.json()).to.eql({ error: { title: 'Invalid attribute', message: 'You passed an invalid value for the custom_role_id attribute. Invalid parameter: custom_role_id must be an integer from api/v2/users/create_or_update' } }))
}
