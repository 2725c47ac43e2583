import type { FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { Account, AccountStore, Credentials as StoredCredentials } from '../../kernel/accounts.js'
import { HEX } from '../../kernel/ids.js'
import type { Kernel } from '../../kernel/kernel.js'
import type { CredentialFacts, Identified } from '../../kernel/service.js'
import { CouldNotAuthenticate, InvalidToken, type ZendeskError } from './errors.js'

/** An account's Zendesk side: a subdomain and its admin agent's e-mail, API token, password, OAuth token. */
export interface ZendeskCredentials extends StoredCredentials {
  subdomain: string
  email: string
  apiToken: string
  password: string
  oauthToken: string
}

export const zendeskCredentials = (account: Account): ZendeskCredentials => account.credentials.zendesk as ZendeskCredentials

// Module constants: every app registers the same schema objects, so compiled code is shared.
const ViewSchema = Type.Object({
  subdomain: Type.String(),
  email: Type.String(),
  apiToken: Type.String(),
  password: Type.String(),
  oauthToken: Type.String(),
  baseUrl: Type.String({ description: 'Give this to node-zendesk as `endpointUri`.' })
})
const InputSchema = Type.Object({
  subdomain: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' })),
  email: Type.Optional(Type.String({ minLength: 3 })),
  apiToken: Type.Optional(Type.String({ minLength: 1 })),
  password: Type.Optional(Type.String({ minLength: 1 })),
  oauthToken: Type.Optional(Type.String({ minLength: 1 }))
}, { additionalProperties: false })

export function credentialFacts (kernel: Kernel): CredentialFacts {
  return {
    schema: ViewSchema,
    inputSchema: InputSchema,
    fromConfig: (config) => ({
      subdomain: config.ZENDESK_SUBDOMAIN,
      email: config.ZENDESK_EMAIL,
      apiToken: config.ZENDESK_API_TOKEN,
      password: config.ZENDESK_PASSWORD,
      oauthToken: config.ZENDESK_OAUTH_TOKEN
    }),
    generate: (accountId, given) => {
      const subdomain = given.subdomain ?? accountId.toLowerCase().replace(/[^a-z0-9-]/g, '-')
      return {
        subdomain,
        email: given.email ?? `admin@${subdomain}.userdouble.test`,
        apiToken: given.apiToken ?? kernel.ids.token(40),
        password: given.password ?? kernel.ids.token(16),
        oauthToken: given.oauthToken ?? kernel.ids.token(64, HEX)
      }
    },
    secrets: (c) => {
      const email = (c.email ?? '').toLowerCase()
      return [['token', `${email}/token:${c.apiToken}`], ['password', `${email}:${c.password}`], ['oauth', c.oauthToken ?? '']]
    }
  }
}

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

/** The account the request's credentials name, if any, and the credentials as parsed; answers nothing. */
export function identify (accounts: AccountStore, req: FastifyRequest): Identified {
  const credentials = readCredentials(req.headers.authorization)
  return { account: find(accounts, credentials) ?? null, credentials }
}

function find (accounts: AccountStore, c: Credentials): Account | undefined {
  switch (c.scheme) {
    case 'token': return accounts.find('zendesk', 'token', `${c.email.toLowerCase()}/token:${c.token}`)
    case 'password': return accounts.find('zendesk', 'password', `${c.email.toLowerCase()}:${c.password}`)
    case 'bearer': return accounts.find('zendesk', 'oauth', c.token)
    default: return undefined
  }
}

/**
 * What a request without a known account gets. `users/me` is open to anonymous users: no
 * credentials or a wrong password get the anonymous user (200); a wrong API token is still a 401
 * (2026 probe notes; node-zendesk's trimmed fixtures disagree, so this is the recorded-live side).
 */
export function rejection (req: FastifyRequest, anonymousAllowed: boolean): ZendeskError | undefined {
  const c = req.credentials as Credentials
  if (c.scheme === 'bearer') return new InvalidToken()
  if (anonymousAllowed && (c.scheme === 'none' || c.scheme === 'password')) return undefined
  return new CouldNotAuthenticate()
}
