import type { FastifyRequest } from 'fastify'
import type { Account, AccountStore } from '../../kernel/accounts.js'
import { CouldNotAuthenticate, InvalidToken, type ZendeskError } from './errors.js'

/**
 * Zendesk's three ways in (§4): Basic `email/token:TOKEN`, Basic `email:password`, Bearer.
 * Credentials in the body or the query string are not processed (documented).
 * @see https://developer.zendesk.com/api-reference/introduction/security-and-auth/
 */
export type Credentials =
  | { scheme: 'none' }
  | { scheme: 'token', email: string, token: string }
  | { scheme: 'password', email: string, password: string }
  | { scheme: 'bearer', token: string }
  | { scheme: 'malformed' }

const BASIC = /^basic\s+/i
const BEARER = /^bearer\s+/i
const TOKEN_SUFFIX = '/token'

export function readCredentials (header: string | undefined): Credentials {
  if (header === undefined || header === '') return { scheme: 'none' }
  if (BEARER.test(header)) {
    const token = header.replace(BEARER, '').trim()
    return token ? { scheme: 'bearer', token } : { scheme: 'malformed' }
  }
  if (!BASIC.test(header)) return { scheme: 'malformed' }
  const decoded = Buffer.from(header.replace(BASIC, '').trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return { scheme: 'malformed' }
  const user = decoded.slice(0, colon)
  const secret = decoded.slice(colon + 1)
  if (user.toLowerCase().endsWith(TOKEN_SUFFIX)) return { scheme: 'token', email: user.slice(0, -TOKEN_SUFFIX.length), token: secret }
  return { scheme: 'password', email: user, password: secret }
}

/** The account the request's credentials name, or undefined; answers nothing. */
export function identify (accounts: AccountStore, req: FastifyRequest): Account | undefined {
  const c = readCredentials(req.headers.authorization)
  switch (c.scheme) {
    case 'token': return accounts.findByZendeskToken(c.email, c.token)
    case 'password': return accounts.findByZendeskPassword(c.email, c.password)
    case 'bearer': return accounts.findByZendeskOAuth(c.token)
    default: return undefined
  }
}

/**
 * What a request without a known account gets. `users/me` is open to anonymous users: no
 * credentials or a wrong password get the anonymous user (200); a wrong API token is still a 401
 * (2026 probe notes; node-zendesk's trimmed fixtures disagree, so this is the recorded-live side).
 */
export function rejection (req: FastifyRequest, anonymousAllowed: boolean): ZendeskError | undefined {
  const c = readCredentials(req.headers.authorization)
  if (c.scheme === 'bearer') return new InvalidToken()
  if (anonymousAllowed && (c.scheme === 'none' || c.scheme === 'password')) return undefined
  return new CouldNotAuthenticate()
}
