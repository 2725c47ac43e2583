import type { VendorName } from './service.js'
import { seededRandom } from './ids.js'

/**
 * Fault rules: matched on vendor, method, path and account before the vendor module answers,
 * for the next N requests or with a probability (from a seeded generator, so a seeded run
 * fails the same requests every time). A rule answers a canned response, adds latency (then
 * the request goes on, or the canned response follows), or drops the connection.
 */
export interface FaultRuleInput {
  vendor?: VendorName
  method?: string
  /** Exact path (query ignored), or a prefix when it ends with `*`. */
  path?: string
  account?: string
  /** Apply to the next N matching requests, then retire. Unset: every matching request. */
  times?: number
  /** Chance, 0 to 1, that a matching request is hit. Default 1. */
  probability?: number
  /** What to do: answer (`respond`), drop the socket (`drop`), or only wait (`delay`). */
  action?: 'respond' | 'drop' | 'delay'
  latencyMs?: number
  status?: number
  headers?: Record<string, string>
  /** A string is sent as is; anything else as JSON. */
  body?: unknown
  contentType?: string
}

export interface FaultRule extends Required<Pick<FaultRuleInput, 'action' | 'probability' | 'latencyMs'>>, Omit<FaultRuleInput, 'action' | 'probability' | 'latencyMs'> {
  id: string
  /** Requests the rule has hit so far. */
  hits: number
  /** Hits left when `times` is set; null when unbounded. */
  remaining: number | null
}

export class FaultRules {
  private rules: FaultRule[] = []
  private random: () => number
  private seq = 1

  constructor (seed: number = Math.floor(Math.random() * 2 ** 32)) {
    this.random = seededRandom(seed)
  }

  /** As a new set of rules: none, ids from `fault-1` again, the PRNG seeded afresh. */
  restart (seed: number = Math.floor(Math.random() * 2 ** 32)): void {
    this.rules = []
    this.seq = 1
    this.random = seededRandom(seed)
  }

  add (input: FaultRuleInput): FaultRule {
    const rule: FaultRule = {
      id: `fault-${this.seq++}`,
      ...input,
      method: input.method?.toUpperCase(),
      action: input.action ?? (input.status !== undefined ? 'respond' : 'delay'),
      probability: input.probability ?? 1,
      latencyMs: input.latencyMs ?? 0,
      hits: 0,
      remaining: input.times ?? null
    }
    this.rules.push(rule)
    return rule
  }

  list (account?: string): FaultRule[] {
    return account === undefined ? [...this.rules] : this.rules.filter(r => r.account === account)
  }

  remove (id: string): boolean {
    const before = this.rules.length
    this.rules = this.rules.filter(r => r.id !== id)
    return this.rules.length < before
  }

  clear (account?: string): void {
    this.rules = account === undefined ? [] : this.rules.filter(r => r.account !== account)
  }

  get size (): number {
    return this.rules.length
  }

  /** The first rule that hits this request, with its count consumed; undefined if none. */
  match (vendor: string, method: string, path: string, account: string | null): FaultRule | undefined {
    if (this.rules.length === 0) return undefined
    for (const rule of this.rules) {
      if (rule.vendor && rule.vendor !== vendor) continue
      if (rule.method && rule.method !== method) continue
      if (rule.account && rule.account !== account) continue
      if (rule.path) {
        if (rule.path.endsWith('*') ? !path.startsWith(rule.path.slice(0, -1)) : rule.path !== path) continue
      }
      if (rule.probability < 1 && this.random() >= rule.probability) continue
      rule.hits++
      if (rule.remaining !== null) {
        rule.remaining--
        if (rule.remaining <= 0) this.remove(rule.id)
      }
      return rule
    }
    return undefined
  }
}
