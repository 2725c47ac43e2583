import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'

const HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * Fastify's `trustProxy` from the TRUST_PROXY setting: `off` trusts no one (a client's
 * `X-Forwarded-Host: evil.example` never reaches `Location` or a base URL), `on` any peer,
 * otherwise the addresses and CIDRs listed.
 */
export function trustProxyOption (config: Pick<Config, 'TRUST_PROXY'>): boolean | string {
  const v = config.TRUST_PROXY
  return v === 'on' ? true : v === 'off' ? false : v
}

/**
 * The origin the client addressed, so that URLs in bodies and headers (`url`, `Location`,
 * pagination links, base URLs) lead back to userdouble: `Host`, or `X-Forwarded-Proto`/`-Host`
 * (the nearest proxy's entry) when the peer is a trusted proxy (TRUST_PROXY). A host that is
 * not a plain host name falls back to `localhost` rather than being echoed into a header or a body.
 */
export function requestOrigin (req: FastifyRequest): string {
  const host = req.host
  return `${req.protocol === 'https' ? 'https' : 'http'}://${host && HOST.test(host) ? host : 'localhost'}`
}
