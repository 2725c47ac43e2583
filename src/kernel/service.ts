import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { TObject } from '@sinclair/typebox'
import type { Config } from '../config.js'
import type { RawAnswer } from './http-errors.js'
import type { Account, Credentials } from './accounts.js'
import type { Kernel } from './kernel.js'

/**
 * The contract between the kernel and an emulated vendor. The kernel imports no vendor
 * module: a vendor module exports its facts and one factory, `create(kernel)`, and the app
 * registers what it returns. Anything that needs "the vendors" (the control plane, the OpenAPI
 * documents, the default account, the rate limits) reads these facts instead of naming them.
 */

/** `zendesk`, `usercom`: a key of the account's credentials, the state dump and the limits. */
export type VendorName = string

/** What is known of a vendor before any app exists: the registry, the documents and the 404 read it. */
export interface VendorFacts {
  name: VendorName
  /** How people call it: `Zendesk`, `User.com`. */
  title: string
  /** `/api/v2`, `/api/public`: every request whose path starts with it belongs to the service. */
  prefix: string
  /** Appended to the origin, the base URL clients are given (`/api/v2`, `/api/public`), no trailing slash: `${baseUrl}/users`. */
  baseUrlPath: string
}

/** What a vendor module exports: its facts and `create`, the one factory of its service. */
export interface VendorModule extends VendorFacts {
  create: (kernel: Kernel) => Service
}

/** One emulated vendor API for one app: an encapsulated plugin under its own prefix, with its own tables. */
export interface Service extends VendorFacts {
  /** The Fastify plugin, registered once under `prefix`; it registers `vendorScope` first. */
  plugin: FastifyPluginAsync
  /** The control plane's handle on the module's data (reset, dump, load). */
  state: ServiceState
  credentials: CredentialFacts
  rateLimits: RateLimitFacts
  /** What the state dump holds for this vendor (the control plane's document says it). */
  stateDescription: string
  /**
   * Finds the account a request's credentials belong to, parsing them once: the shared scope
   * plugin calls it first (faults and the journal match on the account) and keeps the parsed
   * credentials on `req.credentials`, from which the module's own hook answers its 401s.
   */
  identify: (req: FastifyRequest) => Identified
  /**
   * Answers a request whose path cannot even be decoded (`%E0`): Fastify refuses it before any
   * plugin runs, so the app asks the service whose prefix the raw path is under.
   */
  badUrl: (reply: FastifyReply) => FastifyReply
  /**
   * Optional: the path as the vendor's front servers hand it on, before routing (Zendesk's
   * nginx merges repeated slashes). Called only for URLs under `prefix + '/'`.
   */
  rewriteUrl?: (url: string) => string
  /**
   * The vendor's answer to a request Node refuses before any route runs (kernel/http-errors.ts):
   * 400 (unknown method, NUL in a header, Content-Length with Transfer-Encoding), 408 (the
   * request did not arrive whole in time), 431 (request line and headers over 16 KiB).
   */
  clientError: (status: 400 | 408 | 431) => RawAnswer
}

export interface Identified {
  account: Account | null
  /** The vendor's parsed view of the credentials presented (none, malformed, a token, …). */
  credentials: unknown
}

/** A vendor's share of an account: its credentials, made, shown and indexed the vendor's way. */
export interface CredentialFacts {
  /** What `/__mock/accounts` shows (without `baseUrl`, which the control plane adds). */
  schema: TObject
  /** What `POST /__mock/accounts` accepts for this vendor; every field optional. */
  inputSchema: TObject
  /** The default account's credentials, from configuration. */
  fromConfig: (config: Config) => Credentials
  /** Fresh credentials for a new account `accountId`; `given` fields win. */
  generate: (accountId: string, given: Partial<Credentials>) => Credentials
  /**
   * The secrets a request may present, each under a kind (`token`, `password`, …): the account
   * store indexes them by digest, and `accounts.find(vendor, kind, secret)` looks them up.
   */
  secrets: (credentials: Credentials) => Array<[kind: string, secret: string]>
}

/** A vendor's rate-limit settings: numbers only, 0 turns one off. */
export interface RateLimitFacts {
  defaults: Record<string, number>
  /** The settings in force (the control plane's view). */
  schema: TObject
  /** A runtime override, every field optional, with its bounds. */
  overridesSchema: TObject
  /**
   * What each of the vendor's limiter windows is, for the inspector: the key after
   * `{account}:{vendor}` (`''` for the vendor's only window) → a label.
   */
  windowKinds: Record<string, string>
}

/**
 * What `/__mock` does to one vendor's data of one account. Every method is synchronous and may
 * run inside the caller's transaction (reset of every account at once, load of a whole state).
 */
export interface ServiceState {
  /** Deletes every row the account owns in this vendor (users, organizations, jobs, …). */
  reset: (accountId: string) => void
  /**
   * The account's data in the vendor's own wire shapes, e.g. `{ users: [...] }` with each user
   * exactly as `GET users/{id}` renders it; `origin` (`http://host:port`) builds the URLs in them.
   */
  dump: (accountId: string, origin: string) => Record<string, unknown>
  /** Replaces the account's data with a dump (ids and timestamps kept); returns counts by kind. */
  load: (accountId: string, data: Record<string, unknown>) => Record<string, number>
  /** Counts by kind (`{ users: 3 }`), cheap. */
  count: (accountId: string) => Record<string, number>
  /** A page of the account's users in one summary shape, newest first (the inspector's table). */
  listUsers: (accountId: string, query: UserListQuery) => UserListPage
}

export interface UserListQuery { q?: string, limit: number, cursor?: string }
export interface UserSummary { id: number, name: string | null, email: string | null, externalId: string | null, role: string, updatedAt: string }
export interface UserListPage { total: number, users: UserSummary[], next: string | null }

declare module 'fastify' {
  interface FastifyRequest {
    /** The vendor whose scope answers the request; null for the control plane and elsewhere. */
    vendor: VendorName | null
    /** The account the credentials belong to; null when there are none or they are wrong. */
    account: Account | null
    /** The vendor's parsed credentials (`Identified.credentials`), read once per request. */
    credentials: unknown
    /** The response payload as sent, kept for the journal. */
    journalPayload: string | null
    /** The id of the fault rule that hit the request, for the journal. */
    fault: string | null
  }
}

/** The kernel and the services registered on it: what the control plane and the in-process API act on. */
export interface Emulator {
  kernel: Kernel
  services: readonly Service[]
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every emulated vendor, in registration order. */
    services: readonly Service[]
  }
}
