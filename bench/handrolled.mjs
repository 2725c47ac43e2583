// A reference from the table: a hand-rolled Fastify + better-sqlite3 upsert with no
// fidelity (no auth, no vendor rules, no journal, no limits), returning a ~1 KB user body.
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import Database from 'better-sqlite3'

const recorded = JSON.parse(readFileSync(new URL('../test/fixtures/zendesk/create-or-update-201.json', import.meta.url), 'utf8')).body.user
const db = new Database(':memory:')
db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, external_id TEXT UNIQUE, name TEXT, created_at TEXT, updated_at TEXT)')
const upsert = db.prepare(`INSERT INTO users (email, external_id, name, created_at, updated_at) VALUES (@email, @external_id, @name, @now, @now)
  ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at RETURNING *`)
const app = Fastify({ logger: false })
app.post('/*', async (req, reply) => {
  const u = req.body.user
  const row = upsert.get({ email: u.email, external_id: u.external_id, name: u.name, now: new Date().toISOString() })
  reply.code(row.created_at === row.updated_at ? 201 : 200)
  // The recorded 201 body with this row's values in it.
  return { user: { ...recorded, id: row.id, url: `http://${req.headers.host}/api/v2/users/${row.id}.json`, name: row.name, email: row.email, created_at: row.created_at, updated_at: row.updated_at, external_id: row.external_id } }
})
const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`hand-rolled listening on ${address}\n`)
process.on('SIGTERM', () => { app.close().then(() => process.exit(0)) })
