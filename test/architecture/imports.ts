import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/**
 * The parts of `src/` and which may import which (docs/architecture.md). A part is named by
 * its path: `kernel`, `control`, `openapi`, `vendor:zendesk`, … and `app` for the files that
 * assemble everything (app.ts, registry.ts, server.ts, in-process.ts, index.ts, seed.ts); `config`
 * (the settings' schema and type) may be imported by every part.
 */
export type Part = string

export function partOf (file: string): Part {
  if (file === 'config.ts') return 'config'
  const [top, sub] = file.split('/')
  if (top === 'services' && sub !== undefined) return `vendor:${sub}`
  if (top === 'kernel' || top === 'control' || top === 'openapi') return top
  return 'app'
}

/** A rule names a part and what it must not import; `vendor:*` stands for every vendor but its own. */
const FORBIDDEN: Array<{ from: (p: Part) => boolean, to: (p: Part, from: Part) => boolean, why: string }> = [
  { from: p => p === 'kernel', to: p => p.startsWith('vendor:'), why: 'the kernel knows no vendor' },
  { from: p => p === 'kernel', to: p => p === 'app', why: 'the kernel imports nothing of the app' },
  { from: p => p === 'kernel', to: p => p !== 'kernel' && p !== 'config', why: 'the kernel knows no vendor, control plane or document' },
  { from: p => p.startsWith('vendor:'), to: (p, from) => p.startsWith('vendor:') && p !== from, why: 'a vendor never imports another vendor' },
  { from: p => p.startsWith('vendor:'), to: p => p === 'control' || p === 'openapi' || p === 'app', why: 'a vendor depends on the kernel only' },
  { from: p => p === 'control', to: p => p === 'openapi' || p.startsWith('vendor:'), why: 'the control plane reads the vendors from the registry, and documents are registered beside it' },
  { from: p => p === 'openapi', to: p => p === 'control' || p.startsWith('vendor:'), why: 'serving documents needs neither the control plane nor a vendor' }
]

export interface Edge { from: string, to: string }

/** Every relative import (static, dynamic, type-only) between files under `root`. */
export function importsUnder (root: string): Edge[] {
  const edges: Edge[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8')
        for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
          const target = resolve(dirname(path), m[1]!).replace(/\.js$/, '.ts')
          edges.push({ from: relative(root, path), to: relative(root, target) })
        }
      }
    }
  }
  walk(root)
  return edges
}

/** The imports that break a rule, with the rule's reason. */
export function violations (edges: readonly Edge[]): string[] {
  const out: string[] = []
  for (const { from, to } of edges) {
    if (to.startsWith('..')) continue
    const a = partOf(from)
    const b = partOf(to)
    for (const rule of FORBIDDEN) {
      if (rule.from(a) && rule.to(b, a)) {
        out.push(`${from} → ${to}: ${rule.why}`)
        break
      }
    }
  }
  return out
}
