import type { AccountView, NewAccountInput } from './control/actions.js'
import type { ClockState } from './kernel/clock.js'
import type { FaultRule } from './kernel/faults.js'
import type { JournalEntry, JournalFilter } from './kernel/journal.js'
import {
  clockAdvance, clockInstant, waitForEntry, type AccountHandle, type ControlHandle, type RateLimits, type UserDoubleState
} from './api-types.js'

export interface ControlClientOptions {
  /** The instance's `ADMIN_TOKEN`, sent as `Authorization: Bearer …` to `/__mock`. */
  adminToken?: string
  /** A fetch to use instead of the global one (a proxy agent, a test double). */
  fetch?: typeof fetch
}

/** A control plane refusal: its status and `{"error": {code, message}}`. */
export class ControlError extends Error {
  override name = 'ControlError'
  constructor (readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

/** The control plane of a userdouble elsewhere (Docker, another host), over HTTP. */
export interface ControlClient extends ControlHandle<Promise<void>> {
  /** Whether it answers, and its version (`GET /__mock/health`). */
  health: () => Promise<{ status: string, version: string } & Record<string, unknown>>
}

/**
 * A typed client for the control plane of a userdouble reachable at `baseUrl`
 * (`http://localhost:8080`), with the methods of `startUserDouble()`'s handle. It reads the
 * default account first, so it rejects when the instance cannot be reached or refuses the token.
 *
 * ```ts
 * const ud = await createControlClient('http://localhost:8080', { adminToken: process.env.ADMIN_TOKEN })
 * await ud.reset()
 * await ud.setRateLimits({ zendesk: { perMinute: 10 } })
 * ```
 */
export async function createControlClient (baseUrl: string, options: ControlClientOptions = {}): Promise<ControlClient> {
  const url = baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const headers: Record<string, string> = options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {}

  async function call<T> (method: string, path: string, body?: unknown): Promise<T> {
    const res = await doFetch(`${url}/__mock${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    if (!res.ok) {
      let code = 'http_error'
      let message = `${method} /__mock${path} answered ${res.status}`
      try {
        const parsed = JSON.parse(text) as { error?: { code?: string, message?: string } }
        if (parsed.error?.code) code = parsed.error.code
        if (parsed.error?.message) message = `${message}: ${parsed.error.message}`
      } catch {}
      throw new ControlError(res.status, code, message)
    }
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
  const query = (filter: object): string => {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v))
    const s = q.toString()
    return s ? `?${s}` : ''
  }
  const journal = async (filter: JournalFilter = {}): Promise<JournalEntry[]> =>
    (await call<{ requests: JournalEntry[] }>('GET', `/requests${query(filter)}`)).requests
  const id$ = encodeURIComponent

  const handle = (view: AccountView): AccountHandle => {
    const id = view.id
    const requests: AccountHandle['requests'] = async (filter = {}) => journal({ ...filter, account: id })
    return {
      id,
      zendesk: view.zendesk as AccountHandle['zendesk'],
      usercom: view.usercom as AccountHandle['usercom'],
      reset: async () => { await call('POST', `/accounts/${id$(id)}/reset`) },
      requests,
      waitForRequest: async (filter = {}, wait = {}) => waitForEntry(async () => requests({ ...filter, limit: 1 }), filter, wait, 100),
      state: async () => call<UserDoubleState>('GET', `/accounts/${id$(id)}/state`),
      loadState: async (state) => { await call('PUT', `/accounts/${id$(id)}/state`, state) },
      rateLimits: async () => call<RateLimits>('GET', `/accounts/${id$(id)}/rate-limits`),
      setRateLimits: async (overrides) => call<RateLimits>('PUT', `/accounts/${id$(id)}/rate-limits`, overrides),
      addFault: async (rule) => call<FaultRule>('POST', '/faults', { ...rule, account: id }),
      faults: async () => (await call<{ faults: FaultRule[] }>('GET', `/faults${query({ account: id })}`)).faults,
      clearFaults: async () => { await call('DELETE', `/faults${query({ account: id })}`) }
    }
  }
  const account = async (id: string): Promise<AccountHandle> => handle(await call<AccountView>('GET', `/accounts/${id$(id)}`))
  const main = await account('default')
  const clock = async (change: object): Promise<void> => { await call('POST', '/clock', change) }
  return {
    ...main,
    url,
    createAccount: async (input?: NewAccountInput) => handle(await call<AccountView>('POST', '/accounts', input ?? {})),
    account,
    requests: journal,
    waitForRequest: async (filter = {}, wait = {}) => waitForEntry(async () => journal({ ...filter, limit: 1 }), filter, wait, 100),
    reset: async () => { await call('POST', '/reset') },
    clock: {
      advance: async (seconds) => clock({ advance: clockAdvance(seconds) / 1000 }),
      set: async (iso) => clock({ now: new Date(clockInstant(iso)).toISOString() }),
      real: async () => clock({ mode: 'real' }),
      freeze: async () => clock({ mode: 'frozen' }),
      state: async () => call<ClockState>('GET', '/clock')
    },
    health: async () => call('GET', '/health')
  }
}
