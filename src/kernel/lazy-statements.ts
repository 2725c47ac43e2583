import type { Statement } from 'better-sqlite3'
import type { Database } from './database.js'

/**
 * Statements prepared on first use (issue 17, the fixture cycle): a store names every statement it
 * needs when it is made, but an app that lives for one test runs a handful of them, and preparing
 * the hundred of them was a tenth of building an app. Each statement is still prepared once, by
 * the store that owns it, and reused on every later call: no request prepares twice.
 *
 * `lazily(db).prepare` is typed as `db.prepare` and takes the same modifiers (`pluck`, `raw`,
 * `expand`, `safeIntegers`), applied at once when the statement exists, else when it is made.
 */
export interface LazyPreparer {
  prepare: <BindParameters extends unknown[] | {} = unknown[], Result = unknown>(sql: string) => Statement<BindParameters extends unknown[] ? BindParameters : [BindParameters], Result>
}

type Modifier = 'pluck' | 'raw' | 'expand' | 'safeIntegers'

/** better-sqlite3 refuses an explicit `undefined` toggle: `pluck()` is not `pluck(undefined)`. */
function apply (statement: Statement, modifier: Modifier, toggle: boolean | undefined): void {
  if (toggle === undefined) statement[modifier]()
  else statement[modifier](toggle)
}

class LazyStatement {
  private statement: Statement | undefined
  private modifiers: Array<[Modifier, boolean | undefined]> | undefined
  private readonly db: Database
  readonly source: string

  constructor (db: Database, sql: string) {
    this.db = db
    this.source = sql
  }

  private get made (): Statement {
    if (this.statement !== undefined) return this.statement
    const statement = this.db.prepare(this.source)
    for (const [modifier, toggle] of this.modifiers ?? []) apply(statement, modifier, toggle)
    this.modifiers = undefined
    return (this.statement = statement)
  }

  private modify (modifier: Modifier, toggle: boolean | undefined): this {
    if (this.statement !== undefined) apply(this.statement, modifier, toggle)
    else (this.modifiers ??= []).push([modifier, toggle])
    return this
  }

  get database (): Database { return this.db }
  get reader (): boolean { return this.made.reader }
  get readonly (): boolean { return this.made.readonly }
  get busy (): boolean { return this.statement?.busy ?? false }

  run (...params: unknown[]): unknown { return this.made.run(...params) }
  get (...params: unknown[]): unknown { return this.made.get(...params) }
  all (...params: unknown[]): unknown[] { return this.made.all(...params) }
  iterate (...params: unknown[]): IterableIterator<unknown> { return this.made.iterate(...params) }
  columns (): unknown { return this.made.columns() }
  bind (...params: unknown[]): unknown { return this.made.bind(...params) }
  pluck (toggle?: boolean): this { return this.modify('pluck', toggle) }
  raw (toggle?: boolean): this { return this.modify('raw', toggle) }
  expand (toggle?: boolean): this { return this.modify('expand', toggle) }
  safeIntegers (toggle?: boolean): this { return this.modify('safeIntegers', toggle) }
}

/** `lazily(db).prepare(sql)`: in place of `db.prepare(sql)`, a statement prepared when first run. */
export function lazily (db: Database): LazyPreparer {
  return { prepare: (sql: string) => new LazyStatement(db, sql) as never }
}
