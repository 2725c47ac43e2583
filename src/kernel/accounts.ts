import * as crypto from 'node:crypto'
import type { Database } from './database.js'
import type { Clock } from './clock.js'
import type { VendorName } from './service.js'
import { lazily } from './lazy-statements.js'

/** One vendor's credentials of an account (`{ apiKey }`, `{ email, apiToken, … }`): strings only. */
export type Credentials = Record<string, string>

/**
 * An account is what a vendor calls an account or an app: a Zendesk subdomain, a User.com app.
 * It owns one set of credentials per vendor, and every row of vendor data carries its id.
 */
export interface Account {
  id: string
  name: string
  /** Per vendor, in the vendor's own terms; the kernel only indexes the secrets. */
  credentials: Record<VendorName, Credentials>
  /** Per-account overrides (rate limits and the like), owned by the modules that read them. */
  settings: Record<string, unknown>
  createdAt: string
}

export type AccountInput = Omit<Account, 'createdAt' | 'settings'> & { settings?: Record<string, unknown> }

/** How a vendor's credentials yield the secrets a request may present (see `CredentialFacts`). */
export type SecretsOf = (credentials: Credentials) => Array<[kind: string, secret: string]>

interface AccountRow {
  id: string
  name: string
  credentials: string
  settings: string
  created_at: string
}

const digest = (value: string): Buffer => crypto.createHash('sha256').update(value).digest()

// One-shot hashing where the runtime has it (Node ≥ 20.12/21.7): no Hash object per lookup.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash
const digest64 = oneShot
  ? (value: string): string => oneShot('sha256', value, 'base64')
  : (value: string): string => crypto.createHash('sha256').update(value).digest('base64')

/** Compares two secrets in time that depends on neither: both sides are hashed to 32 bytes first. */
export function secretsEqual (presented: string, expected: string): boolean {
  return crypto.timingSafeEqual(digest(presented), digest(expected))
}

/**
 * Accounts live in SQLite (so a file database keeps the ones made at runtime) and in memory, indexed
 * by the SHA-256 of each credential: a lookup costs one hash and one map read whatever the number
 * of accounts. A hit is an exact match of the digests, and what the lookup's time depends on is the
 * digest of what was presented, never how much of a stored secret it shares.
 */
export class AccountStore {
  private readonly byId = new Map<string, Account>()
  private readonly byCredential = new Map<string, Account>()
  private readonly vendors = new Map<VendorName, SecretsOf>()
  private readonly statements
  private readonly db: Database
  private readonly clock: Clock

  constructor (db: Database, clock: Clock) {
    this.db = db
    this.clock = clock
    this.statements = {
      insert: lazily(db).prepare<[AccountRow]>(`INSERT INTO accounts (id, name, credentials, settings, created_at)
        VALUES (@id, @name, @credentials, @settings, @created_at)`),
      update: lazily(db).prepare<[AccountRow]>('UPDATE accounts SET name = @name, credentials = @credentials, settings = @settings WHERE id = @id'),
      remove: lazily(db).prepare<[string]>('DELETE FROM accounts WHERE id = ?')
    }
    const rows = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY created_at, id').all()
    for (const row of rows) this.byId.set(row.id, fromRow(row))
  }

  /**
   * Makes a vendor's credentials findable: called once per service at start-up, it indexes the
   * accounts already stored, and every account written later.
   */
  addVendor (vendor: VendorName, secrets: SecretsOf): void {
    this.vendors.set(vendor, secrets)
    for (const account of this.byId.values()) this.indexVendor(account, vendor, secrets)
  }

  get (id: string): Account | undefined {
    return this.byId.get(id)
  }

  list (): Account[] {
    return [...this.byId.values()]
  }

  /** Creates the account, or, when one with that id exists, gives it these credentials. */
  upsert (input: AccountInput): Account {
    const existing = this.byId.get(input.id)
    const account: Account = {
      ...input,
      settings: input.settings ?? existing?.settings ?? {},
      createdAt: existing?.createdAt ?? new Date(this.clock.now()).toISOString()
    }
    this.assertCredentialsFree(account)
    if (existing) {
      this.statements.update.run(toRow(account))
      this.unindex(existing)
    } else {
      this.statements.insert.run(toRow(account))
    }
    this.index(account)
    return account
  }

  saveSettings (id: string, settings: Record<string, unknown>): Account | undefined {
    const account = this.byId.get(id)
    if (!account) return undefined
    account.settings = settings
    this.statements.update.run(toRow(account))
    return account
  }

  /** Deletes the account and, through foreign keys, every row it owns. */
  delete (id: string): boolean {
    const account = this.byId.get(id)
    if (!account) return false
    this.db.transaction(() => { this.statements.remove.run(id) })()
    this.unindex(account)
    return true
  }

  /**
   * Forgets every account in memory, not in the database: for an app reused by
   * `startUserDouble()`, whose rows are deleted with the rest (`emptyDatabase`).
   */
  forgetAll (): void {
    this.byId.clear()
    this.byCredential.clear()
  }

  /** The account holding `secret` as its `vendor` credential of `kind`: one hash, one map read. */
  find (vendor: VendorName, kind: string, secret: string): Account | undefined {
    return this.byCredential.get(mapKey(vendor, kind, secret))
  }

  /** Each secret's index key, and its label (`usercom-key`) for messages. */
  private * secretsOf (account: Account): Generator<[key: string, label: string]> {
    for (const [vendor, secrets] of this.vendors) {
      const credentials = account.credentials[vendor]
      if (!credentials) continue
      for (const [kind, secret] of secrets(credentials)) yield [mapKey(vendor, kind, secret), `${vendor}-${kind}`]
    }
  }

  private assertCredentialsFree (account: Account): void {
    for (const [key, label] of this.secretsOf(account)) {
      const holder = this.byCredential.get(key)
      if (holder && holder.id !== account.id) {
        throw new Error(`credentials of account ${account.id} (${label}) are already used by account ${holder.id}`)
      }
    }
  }

  private indexVendor (account: Account, vendor: VendorName, secrets: SecretsOf): void {
    const credentials = account.credentials[vendor]
    if (!credentials) return
    for (const [kind, secret] of secrets(credentials)) this.byCredential.set(mapKey(vendor, kind, secret), account)
  }

  private index (account: Account): void {
    this.byId.set(account.id, account)
    for (const [vendor, secrets] of this.vendors) this.indexVendor(account, vendor, secrets)
  }

  private unindex (account: Account): void {
    this.byId.delete(account.id)
    for (const [key] of this.secretsOf(account)) {
      if (this.byCredential.get(key)?.id === account.id) this.byCredential.delete(key)
    }
  }
}

function mapKey (vendor: VendorName, kind: string, secret: string): string {
  return `${vendor}:${kind}:${digest64(secret)}`
}

function toRow (a: Account): AccountRow {
  return { id: a.id, name: a.name, credentials: JSON.stringify(a.credentials), settings: JSON.stringify(a.settings), created_at: a.createdAt }
}

function fromRow (r: AccountRow): Account {
  return {
    id: r.id,
    name: r.name,
    credentials: JSON.parse(r.credentials) as Record<VendorName, Credentials>,
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    createdAt: r.created_at
  }
}

/** The account that configuration describes; it is rewritten at every start, so config wins. */
export const DEFAULT_ACCOUNT_ID = 'default'
