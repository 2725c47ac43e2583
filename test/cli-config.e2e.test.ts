// The CLI's configuration sources and its one-line errors, spawned as a user runs it (from source,
// through tsx) in a working directory of its own.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigSchema } from 'userdouble'
import { collect, exited, listeningUrl } from './helpers/cli.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href
const cwd = mkdtempSync(join(tmpdir(), 'userdouble-cli-'))
afterAll(() => { rmSync(cwd, { recursive: true, force: true }) })

/** `userdouble ARGS` in `cwd`, with no setting inherited from the test runner's environment. */
function cli (args: string[], env: Record<string, string> = {}): ChildProcess {
  const base: Record<string, string | undefined> = { ...process.env }
  for (const key of Object.keys(ConfigSchema.properties)) delete base[key]
  return spawn(process.execPath, ['--import', tsx, join(root, 'src/server.ts'), ...args], {
    cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe']
  })
}

describe('the CLI configuration', () => {
  it('reads .env from the working directory, and the real environment wins over it', async () => {
    writeFileSync(join(cwd, '.env'), [
      '# as .env.example shows',
      'PORT=0',
      'LOG_LEVEL=warn',
      'ZENDESK_EMAIL=dotenv@example.com',
      'ZENDESK_API_TOKEN=tokenFromDotEnv',
      'ZENDESK_PASSWORD="password from dotenv"',
      ''
    ].join('\n'))
    try {
      const child = cli([], { ZENDESK_API_TOKEN: 'tokenFromEnvironment' })
      const url = await listeningUrl(child)
      const res = await fetch(`${url}/__mock/accounts/default`)
      expect(res.status).toBe(200)
      const view = await res.json() as { zendesk: { email: string, apiToken: string, password: string } }
      expect({ email: view.zendesk.email, apiToken: view.zendesk.apiToken, password: view.zendesk.password })
        .toEqual({ email: 'dotenv@example.com', apiToken: 'tokenFromEnvironment', password: 'password from dotenv' })
      // The credentials from .env authenticate a vendor call.
      const auth = `Basic ${Buffer.from('dotenv@example.com/token:tokenFromEnvironment').toString('base64')}`
      expect((await fetch(`${url}/api/v2/users/me.json`, { headers: { authorization: auth } })).status).toBe(200)
      child.kill('SIGTERM')
      expect((await exited(child)).code).toBe(0)
    } finally {
      rmSync(join(cwd, '.env'), { force: true })
    }
  })

  it('stops on a bad value in .env with the same one line as for the environment', async () => {
    writeFileSync(join(cwd, '.env'), 'ZENDESK_EMAIL=not-an-email\n')
    try {
      const { code, stdout, stderr } = await collect(cli(['--port', '0']))
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toBe('userdouble: invalid configuration: ZENDESK_EMAIL must be an e-mail address (name@domain) (got "not-an-email")\n')
    } finally {
      rmSync(join(cwd, '.env'), { force: true })
    }
  })

  it('validates the e-mail setting from a flag too', async () => {
    const { code, stderr } = await collect(cli(['--port', '0', '--zendesk-email', 'admin at example.com']))
    expect(code).toBe(2)
    expect(stderr).toBe('userdouble: invalid configuration: ZENDESK_EMAIL must be an e-mail address (name@domain) (got "admin at example.com")\n')
  })

  it('answers an unknown flag with one error line and a hint, not the whole help', async () => {
    const { code, stdout, stderr } = await collect(cli(['--prot', '0']))
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe("error: unknown option '--prot'\n(Did you mean --port?)\n(see userdouble --help)\n")
    const other = await collect(cli(['--no-such-flag']))
    expect(other.code).toBe(1)
    expect(other.stderr).toBe("error: unknown option '--no-such-flag'\n(see userdouble --help)\n")
  })
})

describe('docker-compose.yml', () => {
  it('passes every setting from an optional .env, fixing only what the container needs', () => {
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: { userdouble: { env_file: Array<{ path: string, required: boolean }>, environment: Record<string, string> } }
    }
    const svc = compose.services.userdouble
    expect(svc.env_file).toEqual([{ path: '.env', required: false }])
    // Anything under `environment` overrides .env: only the in-container address and database path.
    expect(svc.environment).toEqual({ HOST: '0.0.0.0', PORT: '8080', DATABASE_PATH: '/data/userdouble.sqlite' })
    for (const key of Object.keys(svc.environment)) expect(Object.keys(ConfigSchema.properties)).toContain(key)
  })
})
