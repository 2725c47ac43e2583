import * as crypto from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The caching headers Zendesk's Rails stack puts on its answers (§10.1, recorded per endpoint):
 * - `ETag: W/"<md5 of the body>"` on every 2xx JSON answer (Rack::ETag's weak tag; none on a
 *   422 or a 429). `If-None-Match` is not honoured: a client that sent the matching tag to
 *   Zendesk still got 200 with the body (zendesk/zendesk_api_client_rb#322), so no 304 here;
 * - `Cache-Control`: `max-age=5, private` on GET users/{id}, `max-age=10, private` on GET
 *   users/search, `max-age=0, private, must-revalidate` on every other 2xx and `no-cache` on errors.
 */

const SHOW = 'max-age=5, private'
const SEARCH = 'max-age=10, private'
const REVALIDATE = 'max-age=0, private, must-revalidate'
const NO_CACHE = 'no-cache'

/** Route (as Fastify names it, prefix included) to its recorded Cache-Control on a 2xx GET. */
const GET_CACHE = new Map<string, string>([
  ['/api/v2/users/:id', SHOW],
  ['/api/v2/users/search', SEARCH],
  ['/api/v2/users/search.json', SEARCH]
])

// One-shot hashing where the runtime has it (Node ≥ 20.12/21.7), a Hash object elsewhere.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash
const md5 = oneShot
  ? (body: string): string => oneShot('md5', body, 'hex')
  : (body: string): string => crypto.createHash('md5').update(body).digest('hex')

/** Rack::ETag's weak tag for a body. */
export const etagOf = (body: string): string => `W/"${md5(body)}"`

/** Sets Cache-Control and, on a 2xx JSON answer, the ETag: one hash per answer. */
export function cachingHeaders (req: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  const status = reply.statusCode
  if (status >= 300) {
    reply.header('cache-control', NO_CACHE)
    return
  }
  reply.header('cache-control', (req.method === 'GET' && GET_CACHE.get(req.routeOptions.url ?? '')) || REVALIDATE)
  if (typeof payload !== 'string') return
  const type = reply.getHeader('content-type')
  if (typeof type === 'string' && type.startsWith('application/json')) reply.header('etag', etagOf(payload))
}

/**
 * `/api/v2//users.json` is `/api/v2/users.json`: nginx in front of Zendesk merges repeated
 * slashes (its default), and a client in use against live accounts (zendesk-node-api 1.3.0)
 * builds every path with a doubled slash. The query string is left as it is.
 */
export function mergeSlashes (url: string): string {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  if (!path.includes('//')) return url
  return path.replace(/\/{2,}/g, '/') + (q === -1 ? '' : url.slice(q))
}
