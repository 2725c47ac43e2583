import type { Database } from './database.js'
import type { UserListPage, UserListQuery, UserSummary } from './service.js'
import { lazily } from './lazy-statements.js'

/** `text` as a LIKE pattern matching it anywhere, with `\` as the escape character. */
export const likePattern = (text: string): string => '%' + text.replace(/[\\%_]/g, c => '\\' + c) + '%'

/**
 * A vendor table's users, newest first, keyset-paged on the primary key (a page costs the same at
 * user 100,000 as at user 1): the inspector's listing. A vendor gives its table, the columns it
 * reads, the columns `q` searches (a LIKE on each, or on an expression), and how a row reads as a
 * summary. Statements are prepared once, here.
 */
export function keysetListing<Row extends { id: number }> (
  db: Database, table: string, columns: string, searched: string[], summary: (row: Row) => UserSummary
): (accountId: string, query: UserListQuery) => UserListPage {
  const like = searched.map(c => `${c} LIKE @like ESCAPE '\\'`).join(' OR ')
  const page = lazily(db).prepare<[{ account: string, before: number, limit: number }], Row>(
    `SELECT ${columns} FROM ${table} WHERE account_id = @account AND id < @before ORDER BY id DESC LIMIT @limit`)
  const search = lazily(db).prepare<[{ account: string, before: number, limit: number, like: string }], Row>(
    `SELECT ${columns} FROM ${table} WHERE account_id = @account AND id < @before AND (${like}) ORDER BY id DESC LIMIT @limit`)
  const total = lazily(db).prepare<[string], number>(`SELECT count(*) FROM ${table} WHERE account_id = ?`).pluck()
  return (accountId, query) => {
    const before = query.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(query.cursor)
    const params = { account: accountId, before: Number.isSafeInteger(before) ? before : Number.MAX_SAFE_INTEGER, limit: query.limit + 1 }
    const rows = query.q ? search.all({ ...params, like: likePattern(query.q) }) : page.all(params)
    const more = rows.length > query.limit
    if (more) rows.pop()
    return {
      total: total.get(accountId) ?? 0,
      users: rows.map(summary),
      next: more ? String(rows[rows.length - 1]!.id) : null
    }
  }
}
