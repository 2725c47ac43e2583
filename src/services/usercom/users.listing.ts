import type { Statement } from 'better-sqlite3'
import type { Database } from '../../kernel/database.js'
import type { UserListPage, UserListQuery } from '../../kernel/service.js'
import { likePattern } from '../../kernel/sql.js'
import { drfDateTime, STATUSES } from './render.js'

/**
 * The inspector's page of an account's User.com users (`GET /__mock/accounts/{id}/users?vendor=usercom`):
 * newest first, keyset-paged on the primary key; `q` is a case-insensitive substring of the
 * name, email or custom id (`user_id`). Read-only, its own prepared statements.
 */
export class UsercomUserListing {
  private readonly page: Statement
  private readonly search: Statement
  private readonly total: Statement

  constructor (db: Database) {
    const cols = 'id, first_name, last_name, email, user_id, status, updated_at'
    this.page = db.prepare(`SELECT ${cols} FROM usercom_users WHERE account_id = @account AND id < @before ORDER BY id DESC LIMIT @limit`)
    this.search = db.prepare(`SELECT ${cols} FROM usercom_users WHERE account_id = @account AND id < @before
      AND (first_name LIKE @like ESCAPE '\\' OR last_name LIKE @like ESCAPE '\\' OR (coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE @like ESCAPE '\\'
        OR email LIKE @like ESCAPE '\\' OR user_id LIKE @like ESCAPE '\\') ORDER BY id DESC LIMIT @limit`)
    this.total = db.prepare('SELECT count(*) FROM usercom_users WHERE account_id = ?').pluck()
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
        name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
        email: r.email,
        externalId: r.user_id,
        role: STATUSES[r.status] ?? String(r.status),
        updatedAt: drfDateTime(r.updated_at)
      })),
      next: more ? String(rows[rows.length - 1]!.id) : null
    }
  }
}

interface Row { id: number, first_name: string | null, last_name: string | null, email: string | null, user_id: string | null, status: number, updated_at: number }
