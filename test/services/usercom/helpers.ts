import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'

/** The default account's User.com key (config default). */
export const KEY = 'userdouble0usercom0api0key00000000000000000000000000000000000000'
export const AUTH = { authorization: `Token ${KEY}` }
export const UOC = '/api/public/users/update_or_create/'

export type Res = LightMyRequestResponse

/** POSTs a JSON body (an object, or the exact bytes given as a string). */
export function postJson (app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}): Promise<Res> {
  return app.inject({ method: 'POST', url, headers: { ...AUTH, 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) })
}

export function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<Res> {
  return app.inject({ method: 'GET', url, headers: { ...AUTH, ...headers } })
}

export function send (app: FastifyInstance, opts: InjectOptions): Promise<Res> {
  return app.inject({ ...opts, headers: { ...AUTH, ...(opts.headers ?? {}) } })
}

/** Turns the account's User.com throttle to `perPeriod` per `periodSeconds`. */
export function setThrottle (app: FastifyInstance, perPeriod: number, periodSeconds = 60): void {
  app.kernel.accounts.saveSettings('default', { rateLimits: { usercom: { perPeriod, periodSeconds } } })
}
