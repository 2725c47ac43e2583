import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'

export const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptime: Type.Number({ description: 'Seconds since the process started.' }),
  database: Type.Union([Type.Literal('memory'), Type.Literal('file')]),
  accounts: Type.Integer()
})

/** `GET /__mock/health`: the probe for Docker's HEALTHCHECK and for test runners. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: { summary: 'Liveness and version', response: { 200: HealthSchema } }
  }, async () => {
    const k = app.kernel
    return {
      status: 'ok' as const,
      version: k.version,
      uptime: Math.round((Date.now() - k.startedAt) / 10) / 100,
      database: k.db.memory ? 'memory' as const : 'file' as const,
      accounts: k.accounts.list().length
    }
  })
}
