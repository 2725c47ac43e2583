import type { FastifyPluginAsync } from 'fastify'
import type { Migration } from '../kernel/database.js'

/** One emulated vendor API: an encapsulated plugin under its own prefix, with its own tables. */
export interface Service {
  name: string
  prefix: string
  plugin: FastifyPluginAsync
  migrations: Migration[]
}

/** The registry of emulated APIs, in registration order. */
export const services: Service[] = []
