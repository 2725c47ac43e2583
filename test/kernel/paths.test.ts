import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findPackageRoot, PACKAGE_ROOT, packagePath } from '../../src/kernel/paths.js'

describe('the package root', () => {
  it('is the folder of userdouble\'s package.json, found from src/kernel/ as from dist/ and dist/kernel/', () => {
    expect(PACKAGE_ROOT.href).toBe(new URL('../../', import.meta.url).href)
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string }
    expect(pkg.name).toBe('userdouble')
    expect(packagePath('openapi/zendesk.yaml').href).toBe(new URL('../../openapi/zendesk.yaml', import.meta.url).href)
  })

  it('is the nearest folder with a package.json, however deep the module sits', () => {
    const root = mkdtempSync(join(tmpdir(), 'userdouble-paths-'))
    mkdirSync(join(root, 'dist', 'chunks'), { recursive: true })
    writeFileSync(join(root, 'package.json'), '{}')
    expect(findPackageRoot(pathToFileURL(join(root, 'dist', 'chunks', 'chunk.js'))).href).toBe(pathToFileURL(root + '/').href)
    expect(findPackageRoot(pathToFileURL(join(root, 'index.js'))).href).toBe(pathToFileURL(root + '/').href)
  })

  it('stops at the top of the file system with a clear error when there is none', () => {
    expect(() => findPackageRoot(new URL('file:///no-such-folder/dist/index.js'))).toThrow('userdouble: no package.json above file:///no-such-folder/dist/index.js')
  })
})
