import type { Statement } from 'better-sqlite3'
import type { Database } from './database.js'
import { lazily } from './lazy-statements.js'

/**
 * Where every id and random token comes from, so tests and users can make them deterministic.
 *
 * Integer ids come from per-account sequences (1, 2, 3 …); tokens (User.com keys, Zendesk job
 * ids, request ids) come from a seedable pseudo-random generator.
 */
export interface IdGenerator {
  /** The next value of a named sequence in an account. */
  nextInt (accountId: string, sequence: string): number
  /** Moves a sequence to at least `value` (after loading rows that carry their own ids). */
  atLeast (accountId: string, sequence: string, value: number): void
  /** Forgets an account's sequences (all accounts' without one), stored values included: their rows are being deleted. */
  forget (accountId?: string): void
  /**
   * Tells the generator how to find the highest value of a sequence in use, so that a sequence
   * starts past it even when the last values were never written (a crash before a flush).
   */
  register (sequence: string, maxInUse: (accountId: string) => number): void
  /** Writes pending sequence values to the database. */
  flush (): void
  /** A token of `length` characters drawn from `alphabet`. */
  token (length: number, alphabet?: string): string
  /**
   * Optional: back to how a new generator over an empty database starts (no sequence counted,
   * the PRNG seeded afresh), for an app reused by `startUserDouble()` after its rows are deleted.
   */
  restart? (seed?: number): void
}

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export const HEX = '0123456789abcdef'

/** mulberry32: small, fast and good enough for ids that only need to look random. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Sequences counted in memory and written to `id_sequences` just after the request that moved
 * them (one small transaction per tick, not one write per id on the hot path). A sequence starts
 * from the larger of its stored value and the highest value in use (`register`), so ids never
 * collide, whatever was or was not flushed before a stop.
 */
export class SqliteIdGenerator implements IdGenerator {
  private readonly counters = new Map<string, number>()
  private readonly dirty = new Set<string>()
  private readonly maxInUse = new Map<string, (accountId: string) => number>()
  private readonly read: Statement<[string, string], number>
  private readonly write: Statement<[string, string, number]>
  private readonly writeAll: () => void
  private readonly deleteOne: Statement<[string]>
  private readonly deleteAll: Statement
  private random: () => number
  private scheduled = false
  private readonly db: Database

  constructor (db: Database, seed: number = Math.floor(Math.random() * 2 ** 32)) {
    this.db = db
    this.read = lazily(db).prepare<[string, string], number>('SELECT value FROM id_sequences WHERE account_id = ? AND name = ?').pluck()
    this.write = lazily(db).prepare<[string, string, number]>(`INSERT INTO id_sequences (account_id, name, value) VALUES (?, ?, ?)
      ON CONFLICT (account_id, name) DO UPDATE SET value = max(value, excluded.value)`)
    this.deleteOne = lazily(db).prepare<[string]>('DELETE FROM id_sequences WHERE account_id = ?')
    this.deleteAll = lazily(db).prepare('DELETE FROM id_sequences')
    const exists = lazily(db).prepare<[string], number>('SELECT 1 FROM accounts WHERE id = ?').pluck()
    this.writeAll = db.transaction(() => {
      for (const key of this.dirty) {
        const [account, name] = split(key)
        // An account deleted since is skipped: its rows are gone with it.
        if (exists.get(account) !== undefined) this.write.run(account, name, this.counters.get(key)!)
      }
      this.dirty.clear()
    })
    this.random = seededRandom(seed)
  }

  nextInt (accountId: string, sequence: string): number {
    const key = accountId + '\u0000' + sequence
    const value = (this.counters.get(key) ?? this.start(accountId, sequence)) + 1
    this.counters.set(key, value)
    this.touch(key)
    return value
  }

  atLeast (accountId: string, sequence: string, value: number): void {
    const key = accountId + '\u0000' + sequence
    const current = this.counters.get(key) ?? this.start(accountId, sequence)
    if (value > current) {
      this.counters.set(key, value)
      this.touch(key)
    } else {
      this.counters.set(key, current)
    }
  }

  forget (accountId?: string): void {
    if (accountId === undefined) this.deleteAll.run()
    else this.deleteOne.run(accountId)
    for (const key of [...this.counters.keys()]) {
      if (accountId === undefined || split(key)[0] === accountId) {
        this.counters.delete(key)
        this.dirty.delete(key)
      }
    }
  }

  restart (seed: number = Math.floor(Math.random() * 2 ** 32)): void {
    this.counters.clear()
    this.dirty.clear()
    this.random = seededRandom(seed)
  }

  register (sequence: string, maxInUse: (accountId: string) => number): void {
    this.maxInUse.set(sequence, maxInUse)
  }

  flush (): void {
    this.scheduled = false
    if (this.dirty.size > 0 && this.db.open) this.writeAll()
  }

  token (length: number, alphabet: string = ALPHANUMERIC): string {
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.random() * alphabet.length)]
    return out
  }

  private start (accountId: string, sequence: string): number {
    const stored = this.read.get(accountId, sequence) ?? 0
    const inUse = this.maxInUse.get(sequence)?.(accountId) ?? 0
    return Math.max(stored, inUse)
  }

  private touch (key: string): void {
    this.dirty.add(key)
    if (!this.scheduled) {
      this.scheduled = true
      // After the current request's transaction, never inside it.
      setImmediate(() => { this.flush() })
    }
  }
}

function split (key: string): [string, string] {
  const i = key.indexOf('\u0000')
  return [key.slice(0, i), key.slice(i + 1)]
}
