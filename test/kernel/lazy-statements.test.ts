import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/kernel/database.js'
import { lazily } from '../../src/kernel/lazy-statements.js'

const fresh = () => {
  const db = openDatabase(':memory:')
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT')
  return db
}

describe('lazily(db).prepare', () => {
  it('prepares nothing until the statement first runs, then prepares it once', () => {
    const db = fresh()
    const real = db.prepare.bind(db)
    const prepared: string[] = []
    db.prepare = ((sql: string) => { prepared.push(sql); return real(sql) }) as typeof db.prepare
    const insert = lazily(db).prepare<[number, string]>('INSERT INTO t (id, name) VALUES (?, ?)')
    const names = lazily(db).prepare<[], string>('SELECT name FROM t ORDER BY id').pluck()
    const broken = lazily(db).prepare('SELECT nope FROM nowhere')
    expect(prepared).toEqual([])
    expect(insert.run(1, 'a')).toEqual({ changes: 1, lastInsertRowid: 1 })
    insert.run(2, 'b')
    expect(names.all()).toEqual(['a', 'b'])
    expect(names.get()).toBe('a')
    expect([...names.iterate()]).toEqual(['a', 'b'])
    expect(prepared).toEqual(['INSERT INTO t (id, name) VALUES (?, ?)', 'SELECT name FROM t ORDER BY id'])
    // A statement that cannot be prepared fails where it is first run, with SQLite's error.
    expect(() => broken.all()).toThrow(/no such table: nowhere/)
    db.close()
  })

  it('applies modifiers given before and after the statement exists, explicit toggles included', () => {
    const db = fresh()
    db.prepare('INSERT INTO t (id, name) VALUES (1, \'a\')').run()
    const row = lazily(db).prepare<[], unknown>('SELECT id, name FROM t')
    expect(row.raw().get()).toEqual([1, 'a'])
    expect(row.raw(false).get()).toEqual({ id: 1, name: 'a' })
    expect(row.pluck(true).get()).toBe(1)
    expect(row.pluck(false).expand().get()).toEqual({ t: { id: 1, name: 'a' } })
    const plucked = lazily(db).prepare<[], unknown>('SELECT id, name FROM t').pluck().pluck(false)
    expect(plucked.get()).toEqual({ id: 1, name: 'a' })
    const big = lazily(db).prepare<[], bigint>('SELECT id FROM t').pluck().safeIntegers()
    expect(big.get()).toBe(1n)
    expect(row.reader).toBe(true)
    expect(lazily(db).prepare('DELETE FROM t').reader).toBe(false)
    expect(row.source).toBe('SELECT id, name FROM t')
    expect(row.database).toBe(db)
    expect(row.columns().map(c => c.name)).toEqual(['id', 'name'])
    db.close()
  })
})
