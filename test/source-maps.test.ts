import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// `files` ships dist/ without src/: the maps must carry the sources themselves for a stack
// trace or a debugger to show TypeScript (node --enable-source-maps, VS Code).
const json = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')) as { extends?: string, compilerOptions: Record<string, unknown> }

describe('the shipped source maps', () => {
  it('are written, with the sources inlined', () => {
    const build = json('tsconfig.build.json')
    const base = json(build.extends!.replace(/^\.\//, ''))
    const options = { ...base.compilerOptions, ...build.compilerOptions }
    expect([options.sourceMap, options.inlineSources, options.outDir]).toEqual([true, true, 'dist'])
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { files: string[] }
    expect(pkg.files).toContain('dist')
  })
})
