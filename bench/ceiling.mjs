// The ceiling: a bare Fastify 5 route that parses the same JSON body and returns the same ~1 KB
// Zendesk user body userdouble returns, with no auth, storage, journal or limits.
import Fastify from 'fastify'

const body = JSON.stringify({
  user: {
    id: 421941820731,
    url: 'http://127.0.0.1/api/v2/users/421941820731.json',
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
    user_fields: {}
  }
})

const app = Fastify({ logger: false })
const handler = async (_req, reply) => reply.code(200).type('application/json; charset=utf-8').send(body)
app.post('/*', handler)
app.get('/*', handler)
const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`ceiling listening on ${address}\n`)
process.on('SIGTERM', () => { app.close().then(() => process.exit(0)) })
