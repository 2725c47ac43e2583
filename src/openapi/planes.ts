/** The three documents userdouble publishes, one per URL prefix. */
export type PlaneName = 'zendesk' | 'usercom' | 'control'

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

export const PLANES: Plane[] = [
  { name: 'zendesk', prefix: '/api/v2', file: 'zendesk.yaml', tag: 'Zendesk' },
  { name: 'usercom', prefix: '/api/public', file: 'usercom.yaml', tag: 'User.com' },
  { name: 'control', prefix: '/__mock', file: 'control.yaml', tag: 'Control plane' }
]
