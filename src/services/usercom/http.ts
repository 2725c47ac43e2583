import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Negotiated } from './negotiation.js'
import { pyJsonDumps } from './pyjson.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** User.com's negotiated version and media type, and the `Allow` of the URL; null until the module's hook ran. */
    usercom: (Negotiated & { allow: string }) | null
  }
}

/** DRF's order of methods in `Allow`. */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']

/** `Allow` as DRF's APIView writes it on every answer of a view: HEAD with GET, OPTIONS always. */
export function allowHeader (methods: Iterable<string>): string {
  const set = new Set(methods)
  if (set.has('GET')) set.add('HEAD')
  set.add('OPTIONS')
  return METHOD_ORDER.filter(m => set.has(m)).join(', ')
}

/**
 * Renders a DRF answer: Python-style compact JSON, Content-Type the accepted media type (no
 * charset), or no body and no Content-Type for 204.
 */
export function sendDrf (req: FastifyRequest, reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}, forceJson = false): FastifyReply {
  reply.code(status)
  for (const [k, v] of Object.entries(headers)) reply.header(k, v)
  if (body === undefined) return reply.send()
  const ctx = forceJson ? null : req.usercom
  reply.header('content-type', ctx?.mediaType ?? 'application/json')
  // A Buffer, so that Fastify adds no charset: DRF's JSONRenderer sends none.
  return reply.send(Buffer.from(pyJsonDumps(body, ctx?.indent ?? null), 'utf8'))
}

export function splitUrl (url: string): { path: string, query: string } {
  const i = url.indexOf('?')
  return i < 0 ? { path: url, query: '' } : { path: url.slice(0, i), query: url.slice(i + 1) }
}
