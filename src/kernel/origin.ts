import type { FastifyRequest } from 'fastify'

const HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v?.split(',')[0])?.trim() || undefined

/**
 * The origin the client addressed (`X-Forwarded-Proto`/`-Host` first, then `Host`), so that
 * URLs in bodies and headers (`url`, `Location`, pagination links, base URLs) lead back to
 * userdouble, behind a proxy too. A host that is not a plain host name falls back to
 * `localhost` rather than being echoed into a header or a body.
 */
export function requestOrigin (req: FastifyRequest): string {
  const proto = first(req.headers['x-forwarded-proto'])
  const host = first(req.headers['x-forwarded-host']) ?? req.headers.host
  return `${proto === 'https' ? 'https' : 'http'}://${host && HOST.test(host) ? host : 'localhost'}`
}
