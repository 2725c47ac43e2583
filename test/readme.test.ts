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

/** The rows of the first table after `heading` in a Markdown text. */
function tableAfter (text: string, heading: string): string[] {
  const start = text.indexOf(`\n${heading}\n`)
  if (start < 0) return []
  const lines = text.slice(start).split('\n')
  const first = lines.findIndex(l => l.startsWith('|'))
  const rows: string[] = []
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break
    rows.push(line)
  }
  return rows
}

describe('README performance table', () => {
  it('is the targets table of docs/performance.md, row for row (the bench runs it comes from are there)', () => {
    const doc = readFileSync(new URL('../docs/performance.md', import.meta.url), 'utf8')
    const ours = tableAfter(readme, '## Performance')
    expect(ours.length).toBeGreaterThan(8)
    expect(ours).toEqual(tableAfter(doc, '## Targets across the runs on the final code'))
  })
})

describe('.env.example', () => {
  it('lists every setting', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    for (const name of Object.keys(CLI_FLAGS)) expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'))
  })
})
