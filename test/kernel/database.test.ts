import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DatabaseFromTheFutureError, migrate, openDatabase, openMemoryDatabase, saveMemoryImage, type Database } from '../../src/kernel/database.js'
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

describe('migrated in-memory images', () => {
  const migrations = [{ id: 'img/001', sql: 'CREATE TABLE a (x INTEGER PRIMARY KEY AUTOINCREMENT, y TEXT) STRICT' }]

  it('opens a blank database until an image is saved, then independent copies of it', () => {
    const first = openMemoryDatabase('test-image')
    expect(first.fromImage).toBe(false)
    expect(migrate(first.db, migrations)).toEqual(['img/001'])
    saveMemoryImage('test-image', first.db)
    first.db.prepare("INSERT INTO a (y) VALUES ('after the image')").run()

    const copies = [openMemoryDatabase('test-image'), openMemoryDatabase('test-image')]
    for (const copy of copies) {
      expect(copy.fromImage).toBe(true)
      expect(copy.db.memory).toBe(true)
      expect(copy.db.pragma('foreign_keys', { simple: true })).toBe(1)
      expect(copy.db.pragma('busy_timeout', { simple: true })).toBe(5000)
      expect(migrate(copy.db, migrations)).toEqual([])
      expect(copy.db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(0)
    }
    copies[0]!.db.prepare("INSERT INTO a (y) VALUES ('one')").run()
    expect(copies[0]!.db.prepare('SELECT x, y FROM a').all()).toEqual([{ x: 1, y: 'one' }])
    expect(copies[1]!.db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(0)
    expect(openMemoryDatabase('test-image').db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(0)
    // Another migration set has no image.
    expect(openMemoryDatabase('another-set').fromImage).toBe(false)
    for (const d of [first, ...copies]) d.db.close()
  })

  it('is only made of an in-memory database', () => {
    const db = openDatabase(tempFile())
    expect(() => saveMemoryImage('file-image', db)).toThrow(/in-memory/)
    db.close()
    expect(openMemoryDatabase('file-image').fromImage).toBe(false)
  })

  /** Every table's schema and rows, `_migrations.applied_at` left out (an image keeps the time it was migrated). */
  const contents = (db: Database): Record<string, unknown> => {
    const tables = db.prepare<[], { name: string, sql: string }>('SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name').all()
    return Object.fromEntries(tables.map(t => [t.name, {
      sql: t.sql,
      rows: t.name.startsWith('sqlite_autoindex') || !/^CREATE TABLE/i.test(t.sql)
        ? null
        : db.prepare(`SELECT * FROM "${t.name}"`).all().map(r => { const { applied_at: _a, ...rest } = r as Record<string, unknown>; return JSON.stringify(rest) }).sort()
    }]))
  }
  const appliedAt = (db: Database): string[] => db.prepare<[], string>('SELECT applied_at FROM _migrations ORDER BY rowid').pluck().all()

  it('gives every in-memory app of buildApp a migrated database of its own, as migrating one would', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(new Date('2031-01-01T00:00:00.000Z'))
      const first = await buildApp({ config: { ID_SEED: 7 } })
      const firstContents = contents(first.kernel.db)
      vi.setSystemTime(new Date('2032-01-01T00:00:00.000Z'))
      const second = await buildApp({ config: { ID_SEED: 7 } })
      const migrated = await buildApp({ config: { ID_SEED: 7 }, db: openDatabase(':memory:') })
      // The second app's migrations are the first's, copied (the first made the image, or, when
      // another file of this worker built an app before, copied it too); a database handed in is
      // migrated as ever.
      const imageTimes = appliedAt(first.kernel.db)
      expect(imageTimes.length).toBeGreaterThan(3)
      for (const t of imageTimes) expect(t <= '2031-01-01T00:00:00.000Z').toBe(true)
      expect(appliedAt(second.kernel.db)).toEqual(imageTimes)
      expect(new Set(appliedAt(migrated.kernel.db))).toEqual(new Set(['2032-01-01T00:00:00.000Z']))
      expect(second.kernel.db.memory).toBe(true)
      expect(contents(second.kernel.db)).toEqual(contents(migrated.kernel.db))

      // Independent: what one app writes, no other sees.
      second.kernel.accounts.upsert({ id: 'own', name: 'Own', credentials: { zendesk: { subdomain: 'own', email: 'o@x.test', apiToken: 't', password: 'p', oauthToken: 'o' }, usercom: { apiKey: 'o'.repeat(64) } } })
      second.kernel.ids.nextInt('own', 'users')
      second.kernel.ids.flush()
      const third = await buildApp({ config: { ID_SEED: 7 } })
      expect(contents(third.kernel.db)).toEqual(contents(migrated.kernel.db))
      expect(contents(first.kernel.db)).toEqual(firstContents)
      expect(contents(second.kernel.db)).not.toEqual(contents(migrated.kernel.db))
      for (const app of [first, second, third, migrated]) await app.close()
      await migrated.kernel.db.close()
    } finally {
      vi.useRealTimers()
    }
  })

  it('is never used for a file database', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(new Date('2033-01-01T00:00:00.000Z'))
      const memory = await buildApp({ config: { ID_SEED: 7 } })
      vi.setSystemTime(new Date('2034-01-01T00:00:00.000Z'))
      const path = tempFile()
      const file = await buildApp({ config: { DATABASE_PATH: path, ID_SEED: 7 } })
      expect(file.kernel.db.memory).toBe(false)
      expect(file.kernel.db.name).toBe(path)
      expect(file.kernel.db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(new Set(appliedAt(file.kernel.db))).toEqual(new Set(['2034-01-01T00:00:00.000Z']))
      await file.close()
      await memory.close()
    } finally {
      vi.useRealTimers()
    }
  })
})
