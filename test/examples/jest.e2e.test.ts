import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dir = new URL('./jest/', import.meta.url)

describe('the jest setup of docs/in-process.md', () => {
  it('runs as written (against the built package, as users get it)', () => {
    const res = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--config', 'test/examples/jest/jest.config.mjs', '--rootDir', 'test/examples/jest'], {
      cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: 'true' }
    })
    expect(res.stderr).toContain('Tests:       2 passed, 2 total')
    expect(res.status).toBe(0)
  }, 150_000)

  it('is what docs/in-process.md shows', () => {
    const page = readFileSync(new URL('../../docs/in-process.md', import.meta.url), 'utf8')
    for (const file of ['jest.config.mjs', 'jest.global-setup.mjs', 'jest.global-teardown.mjs', 'users.test.cjs']) {
      expect(page).toContain(readFileSync(new URL(file, dir), 'utf8').trim())
    }
  })
})
