import type { FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { AccountStore } from '../../kernel/accounts.js'
import { ALPHANUMERIC } from '../../kernel/ids.js'
import type { Kernel } from '../../kernel/kernel.js'
import type { CredentialFacts, Identified } from '../../kernel/service.js'
import { errors, type DrfError } from './errors.js'

/**
 * DRF's TokenAuthentication: `Authorization: Token <key>`, keyword case-insensitive, split on
 * ASCII whitespace of the raw header bytes. Runs before the body is read.
 *
 * @see https://github.com/encode/django-rest-framework/blob/master/rest_framework/authentication.py
 */
export type TokenOutcome =
  | { kind: 'none' }
  | { kind: 'key', key: string }
  | { kind: 'error', error: () => DrfError }

const ASCII_WS = /[ \t\n\r\v\f]+/
const decoder = new TextDecoder('utf-8', { fatal: true })

export function readToken (header: string | undefined): TokenOutcome {
  if (header === undefined) return { kind: 'none' }
  // Node hands header bytes over as Latin-1 characters; DRF works on those bytes.
  const parts = header.split(ASCII_WS).filter(p => p !== '')
  if (parts.length === 0 || parts[0]!.toLowerCase() !== 'token') return { kind: 'none' }
  if (parts.length === 1) return { kind: 'error', error: () => errors.authenticationFailed('Invalid token header. No credentials provided.') }
  if (parts.length > 2) return { kind: 'error', error: () => errors.authenticationFailed('Invalid token header. Token string should not contain spaces.') }
  try {
    return { kind: 'key', key: decoder.decode(Buffer.from(parts[1]!, 'latin1')) }
  } catch {
    return { kind: 'error', error: () => errors.authenticationFailed('Invalid token header. Token string should not contain invalid characters.') }
  }
}

/** The account a request's token names, and the token as read, without answering anything. */
export function identifyAccount (accounts: AccountStore, req: FastifyRequest): Identified {
  const credentials = readToken(req.headers.authorization)
  return { account: (credentials.kind === 'key' ? accounts.find('usercom', 'key', credentials.key) : undefined) ?? null, credentials }
}

/** An account's User.com side: the app's REST API key (64 letters and digits). */
// Module constants: every app registers the same schema objects, so compiled code is shared.
const ViewSchema = Type.Object({ apiKey: Type.String(), baseUrl: Type.String() })
const InputSchema = Type.Object({ apiKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{64}$' })) }, { additionalProperties: false })

export function credentialFacts (kernel: Kernel): CredentialFacts {
  return {
    schema: ViewSchema,
    inputSchema: InputSchema,
    fromConfig: (config) => ({ apiKey: config.USERCOM_API_KEY }),
    generate: (_accountId, given) => ({ apiKey: given.apiKey ?? kernel.ids.token(64, ALPHANUMERIC) }),
    secrets: (c) => [['key', c.apiKey ?? '']]
  }
}

/** The 401 DRF would answer when `req.account` is null. */
export function authenticationError (req: FastifyRequest): DrfError {
  const outcome = req.credentials as TokenOutcome
  if (outcome.kind === 'none') return errors.notAuthenticated()
  if (outcome.kind === 'error') return outcome.error()
  // Not emulated: "User inactive or deleted." (accounts here have no inactive state).
  return errors.authenticationFailed('Invalid token.')
}
