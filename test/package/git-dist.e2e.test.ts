// scripts/git-dist.sh commits what `npm pack` ships onto a `dist` branch with no build script, so a
// git install of that branch skips the devDependencies and the build. This runs the script in a
// throwaway repository made from the project's files, installs `git+file://…#dist` into a fresh
// consumer with --engine-strict and starts the installed package. e2e tier.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'userdouble-git-dist-'))
const env = {
  ...process.env,
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com'
}
const run = (cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): string =>
  execFileSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })

afterAll(() => { rmSync(work, { recursive: true, force: true }) })

describe('scripts/git-dist.sh', () => {
  it('makes a dist branch whose git install needs no build and serves requests', () => {
    // A repository with the project's current files (tracked and new) in one commit.
    const repo = join(work, 'repo')
    const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter(f => f !== '' && f.split('/')[0] !== 'node_modules')
    for (const f of files) {
      if (!existsSync(join(root, f))) continue
      mkdirSync(dirname(join(repo, f)), { recursive: true })
      cpSync(join(root, f), join(repo, f))
    }
    run('git', ['init', '--quiet', '--initial-branch=main'], repo)
    run('git', ['add', '--all', '.'], repo)
    run('git', ['commit', '--quiet', '--message', 'source'], repo)
    symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'), 'dir')
    const sourceRev = run('git', ['rev-parse', 'HEAD'], repo).trim()

    const out = run('bash', ['scripts/git-dist.sh'], repo)
    expect(out).toMatch(new RegExp(`^dist: [0-9a-f]{40} \\(built from ${sourceRev}\\)\\n$`))
    // The checkout and its index are untouched: still main, nothing staged or changed.
    expect(run('git', ['status', '--porcelain', '--untracked-files=no'], repo)).toBe('')
    expect(run('git', ['symbolic-ref', '--short', 'HEAD'], repo).trim()).toBe('main')

    // The branch holds exactly what npm pack ships, and a package.json with only `start`.
    const packed = (JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], repo)) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(f => f.path).sort()
    const onBranch = run('git', ['ls-tree', '-r', '--name-only', 'dist'], repo).trim().split('\n').sort()
    expect(onBranch).toEqual(packed)
    const pkg = JSON.parse(run('git', ['show', 'dist:package.json'], repo)) as { scripts: Record<string, string>, devDependencies?: unknown }
    expect(pkg.scripts).toEqual({ start: 'exec node dist/server.js' })
    expect(pkg.devDependencies).toBeUndefined()

    // A consumer installs the branch from git (better-sqlite3's prebuild from a local mirror, as in
    // install.e2e.test.ts) and runs the package.
    const consumer = join(work, 'consumer')
    mkdirSync(consumer)
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }))
    const prebuilds = join(work, 'prebuilds')
    mkdirSync(prebuilds)
    const sqlite = join(root, 'node_modules/better-sqlite3')
    if (existsSync(join(sqlite, 'build/Release/better_sqlite3.node'))) {
      const version = (JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as { version: string }).version
      run('tar', ['-czf', join(prebuilds, `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`), '-C', sqlite, 'build/Release/better_sqlite3.node'], root)
    }
    run('npm', ['install', '--engine-strict', '--prefer-offline', '--save-dev', `git+${pathToFileURL(repo).href}#dist`], consumer,
      { npm_config_better_sqlite3_local_prebuilds: prebuilds })
    // No devDependency of userdouble came along (vitest stands for them all).
    expect(existsSync(join(consumer, 'node_modules/vitest'))).toBe(false)
    const script = "const { startUserDouble } = await import('userdouble'); const ud = await startUserDouble(); const r = await fetch(ud.url + '/__mock/health'); console.log(r.status); await ud.close()"
    expect(run(process.execPath, ['--input-type=module', '-e', script], consumer).trim()).toBe('200')
  }, 10 * 60_000)
})
