import type { VendorFacts } from '../kernel/service.js'

/** A vendor's name, or `control`. */
export type PlaneName = string

export type Json = Record<string, unknown>

/**
 * What the server needs to serve a committed document: which file, under which tag. The rest
 * of a document's description (title, servers, security) is build-time only, in
 * `scripts/openapi/planes.ts`.
 */
export interface Plane {
  name: PlaneName
  /** Every route whose URL starts with it belongs to this document. */
  prefix: string
  file: string
  /** Tag on every operation; the docs page groups the combined document by it. */
  tag: string
}

/** One document per vendor, from the registry's facts, then the control plane's. */
export function planesOf (vendors: readonly VendorFacts[]): Plane[] {
  return [
    ...vendors.map(v => ({ name: v.name, prefix: v.prefix, file: `${v.name}.yaml`, tag: v.title })),
    { name: 'control', prefix: '/__mock', file: 'control.yaml', tag: 'Control plane' }
  ]
}

/**
 * The first server of every committed document: userdouble with its default HOST and PORT. A
 * served document names the origin it is served from in its place.
 */
export const LOCAL_SERVER_URL = 'http://127.0.0.1:8080'

/**
 * On a security scheme: how the default account's credentials of the document's vendor fill it,
 * `{ username, password }` for Basic or `{ value }` for an API key, with `{field}` standing for a
 * field of the credentials. The docs page pre-fills Authorize with it.
 */
export const DEFAULT_CREDENTIALS = 'x-default-credentials'
