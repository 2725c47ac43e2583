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
    if (this.mode === 'frozen') {
      this.frozenAt += ms
    } else {
      this.offsetMs += ms
      this.mode = this.offsetMs === 0 ? 'real' : 'offset'
    }
  }

  /** Sets the time. Frozen by default, so that tests see exactly the instant they set. */
  set (epochMs: number, mode: 'frozen' | 'offset' = 'frozen'): void {
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

  state (): ClockState {
    return { mode: this.mode, now: new Date(this.now()).toISOString(), offsetMs: this.mode === 'offset' ? this.offsetMs : 0 }
  }
}

/** A clock frozen at an instant: what tests usually want. */
export function fixedClock (iso: string): ControllableClock {
  const clock = new ControllableClock()
  clock.set(Date.parse(iso), 'frozen')
  return clock
}
