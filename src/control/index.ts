import type { FastifyPluginAsync } from 'fastify'
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

export const controlPlane: FastifyPluginAsync<ControlPlaneOptions> = async (app, { extensions = [] }) => {
  const adminToken = app.kernel.config.ADMIN_TOKEN
  if (adminToken !== undefined) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.url === '/__mock/health' || req.url.startsWith('/__mock/health?')) return
      // The inspector's page files hold no data; every call they make carries the token.
      if (isInspectorPage(req.url)) return
      const header = req.headers.authorization ?? ''
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? ''
      if (!secretsEqual(token, adminToken)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="userdouble control plane"')
          .send({ error: { code: 'unauthorized', message: 'the control plane needs Authorization: Bearer <ADMIN_TOKEN>' } })
      }
    })
  }
  app.setErrorHandler((err: Error & { statusCode?: number, code?: string, validation?: unknown }, _req, reply) => {
    if (err.validation) return reply.code(400).send({ error: { code: 'invalid_request', message: err.message } })
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    if (status >= 500) reply.log.error({ err }, 'control plane error')
    const code = typeof err.code === 'string' && !err.code.startsWith('FST_') ? err.code : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_request'
    return reply.code(status).send({ error: { code: status >= 500 ? 'internal' : code, message: status >= 500 ? 'internal error' : err.message } })
  })
  app.setNotFoundHandler((req, reply) => {
    return reply.code(404).send({ error: { code: 'not_found', message: `no control-plane route ${req.method} ${req.url.split('?')[0]}` } })
  })
  await app.register(healthRoutes)
  await app.register(clockRoutes)
  await app.register(controlRoutes)
  await app.register(inspector)
  for (const extension of extensions) await app.register(extension)
}
