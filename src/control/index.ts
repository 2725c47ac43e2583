import type { FastifyPluginAsync } from 'fastify'
import { clockRoutes } from './clock.js'
import { healthRoutes } from './health.js'

/**
 * The control plane under `/__mock`: userdouble's own JSON, never a vendor's.
 * Errors are `{"error": {"code", "message"}}`.
 */
export const controlPlane: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((err: Error & { statusCode?: number, code?: string, validation?: unknown }, _req, reply) => {
    if (err.validation) return reply.code(400).send({ error: { code: 'invalid_request', message: err.message } })
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    if (status >= 500) reply.log.error({ err }, 'control plane error')
    return reply.code(status).send({ error: { code: err.code ?? 'error', message: status >= 500 ? 'internal error' : err.message } })
  })
  app.setNotFoundHandler((req, reply) => {
    return reply.code(404).send({ error: { code: 'not_found', message: `no control-plane route ${req.method} ${req.url.split('?')[0]}` } })
  })
  await app.register(healthRoutes)
  await app.register(clockRoutes)
}
