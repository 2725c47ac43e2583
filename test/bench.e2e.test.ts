import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('npm run bench', () => {
  // The real bench stays out of the test tiers; this one-second-per-scenario run keeps it from rotting.
  it('runs every scenario in smoke mode and prints its tables', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke'], { cwd: root, encoding: 'utf8', timeout: 420_000 })
    expect(res.stderr).not.toContain('bench failed')
    expect(res.status).toBe(0)
    const out = res.stdout
    for (const heading of ['### Throughput', '### Targets', '### Rate-limit bookkeeping', '### Start-up', '### Fixture cycle', '### First request per route']) expect(out).toContain(heading)
    for (const row of [
      'ceiling: bare Fastify, fixed Zendesk user body (first pass)', 'ceiling: bare Fastify, fixed Zendesk user body (second pass)',
      'reference: hand-rolled Fastify + SQLite upsert, no fidelity', 'zendesk create_or_update, new users', 'zendesk create_or_update, 1,000 existing in turn',
      'zendesk GET users/{id}', 'usercom update_or_create, new users', 'usercom update_or_create, 1,000 existing in turn',
      'zendesk create_or_update, new users [RATE_LIMITS=off]', 'zendesk GET users/{id} [RATE_LIMITS=off]',
      'zendesk create_or_update, 1,000 users stored', 'zendesk create_or_update, 10,000 users stored', 'soak: 5,000 create_or_update with the journal on'
    ]) expect(out).toContain(`| ${row} |`)
    // Every target of issue 17 has a verdict.
    for (const target of [
      'Zendesk create_or_update, new users ≥ 40% of the ceiling', 'Zendesk create_or_update, existing users ≥ 40% of the ceiling',
      'Zendesk GET users/{id} ≥ 55% of the ceiling', 'User.com update_or_create, new users ≥ 35% of the ceiling',
      'Zendesk create_or_update, new users ≥ 40%, RATE_LIMITS=off', 'CLI cold start: spawn → first 201 of create_or_update ≤ 1.5×',
      'Soak RSS ≤ 150 MB at every reading', 'Fixture cycle in-process', 'startUserDouble() in-process'
    ]) expect(out).toMatch(new RegExp(`\\| ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.* \\| (met|\\*\\*not met\\*\\*)[^|]* \\|\\n`))
    for (const route of ['POST /api/v2/users/create_or_update.json', 'GET /api/v2/users/{id}.json', 'POST /api/public/users/update_or_create/', 'POST /__mock/accounts']) expect(out).toContain(`| ${route} |`)
    expect(out).toContain('per-test pattern: createAccount → 3 vendor calls → reset')
    expect(out).toContain('- peers not run (`npm run bench -- --peers` adds WireMock)')
    // Each measurement is on stderr as soon as it is taken, before the tables at the end.
    const progress = res.stderr.split('\n').filter(l => l.startsWith('bench: '))
    expect(progress[0]).toMatch(/^bench: ceiling: bare Fastify, fixed Zendesk user body \(first pass\): \d+ req\/s, p50 [\d.]+ ms, p99 [\d.]+ ms, errors 0, non-2xx 0$/)
    expect(progress.filter(l => /^bench: cold start \d: userdouble first 201 \d+ ms/.test(l))).toHaveLength(2)
    expect(progress.some(l => l.startsWith('bench: soak RSS readings: '))).toBe(true)
    // Every scenario got answers, and only 2xx ones.
    const scenarios = out.split('\n').filter(l => l.startsWith('| ') && l.endsWith(' |') && /\d+ \/ \d+ \|$/.test(l))
    expect(scenarios.length).toBe(16)
    for (const line of scenarios) {
      expect(line).toMatch(/\| 0 \/ 0 \|$/)
      expect(Number(line.split('|')[2]!.replace(/,/g, ''))).toBeGreaterThan(0)
    }
  }, 480_000)
})
