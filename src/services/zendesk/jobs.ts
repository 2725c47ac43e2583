import type { Statement, Transaction } from 'better-sqlite3'
import type { Database } from '../../kernel/database.js'
import { HEX, type IdGenerator } from '../../kernel/ids.js'
import { RecordInvalid, TooManyJobs } from './errors.js'
import { parseUserHash, type UserInput } from './users.input.js'
import type { UsersStore } from './users.store.js'
import { lazily } from '../../kernel/lazy-statements.js'

/**
 * Bulk jobs (`create_or_update_many`) on the injected clock. Nothing runs on a timer: a job is
 * queued for its first second, working for the next, and completed from then on, and its users
 * are written when the first request after that instant reaches the account (or the control
 * plane reads it), stamped with the completion instant. A frozen clock therefore shows every
 * stage for as long as a test wants, and `{"advance": 2}` finishes the job.
 * @see https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/
 */
export const QUEUED_MS = 1000
export const WORKING_MS = 1000
const RETENTION_MS = 86_400_000

interface JobRow {
  account_id: string
  id: string
  total: number
  payload: string
  created_ms: number
  completes_ms: number
  results: string | null
}

/**
 * One user's outcome, in request order, as Zendesk writes it (community post 4408861015066; a
 * Zendesk advocate: status is only Created, Updated or Failed). No `index`: no user result seen
 * carries one.
 */
export type JobResult =
  | { id: number, status: 'Created' | 'Updated', email: string | null }
  | { status: 'Failed', error: 'UserUpdateError', details: string }

export class JobQueue {
  private readonly s: Record<string, Statement>
  private readonly store: UsersStore
  private readonly ids: IdGenerator
  private readonly runTx: Transaction<(job: JobRow) => void>
  /** Earliest completion of an unprocessed job, per account: the per-request check is one map read. */
  private readonly due = new Map<string, number>()

  constructor (db: Database, ids: IdGenerator, store: UsersStore) {
    this.store = store
    this.ids = ids
    this.s = {
      insert: lazily(db).prepare('INSERT INTO zendesk_jobs (account_id, id, total, payload, created_ms, completes_ms, results) VALUES (@account_id, @id, @total, @payload, @created_ms, @completes_ms, NULL)'),
      get: lazily(db).prepare('SELECT * FROM zendesk_jobs WHERE account_id = ? AND id = ?'),
      dueJobs: lazily(db).prepare('SELECT * FROM zendesk_jobs WHERE account_id = ? AND results IS NULL AND completes_ms <= ? ORDER BY completes_ms, created_ms'),
      nextDue: lazily(db).prepare('SELECT min(completes_ms) FROM zendesk_jobs WHERE account_id = ? AND results IS NULL').pluck(),
      allDue: lazily(db).prepare('SELECT account_id, min(completes_ms) AS due FROM zendesk_jobs WHERE results IS NULL GROUP BY account_id'),
      inFlight: lazily(db).prepare('SELECT id, completes_ms FROM zendesk_jobs WHERE account_id = ? AND completes_ms > ? ORDER BY created_ms, rowid'),
      finish: lazily(db).prepare('UPDATE zendesk_jobs SET results = ? WHERE account_id = ? AND id = ?'),
      purge: lazily(db).prepare('DELETE FROM zendesk_jobs WHERE account_id = ? AND results IS NOT NULL AND created_ms < ?'),
      reset: lazily(db).prepare('DELETE FROM zendesk_jobs WHERE account_id = ?'),
      count: lazily(db).prepare('SELECT count(*) FROM zendesk_jobs WHERE account_id = ?').pluck()
    }
    for (const row of this.s.allDue!.all() as Array<{ account_id: string, due: number }>) this.due.set(row.account_id, row.due)
    this.runTx = db.transaction((job: JobRow) => {
      const inputs = (JSON.parse(job.payload) as Array<Record<string, unknown>>).map(u => parseUserHash(u, 'create_or_update_many'))
      const results = inputs.map(input => this.runOne(job, input))
      this.s.finish!.run(JSON.stringify(results), job.account_id, job.id)
    })
  }

  /**
   * Queues a job for users already checked by the parameter filter. At most `maxJobs` may be
   * queued or working at once (0: no cap), else the documented TooManyJobs.
   */
  submit (accountId: string, users: Array<Record<string, unknown>>, now: number, maxJobs: number): { job: JobRow, inFlight: number } {
    const inFlight = this.s.inFlight!.all(accountId, now) as Array<{ id: string, completes_ms: number }>
    if (maxJobs > 0 && inFlight.length >= maxJobs) {
      throw new TooManyJobs(inFlight.map(j => j.id), Math.max(1, Math.ceil((inFlight[0]!.completes_ms - now) / 1000)))
    }
    this.s.purge!.run(accountId, now - RETENTION_MS)
    const job: JobRow = {
      account_id: accountId,
      id: 'V3-' + this.ids.token(32, HEX),
      total: users.length,
      payload: JSON.stringify(users),
      created_ms: now,
      completes_ms: now + QUEUED_MS + WORKING_MS,
      results: null
    }
    this.s.insert!.run(job)
    const due = this.due.get(accountId)
    if (due === undefined || job.completes_ms < due) this.due.set(accountId, job.completes_ms)
    return { job, inFlight: inFlight.length + 1 }
  }

  /** Writes the users of every job of the account whose completion instant has passed. */
  runDue (accountId: string, now: number): void {
    const due = this.due.get(accountId)
    if (due === undefined || due > now) return
    for (const job of this.s.dueJobs!.all(accountId, now) as JobRow[]) this.runTx.immediate(job)
    const next = this.s.nextDue!.get(accountId) as number | null
    if (next === null) this.due.delete(accountId)
    else this.due.set(accountId, next)
  }

  get (accountId: string, id: string, now: number): JobRow | undefined {
    const job = this.s.get!.get(accountId, id) as JobRow | undefined
    // Job data is kept for a day (documented).
    return job && now - job.created_ms <= RETENTION_MS ? job : undefined
  }

  render (job: JobRow, origin: string, now: number) {
    const base = { id: job.id, url: `${origin}/api/v2/job_statuses/${job.id}.json`, total: job.total }
    const started = job.created_ms + QUEUED_MS
    if (now < started) return { job_status: { ...base, progress: null, status: 'queued' as const, message: null, results: null } }
    if (now < job.completes_ms || job.results === null) {
      const progress = Math.min(job.total, Math.max(1, Math.floor(job.total * (now - started) / WORKING_MS)))
      return { job_status: { ...base, progress, status: 'working' as const, message: `Creating User #${progress}`, results: null } }
    }
    return {
      job_status: {
        ...base,
        progress: job.total,
        status: 'completed' as const,
        message: `Completed at ${new Date(job.completes_ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' +0000')}`,
        results: JSON.parse(job.results) as JobResult[]
      }
    }
  }

  reset (accountId: string): void {
    this.s.reset!.run(accountId)
    this.due.delete(accountId)
  }

  count (accountId: string): number {
    return this.s.count!.get(accountId) as number
  }

  private runOne (job: JobRow, input: UserInput): JobResult {
    try {
      const { user, created } = this.store.createOrUpdateNested(job.account_id, input, job.completes_ms)
      return { id: user.id, status: created ? 'Created' : 'Updated', email: user.email }
    } catch (err) {
      if (!(err instanceof RecordInvalid)) throw err
      const details = Object.values(err.details).flat().map(p => p.description).join(', ')
      return { status: 'Failed', error: 'UserUpdateError', details }
    }
  }
}
