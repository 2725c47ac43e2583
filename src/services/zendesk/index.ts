import type { FastifyPluginAsync } from 'fastify'
import type { Service } from '../index.js'

/** Placeholder: the Zendesk module is built in its own issue. */
const plugin: FastifyPluginAsync = async () => {}

export const zendeskService: Service = {
  name: 'zendesk',
  prefix: '/api/v2',
  plugin,
  migrations: [],
  identify: () => undefined,
  state: () => ({ reset: () => {}, dump: () => ({ users: [] }), load: () => ({ users: 0 }), count: () => ({ users: 0 }) })
}
