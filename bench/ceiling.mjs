// The ceiling: a bare Fastify 5 route that parses the same JSON body and returns the same ~1 KB
// Zendesk user body userdouble returns, with no auth, storage, journal or limits.
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

// The recorded 201 body (test/fixtures/zendesk), the same bytes a Zendesk client gets.
const body = JSON.stringify(JSON.parse(readFileSync(new URL('../test/fixtures/zendesk/create-or-update-201.json', import.meta.url), 'utf8')).body)

const app = Fastify({ logger: false })
const handler = async (_req, reply) => reply.code(200).type('application/json; charset=utf-8').send(body)
app.post('/*', handler)
app.get('/*', handler)
const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`ceiling listening on ${address}\n`)
process.on('SIGTERM', () => { app.close().then(() => process.exit(0)) })
