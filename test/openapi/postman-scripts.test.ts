import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { postmanCollection, scriptBodies, seedCollection } from '../../scripts/openapi/postman.js'
import * as scripts from '../../scripts/openapi/postman-scripts.js'

const SOURCE = readFileSync(new URL('../../scripts/openapi/postman-scripts.ts', import.meta.url), 'utf8')

/** Every `exec` of a collection, as JSON text, wherever it sits. */
function execs (value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) execs(v, out)
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) key === 'exec' ? out.push(JSON.stringify(v)) : execs(v, out)
  }
  return out
}

describe('the Postman scripts (scripts/openapi/postman-scripts.ts)', () => {
  test('every exported function is read from the source, and each one is a script of a collection', () => {
    const bodies = scriptBodies(SOURCE)
    const functions = Object.entries(scripts).filter(([, v]) => typeof v === 'function').map(([name]) => name)
    expect([...bodies.keys()].sort()).toEqual(functions.sort())
    const used = new Set([...execs(postmanCollection()), ...execs(seedCollection({}))])
    for (const [name, lines] of bodies) expect(used.has(JSON.stringify(lines)), name).toBe(true)
  })

  test('a body is taken as written, its two-space indent removed', () => {
    const source = 'export function s (pm: Pm): void {\n  const res = pm.response.json()\n  if (res) {\n    pm.test(\'x\', () => {})\n  }\n}\n'
    expect(scriptBodies(source)).toEqual(new Map([['s', ['const res = pm.response.json()', 'if (res) {', '  pm.test(\'x\', () => {})', '}']]]))
  })

  test('a body that is not plain JavaScript is refused: Postman could not run it', () => {
    const source = 'export function typed (pm: Pm): void {\n  const res = pm.response.json() as { id: number }\n}\n'
    expect(() => scriptBodies(source)).toThrow(/typed's body is not plain JavaScript/)
  })

  test('a body not indented by two spaces is refused', () => {
    expect(() => scriptBodies('export function flat (pm: Pm): void {\npm.test(\'x\', () => {})\n}\n')).toThrow(/flat's body is not indented by two spaces/)
  })
})
