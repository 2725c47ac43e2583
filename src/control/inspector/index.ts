import type { FastifyPluginAsync } from 'fastify'
import { userListingRoutes } from './listing.js'
import { journalStreamRoutes } from './stream.js'
import { inspectorUi } from './ui.js'
import { rateWindowRoutes } from './windows.js'

/** What the web inspector (`/__mock/ui`) adds to the control plane: registered under `/__mock`. */
export const inspector: FastifyPluginAsync = async (app) => {
  await app.register(userListingRoutes)
  await app.register(rateWindowRoutes)
  await app.register(journalStreamRoutes)
  await app.register(inspectorUi)
}

/** Paths of the page and its files: public, since they hold no data (the API calls carry the token). */
export const isInspectorPage = (url: string): boolean => url === '/__mock/ui' || url.startsWith('/__mock/ui/') || url.startsWith('/__mock/ui?')
