import type { VendorModule } from './kernel/service.js'
import { usercom } from './services/usercom/index.js'
import { zendesk } from './services/zendesk/index.js'
import { planesOf } from './openapi/planes.js'

/** The emulated vendors, in registration order: the one list of them. */
export const VENDORS: readonly VendorModule[] = [zendesk, usercom]

/** The documents userdouble publishes: one per vendor, then the control plane's. */
export const PLANES = planesOf(VENDORS)
