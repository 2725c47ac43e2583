import type { Database } from '../../kernel/database.js'
import type { IdGenerator } from '../../kernel/ids.js'
import { RecordInvalid, RecordNotFound, type ValidationProblem } from './errors.js'
import type { Scalar, UserInput } from './users.input.js'
import {
  asText, DATE_PATTERN, definitionProblems, isDropdown, normalise, parseOptions, viewOf,
  type FieldInput, type FieldOption, type FieldRow, type FieldView
} from './user-fields.model.js'
import { idAt, isoSeconds, sequenceAt } from './vocabulary.js'
import { lazily } from '../../kernel/lazy-statements.js'

const COLUMNS = ['account_id', 'id', 'type', 'key', 'title', 'description', 'position', 'active', 'regexp_for_validation', 'tag', 'options', 'created_at', 'updated_at'] as const

/** What a user write becomes once the account's definitions have read its `user_fields`. */
export interface FieldsOutcome { input: UserInput, problems: ValidationProblem[] }

/**
 * The account's user field definitions in SQLite (`zendesk_user_fields`), and their effect on
 * user writes. Definitions are read per account once and kept, sorted by key, until one changes.
 */
export class UserFieldsStore {
  private readonly ids: IdGenerator
  private readonly s
  private readonly cache = new Map<string, FieldView[]>()
  private readonly createTx
  private readonly updateTx
  private readonly deleteTx

  constructor (db: Database, ids: IdGenerator) {
    this.ids = ids
    const s = this.s = {
      all: lazily(db).prepare<[accountId: string], FieldRow>('SELECT * FROM zendesk_user_fields WHERE account_id = ? ORDER BY position, id'),
      byKeyOrder: lazily(db).prepare<[accountId: string], FieldRow>('SELECT * FROM zendesk_user_fields WHERE account_id = ? ORDER BY key'),
      byId: lazily(db).prepare<[accountId: string, id: number], FieldRow>('SELECT * FROM zendesk_user_fields WHERE account_id = ? AND id = ?'),
      byKey: lazily(db).prepare<[accountId: string, key: string], FieldRow>('SELECT * FROM zendesk_user_fields WHERE account_id = ? AND key = ?'),
      count: lazily(db).prepare<[accountId: string], number>('SELECT count(*) FROM zendesk_user_fields WHERE account_id = ?').pluck(),
      insert: lazily(db).prepare<FieldRow>(`INSERT INTO zendesk_user_fields (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(c => '@' + c).join(', ')})`),
      update: lazily(db).prepare<FieldRow>(`UPDATE zendesk_user_fields SET ${COLUMNS.slice(2).map(c => `${c} = @${c}`).join(', ')} WHERE account_id = @account_id AND id = @id`),
      delete: lazily(db).prepare<[accountId: string, id: number]>('DELETE FROM zendesk_user_fields WHERE account_id = ? AND id = ?'),
      // A deleted field's values go with it: a field made later under the same key starts empty.
      forget: lazily(db).prepare<[path: string, accountId: string]>("UPDATE zendesk_users SET user_fields = json_remove(user_fields, ?) WHERE account_id = ? AND user_fields <> '{}'"),
      reset: lazily(db).prepare<[accountId: string]>('DELETE FROM zendesk_user_fields WHERE account_id = ?')
    }
    const maxField = lazily(db).prepare<[string], number | null>('SELECT max(id) FROM zendesk_user_fields WHERE account_id = ?').pluck()
    ids.register('zendesk_user_fields', (accountId) => sequenceAt(maxField.get(accountId) ?? 0))
    const maxOption = lazily(db).prepare<[string], number | null>("SELECT max(json_extract(o.value, '$.id')) FROM zendesk_user_fields f, json_each(f.options) o WHERE f.account_id = ?").pluck()
    ids.register('zendesk_user_field_options', (accountId) => sequenceAt(maxOption.get(accountId) ?? 0))

    this.createTx = db.transaction((accountId: string, input: FieldInput, now: number): FieldRow => {
      const stamp = isoSeconds(now)
      const type = asText(input.type)?.trim() ?? ''
      const row: FieldRow = {
        account_id: accountId,
        id: 0,
        type,
        key: asText(input.key)?.trim() ?? '',
        title: asText(input.title) ?? '',
        description: asText(input.description) ?? '',
        position: typeof input.position === 'number' && Number.isSafeInteger(input.position) ? input.position : (s.count.get(accountId) ?? 0),
        active: input.active === false ? 0 : 1,
        regexp_for_validation: type === 'date' ? DATE_PATTERN : type === 'regexp' ? (asText(input.regexp_for_validation) ?? null) : null,
        tag: type === 'checkbox' ? (asText(input.tag)?.trim() || null) : null,
        options: '[]',
        created_at: stamp,
        updated_at: stamp
      }
      const options = isDropdown(type) ? parseOptions(input.custom_field_options) ?? [] : []
      const details = definitionProblems({ ...row, optionCount: options.length }, row.key !== '' && s.byKey.get(accountId, row.key) !== undefined)
      if (Object.keys(details).length > 0) throw new RecordInvalid(details)
      row.options = JSON.stringify(options.map(o => this.option(accountId, o)))
      row.id = idAt(ids.nextInt(accountId, 'zendesk_user_fields'))
      s.insert.run(row)
      this.cache.delete(accountId)
      return row
    })

    this.updateTx = db.transaction((accountId: string, id: number, input: FieldInput, now: number): FieldRow => {
      const target = s.byId.get(accountId, id)
      if (!target) throw new RecordNotFound()
      // Not emulated: changing a field's type or key (both stay as created).
      const row: FieldRow = { ...target }
      const title = asText(input.title)
      if (title !== undefined) row.title = title
      const description = asText(input.description)
      if (description !== undefined) row.description = description
      if (typeof input.position === 'number' && Number.isSafeInteger(input.position)) row.position = input.position
      if (typeof input.active === 'boolean') row.active = input.active ? 1 : 0
      if (row.type === 'regexp' && input.regexp_for_validation !== undefined) row.regexp_for_validation = asText(input.regexp_for_validation) ?? null
      if (row.type === 'checkbox' && input.tag !== undefined) row.tag = asText(input.tag)?.trim() || null
      let optionCount = (JSON.parse(row.options) as FieldOption[]).length
      let options: FieldOption[] | undefined
      if (isDropdown(row.type) && input.custom_field_options !== undefined) {
        // The list replaces the options; an option keeps its id when its value stays.
        const before = new Map((JSON.parse(row.options) as FieldOption[]).map(o => [o.value, o.id]))
        const given = parseOptions(input.custom_field_options) ?? []
        optionCount = given.length
        options = given.map(o => ({ id: o.id ?? before.get(o.value) ?? 0, name: o.name, value: o.value }))
      }
      const details = definitionProblems({ ...row, optionCount }, false)
      if (Object.keys(details).length > 0) throw new RecordInvalid(details)
      if (options) row.options = JSON.stringify(options.map(o => o.id ? o : this.option(accountId, { id: undefined, name: o.name, value: o.value })))
      row.updated_at = isoSeconds(now)
      s.update.run(row)
      this.cache.delete(accountId)
      return row
    })

    this.deleteTx = db.transaction((accountId: string, id: number): void => {
      const target = s.byId.get(accountId, id)
      if (!target) throw new RecordNotFound()
      s.delete.run(accountId, id)
      s.forget.run(`$."${target.key}"`, accountId)
      this.cache.delete(accountId)
    })
  }

  private option (accountId: string, o: { id: number | undefined, name: string, value: string }): FieldOption {
    return { id: o.id ?? idAt(this.ids.nextInt(accountId, 'zendesk_user_field_options')), name: o.name, value: o.value }
  }

  /** The definitions as `GET user_fields` lists them (position, then id). */
  list (accountId: string): FieldRow[] {
    return this.s.all.all(accountId)
  }

  get (accountId: string, id: number): FieldRow | undefined {
    return this.s.byId.get(accountId, id)
  }

  create (accountId: string, input: FieldInput, now: number): FieldRow {
    return this.createTx.immediate(accountId, input, now)
  }

  update (accountId: string, id: number, input: FieldInput, now: number): FieldRow {
    return this.updateTx.immediate(accountId, id, input, now)
  }

  delete (accountId: string, id: number): void {
    this.deleteTx.immediate(accountId, id)
  }

  /** The definitions a user renders, sorted by key; empty when the account defines none. */
  views (accountId: string): FieldView[] {
    let views = this.cache.get(accountId)
    if (!views) {
      views = this.s.byKeyOrder.all(accountId).map(viewOf)
      this.cache.set(accountId, views)
    }
    return views
  }

  /**
   * A user write's `user_fields` read against the definitions: undefined keys dropped, values
   * checked and normalised, a checkbox's tag added (true) or removed (false) on the user's tags.
   * An account without definitions keeps every scalar as sent (userdouble's choice, docs/zendesk.md).
   */
  apply (accountId: string, storedTags: string | undefined, input: UserInput): FieldsOutcome {
    const sent = input.user_fields
    if (sent === undefined) return { input, problems: [] }
    const views = this.views(accountId)
    if (views.length === 0) return { input, problems: [] }
    const problems: ValidationProblem[] = []
    const values: Record<string, Scalar> = {}
    let tags: string[] | undefined
    for (const [key, raw] of Object.entries(sent)) {
      const field = views.find(f => f.key === key)
      if (!field) continue
      const outcome = normalise(field, raw)
      if (outcome === undefined) continue
      if ('problem' in outcome) {
        problems.push(outcome.problem)
        continue
      }
      values[key] = outcome.value
      if (field.type === 'checkbox' && field.tag !== null) {
        tags ??= [...(input.tags ?? (storedTags === undefined ? [] : JSON.parse(storedTags) as string[]))]
        const at = tags.indexOf(field.tag)
        if (outcome.value === true && at < 0) tags.push(field.tag)
        if (outcome.value === false && at >= 0) tags.splice(at, 1)
      }
    }
    return { input: { ...input, user_fields: values, ...(tags ? { tags } : {}) }, problems }
  }

  // ----- the control plane's view -----

  reset (accountId: string): void {
    this.s.reset.run(accountId)
    this.cache.delete(accountId)
  }

  /** Inserts definitions from a dump (ids and timestamps kept when given); the caller owns the transaction. */
  load (accountId: string, fields: Array<Record<string, unknown>>, now: string, next: (sequence: string) => number, fail: (message: string) => Error): number {
    const stamp = (v: unknown, fallback: string): string => typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? isoSeconds(Date.parse(v)) : fallback
    let max = 0
    let maxOption = 0
    fields.forEach((f, i) => {
      const type = asText(f.type) ?? ''
      const key = asText(f.key) ?? ''
      const options = (isDropdown(type) ? parseOptions(f.custom_field_options) ?? [] : []).map(o => ({ id: o.id ?? next('zendesk_user_field_options'), name: o.name, value: o.value }))
      const created = stamp(f.created_at, now)
      const row: FieldRow = {
        account_id: accountId,
        id: typeof f.id === 'number' && Number.isSafeInteger(f.id) ? f.id : next('zendesk_user_fields'),
        type,
        key,
        title: asText(f.title) ?? key,
        description: asText(f.description) ?? '',
        position: typeof f.position === 'number' && Number.isSafeInteger(f.position) ? f.position : i,
        active: f.active === false ? 0 : 1,
        regexp_for_validation: type === 'date' ? DATE_PATTERN : type === 'regexp' ? (asText(f.regexp_for_validation) ?? null) : null,
        tag: type === 'checkbox' ? (asText(f.tag) ?? null) : null,
        options: JSON.stringify(options),
        created_at: created,
        updated_at: stamp(f.updated_at, created)
      }
      const details = definitionProblems({ ...row, optionCount: options.length }, this.s.byKey.get(accountId, key) !== undefined)
      const first = Object.values(details)[0]?.[0]
      if (first) throw fail(`zendesk.user_fields[${i}]: ${first.description}`)
      this.s.insert.run(row)
      max = Math.max(max, row.id)
      for (const o of options) maxOption = Math.max(maxOption, o.id)
    })
    this.cache.delete(accountId)
    if (max > 0) this.ids.atLeast(accountId, 'zendesk_user_fields', sequenceAt(max))
    if (maxOption > 0) this.ids.atLeast(accountId, 'zendesk_user_field_options', sequenceAt(maxOption))
    return fields.length
  }
}
