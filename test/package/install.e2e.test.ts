// The newcomer's path, as a consumer project walks it: `npm pack`, install the tarball with
// --engine-strict into a fresh project, type-check a strict consumer file against the shipped types
// (no skipLibCheck) and run it. Slow (a real npm install and two tsc-sized steps): e2e tier.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const fixture = fileURLToPath(new URL('./consumer', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'userdouble-package-'))
const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' }

const run = (cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): string =>
  execFileSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })

const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version

/** Every package.json under a node_modules tree (scoped and nested included). */
function installedPackages (dir: string): Array<{ name: string, version: string, engines?: { node?: string } }> {
  const out: Array<{ name: string, version: string, engines?: { node?: string } }> = []
  const walk = (nm: string): void => {
    if (!existsSync(nm)) return
    for (const entry of readdirSync(nm)) {
      if (entry.startsWith('.')) continue
      const dirs = entry.startsWith('@') ? readdirSync(join(nm, entry)).map(e => join(nm, entry, e)) : [join(nm, entry)]
      for (const d of dirs) {
        const file = join(d, 'package.json')
        if (!existsSync(file)) continue
        out.push(JSON.parse(readFileSync(file, 'utf8')))
        walk(join(d, 'node_modules'))
      }
    }
  }
  walk(join(dir, 'node_modules'))
  return out
}

afterAll(() => { rmSync(work, { recursive: true, force: true }) })

describe('the packed package in a fresh consumer project', () => {
  it('packs, installs with --engine-strict, type-checks strictly against its types, and serves a Zendesk create_or_update', () => {
    // 1. npm pack from a copy of the project's files (tracked and new, not ignored), so the
    //    prepare build writes its dist/ there and not under a suite that may be running from dist/.
    const stage = join(work, 'stage')
    const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter(f => f !== '' && f.split('/')[0] !== 'node_modules')
    for (const f of files) {
      if (!existsSync(join(root, f))) continue // deleted in the working tree
      mkdirSync(dirname(join(stage, f)), { recursive: true })
      cpSync(join(root, f), join(stage, f))
    }
    symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir')
    const packOut = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], stage)) as Array<{ filename: string, files: Array<{ path: string }> }>
    const tarball = join(work, packOut[0]!.filename)
    const packed = packOut[0]!.files.map(f => f.path)
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/server.js']))
    expect(packed.filter(p => p.startsWith('src/') || p.startsWith('test/') || p.startsWith('node_modules/'))).toEqual([])

    // 2. A fresh consumer. better-sqlite3's install script runs as it does for users; its prebuilt
    //    binary comes from a local prebuilds directory (prebuild-install's own mirror setting, filled
    //    from this project's build for this Node) instead of GitHub, so the test works offline and
    //    does not spend minutes compiling SQLite. Where no binary fits, the script compiles it.
    const consumer = join(work, 'consumer')
    mkdirSync(consumer)
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2))
    cpSync(join(fixture, 'consumer.ts'), join(consumer, 'consumer.ts'))
    cpSync(join(fixture, 'tsconfig.json'), join(consumer, 'tsconfig.json'))
    const prebuilds = join(work, 'prebuilds')
    mkdirSync(prebuilds)
    const binary = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')
    if (existsSync(binary)) {
      const name = `better-sqlite3-v${versionOf('better-sqlite3')}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
      run('tar', ['-czf', join(prebuilds, name), '-C', join(root, 'node_modules/better-sqlite3'), 'build/Release/better_sqlite3.node'], root)
    }
    run('npm', ['install', '--engine-strict', '--prefer-offline', '--save-dev', tarball,
      `typescript@${versionOf('typescript')}`, `@types/node@${versionOf('@types/node')}`], consumer,
    { npm_config_better_sqlite3_local_prebuilds: prebuilds })

    // Nothing in the installed tree excludes this Node (what --engine-strict enforces, checked on the
    // tree itself). Only this Node: npm resolves by the installing Node's version, so a tree resolved
    // on Node 24 may hold versions that need 22+ (pino-pretty's strip-json-comments 5.1) where Node 20
    // gets older ones; CI runs this test on each Node.
    const req = createRequire(join(consumer, 'node_modules', 'userdouble', 'package.json'))
    const semver = req('semver') as { satisfies: (v: string, range: string) => boolean }
    const excluding = installedPackages(consumer)
      .filter(p => p.engines?.node !== undefined && !semver.satisfies(process.versions.node, p.engines.node))
      .map(p => `${p.name}@${p.version} (${p.engines!.node})`)
    expect(excluding).toEqual([])
    // One light-my-request in the tree, the one whose cookie still supports Node 20.
    const pinned = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['light-my-request']
    expect(installedPackages(consumer).filter(p => p.name === 'light-my-request').map(p => p.version)).toEqual([pinned])

    // 3. Strict type-check against dist/*.d.ts (skipLibCheck false), emitting the JS that step 4 runs.
    run(join(consumer, 'node_modules/.bin/tsc'), ['-p', '.'], consumer)

    // 4. Run it: startUserDouble() from the installed package, create_or_update over fetch, close.
    const out = run(process.execPath, ['out/consumer.js'], consumer)
    expect(JSON.parse(out.trim())).toEqual({ status: 201, name: 'Packaged Consumer', email: 'consumer@example.com' })
  }, 15 * 60_000)
})
