import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { basic } from '../../helpers/app.js'

/** The default account's credentials (config defaults). */
export const EMAIL = 'admin@userdouble.test'
export const TOKEN = 'userdoubleZendeskApiToken0000000000000000'
export const PASSWORD = 'userdouble-password'
export const OAUTH = 'userdouble0zendesk0oauth0token00000000000000000000000000000000000'

export const TOKEN_AUTH = basic(`${EMAIL}/token`, TOKEN)
export const PASSWORD_AUTH = basic(EMAIL, PASSWORD)
export const BEARER_AUTH = `Bearer ${OAUTH}`

/** POST create_or_update.json with a JSON body, as node-zendesk does. */
export function createOrUpdate (app: FastifyInstance, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v2/users/create_or_update.json', headers: { authorization: TOKEN_AUTH, ...headers }, payload: body as object })
}

export function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: { authorization: TOKEN_AUTH, ...headers } })
}

/** Turns rate limits off for the default account, for tests about something else. */
export function limitsOff (app: FastifyInstance): void {
  app.kernel.accounts.saveSettings('default', { rateLimits: { enabled: false } })
}

export const JSON_TYPE = 'application/json; charset=utf-8'
export const TEXT_TYPE = 'text/plain; charset=utf-8'
