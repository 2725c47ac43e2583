import type { Statement } from 'better-sqlite3'
import type { Database } from '../../kernel/database.js'
import type { UserListPage, UserListQuery } from '../../kernel/service.js'
import { likePattern } from '../../kernel/sql.js'

/**
 * The inspector's page of an account's Zendesk users (`GET /__mock/accounts/{id}/users?vendor=zendesk`):
 * newest first, keyset-paged on the primary key, so a page costs the same at user 100,000 as at
 * user 1. `q` is a case-insensitive substring of name, email or external_id; its scan stops as
 * soon as the page is full. Read-only, its own prepared statements.
 */
export class ZendeskUserListing {
  private readonly page: Statement
  private readonly search: Statement
  private readonly total: Statement

  constructor (db: Database) {
    const cols = 'id, name, email, external_id, role, active, suspended, updated_at'
    this.page = db.prepare(`SELECT ${cols} FROM zendesk_users WHERE account_id = @account AND id < @before ORDER BY id DESC LIMIT @limit`)
    this.search = db.prepare(`SELECT ${cols} FROM zendesk_users WHERE account_id = @account AND id < @before
      AND (name LIKE @like ESCAPE '\\' OR email LIKE @like ESCAPE '\\' OR external_id LIKE @like ESCAPE '\\') ORDER BY id DESC LIMIT @limit`)
    this.total = db.prepare('SELECT count(*) FROM zendesk_users WHERE account_id = ?').pluck()
  }

  list (accountId: string, query: UserListQuery): UserListPage {
    const before = query.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(query.cursor)
    const params = { account: accountId, before: Number.isSafeInteger(before) ? before : Number.MAX_SAFE_INTEGER, limit: query.limit + 1 }
    const rows = (query.q ? this.search.all({ ...params, like: likePattern(query.q) }) : this.page.all(params)) as Row[]
    const more = rows.length > query.limit
    if (more) rows.pop()
    return {
      total: this.total.get(accountId) as number,
      users: rows.map(r => ({
        id: r.id,
        name: r.name,
        email: r.email,
        externalId: r.external_id,
        role: r.active ? (r.suspended ? `${r.role} (suspended)` : r.role) : `${r.role} (deleted)`,
        updatedAt: r.updated_at
      })),
      next: more ? String(rows[rows.length - 1]!.id) : null
    }
  }
}

interface Row { id: number, name: string, email: string | null, external_id: string | null, role: string, active: number, suspended: number, updated_at: string }

/** `%text%` with LIKE's own wildcards escaped. */
