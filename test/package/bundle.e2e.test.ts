// `npm run build` rewrites the package's two entry points as esbuild bundles (scripts/bundle.ts):
// what a cold start saves is loading ~530 modules one by one (TypeBox's 247 ESM modules, userdouble's
// own 77, Fastify's CommonJS tree; docs/performance.md).
// These check what the e2e tier's build left in dist/: the bundles, the imports they keep, and that
// the bundled code still finds the package's files (package.json, openapi/, ui/) from dist/.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dist = (file: string): string => readFileSync(new URL(`../../dist/${file}`, import.meta.url), 'utf8')
/** Every module a file loads: static and dynamic imports, and `require` calls. */
const importsOf = (code: string): string[] => [...code.matchAll(/(?:^import\s[^'"]*?|\bimport\(|\b(?:__)?require\d*\()["']([^"']+)["']/gm)].map(m => m[1]!)

describe('the built entry points', () => {
  const chunks = readdirSync(new URL('../../dist/chunks/', import.meta.url)).filter(f => f.endsWith('.js'))
  const code = ['index.js', 'server.js', ...chunks.map(c => `chunks/${c}`)].map(dist)

  it('bundle userdouble and its pure-JavaScript dependencies, and import only the native, worker-thread and on-demand packages', () => {
    const specifiers = [...new Set(code.flatMap(importsOf))]
    expect(specifiers.filter(s => s.startsWith('.'))).toEqual(expect.arrayContaining([expect.stringMatching(/^\.\/chunks\/chunk-\w+\.js$/)]))
    expect(specifiers.filter(s => !s.startsWith('.') && !s.startsWith('node:')).sort()).toEqual([
      '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', '@fastify/swagger', '@fastify/swagger-ui', 'better-sqlite3', 'cli-progress', 'pino', 'qs', 'yaml'
    ])
    expect(code.join('\n')).not.toMatch(/from ["']\.\.?\/(kernel|services|control|openapi)\//)
    expect(dist('server.js').startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  it('keep the seed-file loader out of the start-up path (a chunk loaded on demand)', () => {
    expect(dist('server.js')).toMatch(/await import\(["']\.\/chunks\/seed-\w+\.js["']\)/)
  })

  it('find the package\'s own files from dist/: version, documents and the inspector page', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
      const { startUserDouble } = await import('./dist/index.js')
      const ud = await startUserDouble()
      const get = async (path) => (await ud.app.inject({ method: 'GET', url: path })).statusCode
      console.log(JSON.stringify({ health: (await ud.app.inject({ method: 'GET', url: '/__mock/health' })).json().version, doc: await get('/__mock/openapi/zendesk.json'), ui: await get('/__mock/ui') }))
      await ud.close()
    `], { cwd: root, encoding: 'utf8' })
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(JSON.parse(out)).toEqual({ health: pkg.version, doc: 200, ui: 200 })
  })
})
