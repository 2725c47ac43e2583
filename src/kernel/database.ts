import BetterSqlite3 from 'better-sqlite3'

export type Database = BetterSqlite3.Database

export interface Migration {
  /** Unique and never renamed: `kernel/001-accounts`, `zendesk/001-users`, … */
  id: string
  sql: string
}

export class DatabaseFromTheFutureError extends Error {
  constructor (path: string, unknown: string[]) {
    super(`the database at ${path} was written by a newer userdouble (unknown migrations: ${unknown.join(', ')}); upgrade userdouble or point DATABASE_PATH elsewhere`)
    this.name = 'DatabaseFromTheFutureError'
  }
}

/**
 * Opens the database with the settings every store relies on. File databases use WAL, so readers
 * never wait on the writer; `synchronous = NORMAL` is safe with WAL and keeps commits cheap.
 */
export function openDatabase (path: string): Database {
  const db = new BetterSqlite3(path)
  if (path !== ':memory:' && path !== '') {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
  }
  return connectionSettings(db)
}

function connectionSettings (db: Database): Database {
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}

// ----- migrated in-memory images (issue 17, the fixture cycle) -----
/** Per process: the image of a freshly migrated, still empty in-memory database, by migration set. */
const memoryImages = new Map<string, Buffer>()

/**
 * A fresh in-memory database: a copy of the image saved under `key` (`saveMemoryImage`) when
 * there is one, so that a process building app after app pays for its migrations once; a blank
 * one otherwise (`fromImage: false`). The copy is independent of the image and of every other
 * copy. The caller still runs `migrate`, which then finds everything applied.
 */
export function openMemoryDatabase (key: string): { db: Database, fromImage: boolean } {
  const image = memoryImages.get(key)
  if (image === undefined) return { db: openDatabase(':memory:'), fromImage: false }
  return { db: connectionSettings(new BetterSqlite3(image)), fromImage: true }
}

/**
 * Saves `db`, an in-memory database just migrated with the set `key` names and holding no rows but
 * its `_migrations`, as the image later `openMemoryDatabase(key)` calls start from.
 */
export function saveMemoryImage (key: string, db: Database): void {
  if (!db.memory) throw new Error('only an in-memory database is saved as an image')
  memoryImages.set(key, db.serialize())
}

/** Per database: the statements `emptyDatabase` runs, made on its first call. */
const emptiers = new WeakMap<Database, () => void>()

/**
 * Deletes every row but the applied migrations (`_migrations`), AUTOINCREMENT counters included:
 * the database is then what `openMemoryDatabase` would give, for an app `startUserDouble()`
 * reuses. One transaction, with foreign keys off for its length, so the order of tables is free.
 */
export function emptyDatabase (db: Database): void {
  let empty = emptiers.get(db)
  if (empty === undefined) {
    const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> '_migrations' AND name NOT LIKE 'sqlite_stat%' ORDER BY name").pluck().all()
    const deletes = tables.map(t => db.prepare(`DELETE FROM "${t.replaceAll('"', '""')}"`))
    empty = db.transaction(() => { for (const d of deletes) d.run() })
    emptiers.set(db, empty)
  }
  db.pragma('foreign_keys = OFF')
  try { empty() } finally { db.pragma('foreign_keys = ON') }
}
// ----- end of migrated in-memory images -----

/**
 * Applies pending migrations, all in one transaction, and refuses a database that holds
 * migrations this build does not know (it was written by a newer version). Each part of the app
 * migrates its own tables: `scope` (`kernel/`, `zendesk/`) says which recorded ids are its own.
 */
export function migrate (db: Database, migrations: readonly Migration[], scope = ''): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  ) STRICT`)
  const known = new Set(migrations.map(m => m.id))
  const applied = db.prepare('SELECT id FROM _migrations ORDER BY rowid').pluck().all() as string[]
  const unknown = applied.filter(id => id.startsWith(scope) && !known.has(id))
  if (unknown.length > 0) throw new DatabaseFromTheFutureError(db.name, unknown)
  const done = new Set(applied)
  const pending = migrations.filter(m => !done.has(m.id))
  const record = db.prepare('INSERT INTO _migrations (id, applied_at) VALUES (?, ?)')
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql)
      record.run(m.id, new Date().toISOString())
    }
  })()
  return pending.map(m => m.id)
}

export const kernelMigrations: Migration[] = [
  {
    id: 'kernel/001-accounts',
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        zendesk_subdomain TEXT NOT NULL,
        zendesk_email TEXT NOT NULL,
        zendesk_api_token TEXT NOT NULL,
        zendesk_password TEXT NOT NULL,
        zendesk_oauth_token TEXT NOT NULL,
        usercom_api_key TEXT NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE id_sequences (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (account_id, name)
      ) STRICT, WITHOUT ROWID;
    `
  },
  {
    // Credentials become per-vendor data: the kernel keeps one JSON object per vendor and
    // learns the vendors from the services registered at start-up.
    id: 'kernel/002-account-credentials',
    sql: `
      ALTER TABLE accounts ADD COLUMN credentials TEXT NOT NULL DEFAULT '{}';
      UPDATE accounts SET credentials = json_object(
        'zendesk', json_object('subdomain', zendesk_subdomain, 'email', zendesk_email, 'apiToken', zendesk_api_token,
          'password', zendesk_password, 'oauthToken', zendesk_oauth_token),
        'usercom', json_object('apiKey', usercom_api_key));
      ALTER TABLE accounts DROP COLUMN zendesk_subdomain;
      ALTER TABLE accounts DROP COLUMN zendesk_email;
      ALTER TABLE accounts DROP COLUMN zendesk_api_token;
      ALTER TABLE accounts DROP COLUMN zendesk_password;
      ALTER TABLE accounts DROP COLUMN zendesk_oauth_token;
      ALTER TABLE accounts DROP COLUMN usercom_api_key;
    `
  }
]
