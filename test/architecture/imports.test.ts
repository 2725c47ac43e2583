import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importsUnder, partOf, violations } from './imports.js'

const SRC = fileURLToPath(new URL('../../src', import.meta.url))

describe('import directions (docs/architecture.md)', () => {
  it('src/ breaks none of them', () => {
    const edges = importsUnder(SRC)
    expect(edges.length).toBeGreaterThan(100)
    expect(violations(edges)).toEqual([])
  })

  it('sees the parts', () => {
    expect(partOf('kernel/service.ts')).toBe('kernel')
    expect(partOf('services/zendesk/users.store.ts')).toBe('vendor:zendesk')
    expect(partOf('control/inspector/listing.ts')).toBe('control')
    expect(partOf('registry.ts')).toBe('app')
  })

  it.for([
    ['kernel/journal.ts', 'services/zendesk/index.ts', 'the kernel knows no vendor'],
    ['kernel/journal.ts', 'registry.ts', 'the kernel imports nothing of the app'],
    ['kernel/journal.ts', 'control/actions.ts', 'the kernel knows no vendor, control plane or document'],
    ['services/usercom/users.listing.ts', 'services/zendesk/users.listing.ts', 'a vendor never imports another vendor'],
    ['services/usercom/index.ts', 'control/actions.ts', 'a vendor depends on the kernel only'],
    ['control/index.ts', 'openapi/index.ts', 'the control plane reads the vendors from the registry'],
    ['control/inspector/listing.ts', 'services/zendesk/users.listing.ts', 'the control plane reads the vendors from the registry'],
    ['openapi/index.ts', 'control/schemas.ts', 'serving documents needs neither the control plane nor a vendor']
  ] as const)('refuses %s → %s', ([from, to, why]) => {
    const found = violations([{ from, to }])
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(why)
  })

  it.for([
    ['services/zendesk/index.ts', 'kernel/vendor-scope.ts'],
    ['services/zendesk/index.ts', 'services/zendesk/auth.ts'],
    ['kernel/limits.ts', 'config.ts'],
    ['app.ts', 'services/zendesk/index.ts'],
    ['control/routes.ts', 'kernel/accounts.ts'],
    ['openapi/planes.ts', 'kernel/service.ts']
  ] as const)('allows %s → %s', ([from, to]) => {
    expect(violations([{ from, to }])).toEqual([])
  })
})
