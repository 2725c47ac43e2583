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
