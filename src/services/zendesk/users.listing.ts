import type { Database } from '../../kernel/database.js'
import type { UserListPage, UserListQuery } from '../../kernel/service.js'
import { keysetListing } from '../../kernel/sql.js'

interface Row { id: number, name: string, email: string | null, external_id: string | null, role: string, active: number, suspended: number, updated_at: string }

/**
 * The inspector's page of an account's Zendesk users (`GET /__mock/accounts/{id}/users?vendor=zendesk`):
 * newest first, keyset-paged on the primary key. `q` is a case-insensitive substring of name,
 * email or external_id. Read-only, its own prepared statements.
 */
export class ZendeskUserListing {
  readonly list: (accountId: string, query: UserListQuery) => UserListPage

  constructor (db: Database) {
    this.list = keysetListing<Row>(db, 'zendesk_users', 'id, name, email, external_id, role, active, suspended, updated_at', ['name', 'email', 'external_id'], r => ({
      id: r.id,
      name: r.name,
      email: r.email,
      externalId: r.external_id,
      role: r.active ? (r.suspended ? `${r.role} (suspended)` : r.role) : `${r.role} (deleted)`,
      updatedAt: r.updated_at
    }))
  }
}
