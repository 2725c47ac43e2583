import type { Statement } from 'better-sqlite3'
import type { Database } from './database.js'

/**
 * Where every id and random token comes from, so tests and users can make them deterministic.
 *
 * Integer ids come from per-account sequences stored in SQLite (they survive restarts and are
 * taken inside the caller's transaction); tokens (User.com keys, Zendesk job ids, request ids)
 * come from a seedable pseudo-random generator.
 */
export interface IdGenerator {
  /** The next value, 1, 2, 3 … of a named sequence in an account. */
  nextInt (accountId: string, sequence: string): number
  /** A token of `length` characters drawn from `alphabet`. */
  token (length: number, alphabet?: string): string
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

export class SqliteIdGenerator implements IdGenerator {
  private readonly bump: Statement<{ account: string, name: string }, { value: number }>
  private readonly random: () => number

  constructor (db: Database, seed: number = Math.floor(Math.random() * 2 ** 32)) {
    this.bump = db.prepare(`
      INSERT INTO id_sequences (account_id, name, value) VALUES (@account, @name, 1)
      ON CONFLICT (account_id, name) DO UPDATE SET value = value + 1
      RETURNING value`)
    this.random = seededRandom(seed)
  }

  nextInt (accountId: string, sequence: string): number {
    return this.bump.get({ account: accountId, name: sequence })!.value
  }

  token (length: number, alphabet: string = ALPHANUMERIC): string {
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.random() * alphabet.length)]
    return out
  }
}
