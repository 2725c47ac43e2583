import type { Database } from '../../kernel/database.js'
import type { UserListPage, UserListQuery } from '../../kernel/service.js'
import { keysetListing } from '../../kernel/sql.js'
import { drfDateTime, STATUSES } from './render.js'

interface Row { id: number, first_name: string | null, last_name: string | null, email: string | null, user_id: string | null, status: number, updated_at: number }

/**
 * The inspector's page of an account's User.com users (`GET /__mock/accounts/{id}/users?vendor=usercom`):
 * newest first, keyset-paged on the primary key; `q` is a case-insensitive substring of the
 * name, email or custom id (`user_id`). Read-only, its own prepared statements.
 */
export class UsercomUserListing {
  readonly list: (accountId: string, query: UserListQuery) => UserListPage

  constructor (db: Database) {
    const searched = ['first_name', 'last_name', "(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))", 'email', 'user_id']
    this.list = keysetListing<Row>(db, 'usercom_users', 'id, first_name, last_name, email, user_id, status, updated_at', searched, r => ({
      id: r.id,
      name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
      email: r.email,
      externalId: r.user_id,
      role: STATUSES[r.status] ?? String(r.status),
      updatedAt: drfDateTime(r.updated_at)
    }))
  }
}
