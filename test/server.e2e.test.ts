import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { collect, exited, listeningUrl, spawnCli } from './helpers/cli.js'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('the userdouble CLI', () => {
  it('listens on port 0, answers health over a socket, and exits 0 on SIGTERM', async () => {
    const child = spawnCli(['--port', '0'])
    const url = await listeningUrl(child)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${url}/__mock/health`)
    expect(res.status).toBe(200)
    expect((await res.json() as { status: string }).status).toBe('ok')
    child.kill('SIGTERM')
    const { code } = await exited(child)
    expect(code).toBe(0)
  })

  it('runs as `npm start`, and SIGTERM to npm stops the server with exit 0', async () => {
    // start runs dist/ as built (no prestart rebuild): npm run test:e2e has built it.
    const child = spawn('npm', ['start', '--ignore-scripts'], { cwd: root, env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] })
    const url = await listeningUrl(child)
    expect((await fetch(`${url}/__mock/health`)).status).toBe(200)
    child.kill('SIGTERM')
    expect((await exited(child)).code).toBe(0)
    // The signal reached the server itself (start execs node): nothing is left listening.
    await expect(fetch(`${url}/__mock/health`)).rejects.toThrow()
  })

  it('lets an in-flight request finish on SIGINT, then exits 0', async () => {
    const child = spawnCli(['--port', '0'])
    const url = new URL(await listeningUrl(child))
    // A request whose body is still arriving when the signal comes is in flight.
    const body = JSON.stringify({ hello: 'world' })
    const answer = new Promise<{ status: number, text: string }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/__mock/slow-upload', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
        let text = ''
        res.on('data', (d: Buffer) => { text += d.toString() })
        res.on('end', () => resolve({ status: res.statusCode!, text }))
      })
      req.on('error', reject)
      req.write(body.slice(0, 5))
      setTimeout(() => {
        child.kill('SIGINT')
        setTimeout(() => req.end(body.slice(5)), 300)
      }, 200)
    })
    const res = await answer
    expect(res.status).toBe(404)
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'not_found', message: 'no control-plane route POST /__mock/slow-upload' } })
    expect((await exited(child)).code).toBe(0)
  })

  it('keeps a file database across restarts: users made before are there after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userdouble-cli-'))
    const auth = `Basic ${Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')}`
    try {
      const db = join(dir, 'data.sqlite')
      let id = 0
      for (let i = 0; i < 2; i++) {
        const child = spawnCli(['--port', '0', '--db', db])
        const url = await listeningUrl(child)
        const health = await (await fetch(`${url}/__mock/health`)).json() as { database: string }
        expect(health.database).toBe('file')
        if (i === 0) {
          const res = await fetch(`${url}/api/v2/users/create_or_update.json`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ user: { name: 'Kept', email: 'kept@example.com' } }) })
          expect(res.status).toBe(201)
          id = ((await res.json()) as { user: { id: number } }).user.id
        } else {
          const res = await fetch(`${url}/api/v2/users/${id}.json`, { headers: { authorization: auth } })
          expect(res.status).toBe(200)
          expect(((await res.json()) as { user: { email: string } }).user.email).toBe('kept@example.com')
        }
        child.kill('SIGTERM')
        expect((await exited(child)).code).toBe(0)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('loads --seed FILE into the default account at startup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userdouble-seed-'))
    try {
      const file = join(dir, 'seed.json')
      writeFileSync(file, JSON.stringify({ zendesk: { users: [{ name: 'Seeded', email: 'seeded@example.com', external_id: 'seed-1' }] } }))
      const child = spawnCli(['--port', '0', '--seed', file])
      const url = await listeningUrl(child)
      const state = await (await fetch(`${url}/__mock/accounts/default/state`)).json() as { zendesk: { users: Array<{ name: string, email: string, external_id: string }> } }
      expect(state.zendesk.users.map(u => [u.name, u.email, u.external_id])).toEqual([['Seeded', 'seeded@example.com', 'seed-1']])
      child.kill('SIGTERM')
      expect((await exited(child)).code).toBe(0)
      const bad = join(dir, 'bad.json')
      writeFileSync(bad, '{"zendesk": ')
      const failed = await collect(spawnCli(['--port', '0', '--seed', bad]))
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(/^userdouble: seed file .*bad\.json is not JSON: /)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('stops on a bad PORT with one line naming it', async () => {
    const { code, stdout, stderr } = await collect(spawnCli([], { PORT: 'abc' }))
    expect(code).not.toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toBe('userdouble: invalid configuration: PORT must be an integer from 0 to 65535 (got "abc")\n')
  })

  it('prints its flags with --help', async () => {
    const { code, stdout } = await collect(spawnCli(['--help']))
    expect(code).toBe(0)
    for (const flag of ['--host', '--port', '--db', '--log-level', '--zendesk-api-token', '--usercom-api-key']) expect(stdout).toContain(flag)
  })
})
