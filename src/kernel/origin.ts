import type { FastifyRequest } from 'fastify'

/**
 * The origin the client addressed (`http://127.0.0.1:8080`), honouring X-Forwarded-Proto and
 * X-Forwarded-Host, so URLs in bodies and headers lead back to userdouble, behind a proxy too.
 */
export function requestOrigin (req: FastifyRequest): string {
  const h = req.headers
  const fwdProto = first(h['x-forwarded-proto'])
  const fwdHost = first(h['x-forwarded-host'])
  const proto = fwdProto ?? (isTls(req) ? 'https' : 'http')
  const host = fwdHost ?? h.host ?? 'localhost'
  return `${proto}://${host}`
}

function first (v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v
  if (!s) return undefined
  const part = s.split(',')[0]!.trim()
  return part === '' ? undefined : part
}

function isTls (req: FastifyRequest): boolean {
  return (req.raw.socket as { encrypted?: boolean } | undefined)?.encrypted === true
}
