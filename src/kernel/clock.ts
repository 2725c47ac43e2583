/**
 * The one clock behind every timestamp, rate-limit window and bulk-job step.
 *
 * Three modes: `real` (wall clock), `offset` (wall clock plus a shift, so time still runs) and
 * `frozen` (time stands still until moved). Tests move it through `/__mock/clock` or directly.
 */
export type ClockMode = 'real' | 'offset' | 'frozen'

export interface Clock {
  /** Milliseconds since the epoch. */
  now (): number
}

export interface ClockState {
  mode: ClockMode
  now: string
  offsetMs: number
}

/** The instants the clock may show: every emulated timestamp renders as `YYYY-MM-DDTHH:MM:SSZ`. */
export const CLOCK_MIN_MS = 0
export const CLOCK_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/** A move that would put the clock outside 1970-01-01..9999-12-31 (or is not a number at all). */
export class ClockRangeError extends RangeError {
  override name = 'ClockRangeError'
}

function checkInstant (ms: number, what: string): void {
  if (!Number.isFinite(ms) || ms < CLOCK_MIN_MS || ms > CLOCK_MAX_MS) {
    throw new ClockRangeError(`${what} would put the clock outside 1970-01-01T00:00:00Z..9999-12-31T23:59:59Z`)
  }
}

export class ControllableClock implements Clock {
  private mode: ClockMode = 'real'
  private offsetMs = 0
  private frozenAt = 0
  private readonly wall: () => number

  constructor (wall: () => number = Date.now) {
    this.wall = wall
  }

  now (): number {
    if (this.mode === 'frozen') return this.frozenAt
    if (this.mode === 'offset') return this.wall() + this.offsetMs
    return this.wall()
  }

  /** Moves time forward (or back, with a negative value) without changing whether it runs. */
  advance (ms: number): void {
    if (!Number.isFinite(ms)) throw new ClockRangeError('advance must be a finite number')
    checkInstant(this.now() + ms, `advancing by ${ms} ms`)
    if (this.mode === 'frozen') {
      this.frozenAt += ms
    } else {
      this.offsetMs += ms
      this.mode = this.offsetMs === 0 ? 'real' : 'offset'
    }
  }

  /** Sets the time. Frozen by default, so that tests see exactly the instant they set. */
  set (epochMs: number, mode: 'frozen' | 'offset' = 'frozen'): void {
    if (Number.isNaN(epochMs)) throw new ClockRangeError('the clock cannot be set to an invalid date')
    checkInstant(epochMs, `setting ${new Date(epochMs).getTime() === epochMs ? new Date(epochMs).toISOString() : String(epochMs)}`)
    if (mode === 'frozen') {
      this.mode = 'frozen'
      this.frozenAt = epochMs
      this.offsetMs = 0
    } else {
      this.offsetMs = epochMs - this.wall()
      this.mode = 'offset'
    }
  }

  freeze (): void {
    this.frozenAt = this.now()
    this.mode = 'frozen'
    this.offsetMs = 0
  }

  /** Gives wall-clock time back. */
  real (): void {
    this.mode = 'real'
    this.offsetMs = 0
  }

  /** The clock's settings, to put back with `restore` (a refused change of several moves). */
  snapshot (): { mode: ClockMode, offsetMs: number, frozenAt: number } {
    return { mode: this.mode, offsetMs: this.offsetMs, frozenAt: this.frozenAt }
  }

  restore (s: { mode: ClockMode, offsetMs: number, frozenAt: number }): void {
    this.mode = s.mode
    this.offsetMs = s.offsetMs
    this.frozenAt = s.frozenAt
  }

  state (): ClockState {
    return { mode: this.mode, now: new Date(this.now()).toISOString(), offsetMs: this.mode === 'offset' ? this.offsetMs : 0 }
  }
}

/** A clock frozen at an instant: what tests usually want. */
export function fixedClock (iso: string): ControllableClock {
  const clock = new ControllableClock()
  clock.set(parseInstant(iso), 'frozen')
  return clock
}

/**
 * An ISO 8601 instant as epoch ms, refused (ClockRangeError) when it is not a real date:
 * `Date.parse` rolls `2030-02-30` over to March and gives NaN for `2030-13-45`.
 */
export function parseInstant (iso: string): number {
  const ms = Date.parse(iso)
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  const rolled = m && !Number.isNaN(ms) && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) !== m[0]
  if (Number.isNaN(ms) || rolled) throw new ClockRangeError(`${JSON.stringify(iso)} is not a valid ISO 8601 date`)
  return ms
}
