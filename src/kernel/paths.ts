import { existsSync } from 'node:fs'

/**
 * The package's root folder (where `package.json`, `openapi/` and `ui/` are), found by walking up
 * from this module. The walk, not a fixed `../..`, because this module runs from three places at
 * three depths: `src/kernel/` under tsx and vitest, `dist/kernel/` as tsc emits it, and `dist/`
 * inside the bundles of `npm run build` (docs/performance.md, cold start).
 */
export function findPackageRoot (from: URL): URL {
  for (let dir = new URL('./', from); ;) {
    if (existsSync(new URL('package.json', dir))) return dir
    const up = new URL('../', dir)
    // The top: `/` here, `file:///C:/` on Windows (a drive letter is never climbed past).
    if (up.href === dir.href) throw new Error(`userdouble: no package.json above ${from.href}`)
    dir = up
  }
}

export const PACKAGE_ROOT: URL = findPackageRoot(new URL(import.meta.url))

/** A file or folder of the package, by its path from the root (`openapi/`, `ui/`, `package.json`). */
export const packagePath = (path: string): URL => new URL(path, PACKAGE_ROOT)
