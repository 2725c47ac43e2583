import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('npm run bench', () => {
  // The real bench stays out of the test tiers; this one-second-per-scenario run keeps it from rotting.
  it('runs every scenario in smoke mode and prints its tables', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke'], { cwd: root, encoding: 'utf8', timeout: 240_000 })
    expect(res.stderr).not.toContain('bench failed')
    expect(res.status).toBe(0)
    const out = res.stdout
    for (const row of [
      'ceiling: bare Fastify', 'reference: hand-rolled Fastify + SQLite upsert', 'zendesk create_or_update, new users', 'zendesk create_or_update, 1,000 existing in turn',
      'zendesk GET users/{id}', 'usercom update_or_create, new users', 'usercom update_or_create, 1,000 existing in turn',
      'zendesk create_or_update, 1,000 users stored', 'zendesk create_or_update, 10,000 users stored', 'soak: 5,000 create_or_update with the journal on',
      'CLI cold start', 'startUserDouble() in-process', 'RSS flat through the soak'
    ]) expect(out).toContain(row)
    // Every scenario got answers, and only 2xx ones.
    for (const line of out.split('\n').filter(l => l.startsWith('| ') && l.endsWith(' |') && /\d+ \/ \d+ \|$/.test(l))) {
      expect(line).toMatch(/\| 0 \/ 0 \|$/)
      expect(Number(line.split('|')[2]!.replace(/,/g, ''))).toBeGreaterThan(0)
    }
  }, 300_000)
})
