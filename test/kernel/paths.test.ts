import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PACKAGE_ROOT, packagePath } from '../../src/kernel/paths.js'

describe('the package root', () => {
  it('is the folder of userdouble\'s package.json, found from src/kernel/ as from dist/ and dist/kernel/', () => {
    expect(PACKAGE_ROOT.href).toBe(new URL('../../', import.meta.url).href)
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string }
    expect(pkg.name).toBe('userdouble')
    expect(packagePath('openapi/zendesk.yaml').href).toBe(new URL('../../openapi/zendesk.yaml', import.meta.url).href)
  })
})
