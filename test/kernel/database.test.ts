import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DatabaseFromTheFutureError, migrate, openDatabase } from '../../src/kernel/database.js'
import { buildApp } from '../../src/app.js'

const dirs: string[] = []
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'userdouble-'))
  dirs.push(dir)
  return join(dir, 'test.sqlite')
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

describe('openDatabase', () => {
  it('uses WAL, foreign keys and a busy timeout on a file', () => {
    const db = openDatabase(tempFile())
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    db.close()
  })
})

describe('migrate', () => {
  const migrations = [
    { id: 'test/001', sql: 'CREATE TABLE a (x INTEGER) STRICT' },
    { id: 'test/002', sql: 'CREATE TABLE b (y INTEGER) STRICT' }
  ]
  it('applies pending migrations once, in order', () => {
    const db = openDatabase(':memory:')
    expect(migrate(db, migrations)).toEqual(['test/001', 'test/002'])
    expect(migrate(db, migrations)).toEqual([])
    db.close()
  })
  it('applies all or nothing', () => {
    const db = openDatabase(':memory:')
    expect(() => migrate(db, [migrations[0]!, { id: 'test/bad', sql: 'CREATE TABLE nope (' }])).toThrow()
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0)
    db.close()
  })
  it('refuses a database written by a newer version', () => {
    const path = tempFile()
    const db = openDatabase(path)
    migrate(db, migrations)
    db.close()
    const again = openDatabase(path)
    expect(() => migrate(again, migrations.slice(0, 1))).toThrow(DatabaseFromTheFutureError)
    expect(() => migrate(again, migrations.slice(0, 1))).toThrow(/written by a newer userdouble \(unknown migrations: test\/002\)/)
    again.close()
  })
})

describe('a file database', () => {
  it('keeps what the storage layer wrote across a restart', async () => {
    const path = tempFile()
    const first = await buildApp({ config: { DATABASE_PATH: path, ID_SEED: 1 } })
    const made = first.kernel.accounts.upsert({ id: 'kept', name: 'Kept', credentials: { zendesk: { subdomain: 'kept', email: 'k@x.test', apiToken: 't', password: 'p', oauthToken: 'o' }, usercom: { apiKey: 'k'.repeat(64) } } })
    expect(first.kernel.ids.nextInt('kept', 'users')).toBe(1)
    await first.close()
    const second = await buildApp({ config: { DATABASE_PATH: path, ID_SEED: 1 } })
    expect(second.kernel.accounts.get('kept')).toEqual(made)
    expect(second.kernel.accounts.find('usercom', 'key', 'k'.repeat(64))?.id).toBe('kept')
    expect(second.kernel.ids.nextInt('kept', 'users')).toBe(2)
    await second.close()
  })
})
