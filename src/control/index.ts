import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { secretsEqual } from '../kernel/accounts.js'
import { clockRoutes } from './clock.js'
import { healthRoutes } from './health.js'
import { controlRoutes } from './routes.js'
import { inspector, isInspectorPage } from './inspector/index.js'

/**
 * The control plane under `/__mock`: userdouble's own JSON, never a vendor's.
 * Errors are `{"error": {"code", "message"}}`. With ADMIN_TOKEN set, everything but health
 * needs `Authorization: Bearer <token>`.
 */
export interface ControlPlaneOptions {
  /** Plugins served under `/__mock` behind the same token and error handler (the docs page). */
  extensions?: FastifyPluginAsync[]
}

/** Where the app registers the control plane. */
export const CONTROL_PREFIX = '/__mock'

type OnRequest = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>

/** The ADMIN_TOKEN check of every control-plane request but health and the inspector's page files; none without a token. */
export function adminCheck (adminToken: string | undefined): OnRequest | undefined {
  if (adminToken === undefined) return undefined
  return async (req, reply) => {
    if (req.url === '/__mock/health' || req.url.startsWith('/__mock/health?')) return
    // The inspector's page files hold no data; every call they make carries the token.
    if (isInspectorPage(req.url)) return
    const header = req.headers.authorization ?? ''
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? ''
    if (!secretsEqual(token, adminToken)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="userdouble control plane"')
        .send({ error: { code: 'unauthorized', message: 'the control plane needs Authorization: Bearer <ADMIN_TOKEN>' } })
    }
  }
}

export function controlErrorHandler (err: Error & { statusCode?: number, code?: string, validation?: unknown }, _req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err.validation) return reply.code(400).send({ error: { code: 'invalid_request', message: err.message } })
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
  if (status >= 500) reply.log.error({ err }, 'control plane error')
  const code = typeof err.code === 'string' && !err.code.startsWith('FST_') ? err.code : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_request'
  return reply.code(status).send({ error: { code: status >= 500 ? 'internal' : code, message: status >= 500 ? 'internal error' : err.message } })
}

/**
 * Whether a request no route took is the control plane's to answer: its path, as the router reads
 * it (up to `?` or `#`, percent-decoded as `decodeURI` does, so `%2F` stays encoded), is
 * `/__mock` or below it. The app's one not-found handler asks (a not-found handler of the
 * control plane's own would add a 404 route per HTTP method, some seventy, to every app).
 */
export function isControlPath (url: string): boolean {
  let end = url.length
  const q = url.indexOf('?', 1)
  const h = url.indexOf('#', 1)
  if (q !== -1) end = q
  if (h !== -1 && h < end) end = h
  let path = url.slice(0, end)
  if (path.includes('%')) {
    try { path = decodeURI(path) } catch { return false }
  }
  return path === CONTROL_PREFIX || path.startsWith(CONTROL_PREFIX + '/')
}

/** The control plane's 404, answered by the app's not-found handler (`isControlPath`). */
export function controlNotFound (req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ error: { code: 'not_found', message: `no control-plane route ${req.method} ${req.url.split('?')[0]}` } })
}

export const controlPlane: FastifyPluginAsync<ControlPlaneOptions> = async (app, { extensions = [] }) => {
  const admin = adminCheck(app.kernel.config.ADMIN_TOKEN)
  if (admin) app.addHook('onRequest', admin)
  app.setErrorHandler(controlErrorHandler)
  // Its 404 is the app's not-found handler's (controlNotFound).
  await app.register(healthRoutes)
  await app.register(clockRoutes)
  await app.register(controlRoutes)
  await app.register(inspector)
  for (const extension of extensions) await app.register(extension)
}
