import { createHash, timingSafeEqual } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import type { Database } from './database.js'
import type { Clock } from './clock.js'

/**
 * An account is what a vendor calls an account or an app: a Zendesk subdomain, a User.com app.
 * It owns the credentials of both vendors, and every row of vendor data carries its id.
 */
export interface ZendeskCredentials {
  subdomain: string
  email: string
  apiToken: string
  password: string
  oauthToken: string
}

export interface Account {
  id: string
  name: string
  zendesk: ZendeskCredentials
  usercom: { apiKey: string }
  /** Per-account overrides (rate limits and the like), owned by the modules that read them. */
  settings: Record<string, unknown>
  createdAt: string
}

export type AccountInput = Omit<Account, 'createdAt' | 'settings'> & { settings?: Record<string, unknown> }

interface AccountRow {
  id: string
  name: string
  zendesk_subdomain: string
  zendesk_email: string
  zendesk_api_token: string
  zendesk_password: string
  zendesk_oauth_token: string
  usercom_api_key: string
  settings: string
  created_at: string
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** Compares two secrets in time that depends on neither: both sides are hashed to 32 bytes first. */
export function secretsEqual (presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected))
}

type CredentialKind = 'zendesk-token' | 'zendesk-password' | 'zendesk-oauth' | 'usercom-key'

function credentialKeys (a: Account): Array<[CredentialKind, string]> {
  const email = a.zendesk.email.toLowerCase()
  return [
    ['zendesk-token', `${email}/token:${a.zendesk.apiToken}`],
    ['zendesk-password', `${email}:${a.zendesk.password}`],
    ['zendesk-oauth', a.zendesk.oauthToken],
    ['usercom-key', a.usercom.apiKey]
  ]
}

/**
 * Accounts live in SQLite (so a file database keeps the ones made at runtime) and in memory, indexed
 * by a digest of each credential: a lookup costs one hash and one map read whatever the number of
 * accounts, and the final check is a constant-time comparison.
 */
export class AccountStore {
  private readonly byId = new Map<string, Account>()
  private readonly byCredential = new Map<string, { account: Account, digest: Buffer }>()
  private readonly insert: Statement
  private readonly update: Statement
  private readonly remove: Statement
  private readonly db: Database
  private readonly clock: Clock

  constructor (db: Database, clock: Clock) {
    this.db = db
    this.clock = clock
    this.insert = db.prepare(`INSERT INTO accounts (id, name, zendesk_subdomain, zendesk_email, zendesk_api_token,
      zendesk_password, zendesk_oauth_token, usercom_api_key, settings, created_at)
      VALUES (@id, @name, @zendesk_subdomain, @zendesk_email, @zendesk_api_token, @zendesk_password,
      @zendesk_oauth_token, @usercom_api_key, @settings, @created_at)`)
    this.update = db.prepare(`UPDATE accounts SET name = @name, zendesk_subdomain = @zendesk_subdomain,
      zendesk_email = @zendesk_email, zendesk_api_token = @zendesk_api_token, zendesk_password = @zendesk_password,
      zendesk_oauth_token = @zendesk_oauth_token, usercom_api_key = @usercom_api_key, settings = @settings
      WHERE id = @id`)
    this.remove = db.prepare('DELETE FROM accounts WHERE id = ?')
    const rows = db.prepare('SELECT * FROM accounts ORDER BY created_at, id').all() as AccountRow[]
    for (const row of rows) this.index(fromRow(row))
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
      this.update.run(toRow(account))
      this.unindex(existing)
    } else {
      this.insert.run(toRow(account))
    }
    this.index(account)
    return account
  }

  saveSettings (id: string, settings: Record<string, unknown>): Account | undefined {
    const account = this.byId.get(id)
    if (!account) return undefined
    account.settings = settings
    this.update.run(toRow(account))
    return account
  }

  /** Deletes the account and, through foreign keys, every row it owns. */
  delete (id: string): boolean {
    const account = this.byId.get(id)
    if (!account) return false
    this.db.transaction(() => { this.remove.run(id) })()
    this.unindex(account)
    return true
  }

  /** `Authorization: Basic base64(email/token:TOKEN)` */
  findByZendeskToken (email: string, token: string): Account | undefined {
    return this.find('zendesk-token', `${email.toLowerCase()}/token:${token}`)
  }

  /** `Authorization: Basic base64(email:password)` */
  findByZendeskPassword (email: string, password: string): Account | undefined {
    return this.find('zendesk-password', `${email.toLowerCase()}:${password}`)
  }

  /** `Authorization: Bearer TOKEN` */
  findByZendeskOAuth (token: string): Account | undefined {
    return this.find('zendesk-oauth', token)
  }

  /** `Authorization: Token KEY` */
  findByUsercomKey (key: string): Account | undefined {
    return this.find('usercom-key', key)
  }

  /** One hash of the presented secret finds the entry and is compared in constant time. */
  private find (kind: CredentialKind, presented: string): Account | undefined {
    const d = digest(presented)
    const hit = this.byCredential.get(kind + ':' + d.toString('base64'))
    if (!hit) return undefined
    return timingSafeEqual(d, hit.digest) ? hit.account : undefined
  }

  private assertCredentialsFree (account: Account): void {
    for (const [kind, secret] of credentialKeys(account)) {
      const holder = this.byCredential.get(mapKey(kind, secret))
      if (holder && holder.account.id !== account.id) {
        throw new Error(`credentials of account ${account.id} (${kind}) are already used by account ${holder.account.id}`)
      }
    }
  }

  private index (account: Account): void {
    this.byId.set(account.id, account)
    for (const [kind, secret] of credentialKeys(account)) this.byCredential.set(mapKey(kind, secret), { account, digest: digest(secret) })
  }

  private unindex (account: Account): void {
    this.byId.delete(account.id)
    for (const [kind, secret] of credentialKeys(account)) {
      const key = mapKey(kind, secret)
      if (this.byCredential.get(key)?.account.id === account.id) this.byCredential.delete(key)
    }
  }
}

function mapKey (kind: CredentialKind, secret: string): string {
  return `${kind}:${digest(secret).toString('base64')}`
}

function toRow (a: Account): AccountRow {
  return {
    id: a.id,
    name: a.name,
    zendesk_subdomain: a.zendesk.subdomain,
    zendesk_email: a.zendesk.email,
    zendesk_api_token: a.zendesk.apiToken,
    zendesk_password: a.zendesk.password,
    zendesk_oauth_token: a.zendesk.oauthToken,
    usercom_api_key: a.usercom.apiKey,
    settings: JSON.stringify(a.settings),
    created_at: a.createdAt
  }
}

function fromRow (r: AccountRow): Account {
  return {
    id: r.id,
    name: r.name,
    zendesk: {
      subdomain: r.zendesk_subdomain,
      email: r.zendesk_email,
      apiToken: r.zendesk_api_token,
      password: r.zendesk_password,
      oauthToken: r.zendesk_oauth_token
    },
    usercom: { apiKey: r.usercom_api_key },
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    createdAt: r.created_at
  }
}
