import { describe, expect, it } from 'vitest'
import { kernelMigrations, migrate, openDatabase } from '../../src/kernel/database.js'
import { SqliteIdGenerator } from '../../src/kernel/ids.js'

function setup () {
  const db = openDatabase(':memory:')
  migrate(db, kernelMigrations)
  db.prepare("INSERT INTO accounts (id, name, created_at) VALUES ('a', 'a', 'x')").run()
  db.exec('CREATE TABLE things (account_id TEXT, id INTEGER)')
  return db
}
const stored = (db: ReturnType<typeof setup>) => db.prepare("SELECT value FROM id_sequences WHERE account_id = 'a' AND name = 'things'").pluck().get()

describe('SqliteIdGenerator', () => {
  it('counts per account and sequence, and writes the values once the request is done', async () => {
    const db = setup()
    const ids = new SqliteIdGenerator(db, 1)
    expect([ids.nextInt('a', 'things'), ids.nextInt('a', 'things'), ids.nextInt('b', 'things'), ids.nextInt('a', 'other')]).toEqual([1, 2, 1, 1])
    expect(stored(db)).toBeUndefined()
    await new Promise(resolve => setImmediate(resolve))
    expect(stored(db)).toBe(2)
    // 'b' is no account: nothing is written for it.
    expect(db.prepare("SELECT count(*) FROM id_sequences WHERE account_id = 'b'").pluck().get()).toBe(0)
  })

  it('starts a sequence past the highest value in use, even when it was never written', () => {
    const db = setup()
    db.prepare("INSERT INTO things VALUES ('a', 41)").run()
    const ids = new SqliteIdGenerator(db, 1)
    ids.register('things', (account) => db.prepare<[string], number>('SELECT max(id) FROM things WHERE account_id = ?').pluck().get(account) ?? 0)
    expect(ids.nextInt('a', 'things')).toBe(42)
  })

  it('moves past loaded values, and forgets an account whose rows were deleted', () => {
    const db = setup()
    const ids = new SqliteIdGenerator(db, 1)
    ids.nextInt('a', 'things')
    ids.atLeast('a', 'things', 100)
    expect(ids.nextInt('a', 'things')).toBe(101)
    ids.atLeast('a', 'things', 5)
    expect(ids.nextInt('a', 'things')).toBe(102)
    ids.flush()
    expect(stored(db)).toBe(102)
    ids.forget('a')
    expect(stored(db)).toBeUndefined()
    expect(ids.nextInt('a', 'things')).toBe(1)
  })

  it('gives the same tokens for the same seed', () => {
    const db = setup()
    expect(new SqliteIdGenerator(db, 7).token(12)).toBe(new SqliteIdGenerator(db, 7).token(12))
    expect(new SqliteIdGenerator(db, 7).token(12)).toMatch(/^[A-Za-z0-9]{12}$/)
  })
})
