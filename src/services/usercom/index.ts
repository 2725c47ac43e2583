import type { FastifyPluginAsync } from 'fastify'
import type { Service } from '../index.js'

/** Placeholder: the Usercom module is built in its own issue. */
const plugin: FastifyPluginAsync = async () => {}

export const usercomService: Service = {
  name: 'usercom',
  prefix: '/api/public',
  plugin,
  migrations: [],
  identify: () => undefined,
  state: () => ({ reset: () => {}, dump: () => ({ users: [] }), load: () => ({ users: 0 }), count: () => ({ users: 0 }) })
}
