import type { FastifyInstance } from 'fastify'
import Zendesk from 'zendesk-node-api'
import { describe, expect } from 'vitest'
import { test } from '../../helpers/app.js'
import { EMAIL, OAUTH, TOKEN } from './helpers.js'

/**
 * A second real Zendesk client, the npm package zendesk-node-api 1.3.0 (request-based; its
 * users accessor covers POST /users, GET/PUT/DELETE /users/{id}, create_or_update and the list),
 * against a started userdouble on real sockets. It is configured with the account's root URL
 * (`url: 'http://127.0.0.1:PORT'`) and builds every path with a doubled slash
 * (`/api/v2//users.json`), which Zendesk's front servers merge and userdouble does too. It resolves
 * with the parsed body whatever the status, and `delete` with `true`.
 */

async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

/** The journal records each request as routed, after the merge of the doubled slash. */
interface Journal { requests: Array<{ method: string, path: string, status: number }> }
async function wire (app: FastifyInstance): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/__mock/requests?vendor=zendesk' })
  return (res.json() as Journal).requests.map(r => `${r.method} ${r.path} ${r.status}`)
}

describe('zendesk-node-api 1.3.0', () => {
  test('creates, updates, reads, lists and deletes a user', async ({ app }) => {
    const url = await listen(app)
    const zendesk = Zendesk({ url, email: EMAIL, token: TOKEN })

    const created = await zendesk.users.create({ name: 'Second Client', email: 'second@example.com', external_id: 'zna-1' }) as { user: { id: number, url: string } }
    const id = created.user.id
    expect(created.user).toMatchObject({ name: 'Second Client', email: 'second@example.com', external_id: 'zna-1', role: 'end-user', active: true })
    expect(created.user.url).toBe(`${url}/api/v2/users/${id}.json`)

    const updated = await zendesk.users.update(id, { name: 'Second Client 2', notes: 'updated', tags: ['b', 'a'] }) as { user: object }
    expect(updated.user).toMatchObject({ id, name: 'Second Client 2', notes: 'updated', tags: ['b', 'a'] })

    const shown = await zendesk.users.show(id)
    expect(shown).toEqual(updated.user)

    const again = await zendesk.users.createOrUpdate({ external_id: 'ZNA-1', alias: 'zna' }) as { user: object }
    expect(again.user).toMatchObject({ id, external_id: 'ZNA-1', alias: 'zna' })

    const listed = await zendesk.users.list('role=end-user') as Array<{ id: number }>
    expect(listed.map(u => u.id)).toEqual([id])

    expect(await zendesk.users.delete(id)).toBe(true)
    expect(await zendesk.users.show(id)).toMatchObject({ id, active: false, email: null, external_id: null })

    expect(await wire(app)).toEqual([
      'POST /api/v2/users.json 201',
      `PUT /api/v2/users/${id}.json 200`,
      `GET /api/v2/users/${id}.json 200`,
      'POST /api/v2/users/create_or_update.json 200',
      'GET /api/v2/users.json 200',
      `DELETE /api/v2/users/${id}.json 200`,
      `GET /api/v2/users/${id}.json 200`
    ])
  })

  test('a taken e-mail: create resolves with Zendesk\'s 422 body (the client does not reject)', async ({ app }) => {
    const zendesk = Zendesk({ url: await listen(app), email: EMAIL, token: TOKEN })
    await zendesk.users.create({ name: 'A', email: 'taken@example.com' })
    expect(await zendesk.users.create({ name: 'B', email: 'taken@example.com' })).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { email: [{ description: 'Email: taken@example.com is already being used by another user', error: 'DuplicateValue' }] }
    })
  })

  test('oauth: true sends the bearer token; with a wrong token the list resolves undefined (the 401 body has no users)', async ({ app }) => {
    const url = await listen(app)
    const oauth = Zendesk({ url, email: '', token: OAUTH, oauth: true })
    expect(await oauth.users.create({ name: 'Bearer', email: 'bearer@example.com' })).toMatchObject({ user: { name: 'Bearer' } })
    const wrong = Zendesk({ url, email: EMAIL, token: 'wrong' })
    expect(await wrong.users.list()).toBeUndefined()
    expect((await wire(app)).at(-1)).toBe('GET /api/v2/users.json 401')
  })
})
