import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CLI_FLAGS, ConfigSchema } from '../src/config.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** One row of the README's configuration table, from the schema the code validates with. */
function configRows (): string[] {
  const props = ConfigSchema.properties as Record<string, { description?: string, default?: unknown }>
  return Object.entries(CLI_FLAGS).map(([name, flag]) => {
    const p = props[name]!
    const dflt = p.default === undefined ? 'unset' : `\`${String(p.default)}\``
    return `| \`${name}\` | \`${flag.split(' ')[0]}\` | ${dflt} | ${p.description ?? ''} |`
  })
}

describe('README', () => {
  it('has a configuration table that matches the code, row for row', () => {
    for (const row of configRows()) expect(readme).toContain(row)
  })
  it('gives the set-up, start and test commands', () => {
    for (const cmd of ['npm ci', 'npm start', 'npm test']) expect(readme).toContain(cmd)
  })
})

describe('.env.example', () => {
  it('lists every setting', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    for (const name of Object.keys(CLI_FLAGS)) expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'))
  })
})
