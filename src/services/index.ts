import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../kernel/accounts.js'
import type { Migration } from '../kernel/database.js'
import type { Kernel } from '../kernel/kernel.js'
import { usercomService } from './usercom/index.js'
import { zendeskService } from './zendesk/index.js'

export type VendorName = 'zendesk' | 'usercom'

/** One emulated vendor API: an encapsulated plugin under its own prefix, with its own tables. */
export interface Service {
  name: VendorName
  /** `/api/v2`, `/api/public`: every request whose path starts with it belongs to the service. */
  prefix: string
  plugin: FastifyPluginAsync
  migrations: Migration[]
  /**
   * Finds the account a request's credentials belong to, without answering anything: the kernel
   * calls it first (fault rules and the journal match on the account), then the module's own
   * auth hook answers the vendor's 401 where it is undefined.
   */
  identify: (req: FastifyRequest) => Account | undefined
  /**
   * Answers a request whose path cannot even be decoded (`%E0`): Fastify refuses it before any
   * plugin runs, so the kernel asks the service whose prefix the raw path is under.
   */
  badUrl: (reply: FastifyReply) => FastifyReply
  /** The control plane's handle on the module's data (reset, dump, load); made once per app. */
  state: (kernel: Kernel) => ServiceState
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
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The vendor whose prefix the path is under; null for the control plane and elsewhere. */
    vendor: VendorName | null
    /** The account the credentials belong to; null when there are none or they are wrong. */
    account: Account | null
    /** The response payload as sent, kept for the journal. */
    journalPayload: string | null
    /** The id of the fault rule that hit the request, for the journal. */
    fault: string | null
  }
}

/** The registry of emulated APIs, in registration order. */
export const services: Service[] = [zendeskService, usercomService]
