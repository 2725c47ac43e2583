import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import newman, { type Summary } from 'newman'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startUserDouble, type UserDouble } from '../../src/in-process.js'
import { seedItemFrom } from '../../scripts/openapi/postman.js'

const file = (name: string): URL => new URL(`../../openapi/${name}`, import.meta.url)
const SEED_PAGE = new URL('../../../shared/seeds/004_f2001001a2dc7f0a.txt', import.meta.url)

function run (collection: string, baseUrl: string): Promise<Summary> {
  return new Promise((resolve, reject) => {
    newman.run({
      collection,
      environment: file('userdouble.postman_environment.json').pathname,
      envVar: [{ key: 'baseUrl', value: baseUrl }],
      reporters: [],
      timeoutRequest: 10_000
    }, (err, summary) => err ? reject(err) : resolve(summary))
  })
}

const failures = (summary: Summary): string[] =>
  summary.run.failures.map(f => `${f.source?.name ?? '?'}: ${f.error.test ?? f.error.name}: ${f.error.message}`)

describe('the Postman collections, run by newman against a started userdouble', () => {
  let ud: UserDouble
  beforeAll(async () => { ud = await startUserDouble({ config: { ID_SEED: 7 } }) })
  afterAll(async () => { await ud.close() })

  test('openapi/userdouble.postman_collection.json: every request of the three folders passes its tests', async () => {
    const summary = await run(file('userdouble.postman_collection.json').pathname, ud.url)
    expect(failures(summary)).toEqual([])
    expect(summary.run.stats.requests.failed).toBe(0)
    expect(summary.run.stats.requests.total).toBe(28)
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(50)
    const names = summary.run.executions.map(e => e.item.name)
    expect(names).toContain('create_or_update: a new user is 201 with Location')
    expect(names).toContain('update_or_create: a new user')
    expect(names).toContain('a fault rule: the next GET users/me answers 503')
    // It ran against this userdouble: the journal holds its requests.
    expect((await ud.requests({ vendor: 'usercom' })).length).toBeGreaterThanOrEqual(6)
  }, 60_000)

  test('it runs again against the same instance (per-run ids), still without failures', async () => {
    const summary = await run(file('userdouble.postman_collection.json').pathname, ud.url)
    expect(failures(summary)).toEqual([])
  }, 60_000)

  test('the seed\'s "Create Or Update User" item runs unchanged and gets Zendesk\'s 400 for the "<integer>" placeholder', async () => {
    // A userdouble of its own: the bulk job of the other collection may still be writing users.
    const fresh = await startUserDouble()
    try {
      const summary = await run(file('zendesk-seed.postman_collection.json').pathname, fresh.url)
      expect(failures(summary)).toEqual([])
      const [execution] = summary.run.executions
      expect(summary.run.executions).toHaveLength(1)
      expect(execution!.response!.code).toBe(400)
      expect(execution!.response!.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
      expect(JSON.parse(execution!.response!.stream!.toString('utf8'))).toEqual({
        error: {
          title: 'Invalid attribute',
          message: 'You passed an invalid value for the custom_role_id attribute. Invalid parameter: custom_role_id must be an integer from api/v2/users/create_or_update'
        }
      })
      expect(execution!.assertions!.map(a => a.assertion)).toHaveLength(2)
      // Nothing half-written.
      expect(((await fresh.state()).zendesk as { users: unknown[] }).users).toEqual([])
      // Authenticated with the environment's e-mail and password (a 401 would mean it was not).
      const [entry] = await fresh.requests({ path: '/api/v2/users/create_or_update', status: 400 })
      expect(entry!.headers.authorization).toMatch(/^Basic /)
    } finally {
      await fresh.close()
    }
  }, 60_000)

  test.skipIf(!existsSync(SEED_PAGE))('the seed collection\'s item is the seed page\'s item, byte for byte as JSON', async () => {
    const collection = JSON.parse(await readFile(file('zendesk-seed.postman_collection.json'), 'utf8'))
    expect(collection.item).toEqual([seedItemFrom(await readFile(SEED_PAGE, 'utf8'))])
  })
})
