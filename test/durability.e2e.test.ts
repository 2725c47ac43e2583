import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { exited, listeningUrl, spawnCli } from './helpers/cli.js'

const ZD_AUTH = 'Basic ' + Buffer.from('admin@userdouble.test/token:userdoubleZendeskApiToken0000000000000000').toString('base64')
const UC_AUTH = 'Token userdouble0usercom0api0key00000000000000000000000000000000000000'
const KILLS = Number(process.env.DURABILITY_KILLS ?? 3)
const WRITERS = 8

/**
 * kill -9 under write load, several times over one file database: every write the server
 * acknowledged (a 2xx received) is there after the restart, and the file is sound.
 */
describe('durability', () => {
  it(`${KILLS} × kill -9 under ${WRITERS} concurrent writers: every acknowledged write survives`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userdouble-durability-'))
    const db = join(dir, 'data.sqlite')
    const acknowledged: Array<{ vendor: 'zendesk' | 'usercom', key: string }> = []
    let attempted = 0
    try {
      for (let round = 0; round < KILLS; round++) {
        const child = spawnCli(['--port', '0', '--db', db], { RATE_LIMITS: 'off', LOG_LEVEL: 'silent' })
        const url = await listeningUrl(child)
        let stop = false
        const writer = async (w: number): Promise<void> => {
          for (let i = 0; ; i++) {
            if (stop) return
            const key = `r${round}w${w}n${i}`
            const zendesk = i % 2 === 0
            attempted++
            try {
              const res = zendesk
                ? await fetch(`${url}/api/v2/users/create_or_update.json`, { method: 'POST', headers: { authorization: ZD_AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ user: { name: key, email: `${key}@example.com` } }) })
                : await fetch(`${url}/api/public/users/update_or_create/`, { method: 'POST', headers: { authorization: UC_AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ user_id: key, email: `${key}@example.com` }) })
              if (res.status === 200 || res.status === 201) acknowledged.push({ vendor: zendesk ? 'zendesk' : 'usercom', key })
              await res.arrayBuffer()
            } catch {
              return // the server is gone: whatever was not answered was not acknowledged
            }
          }
        }
        const writers = Array.from({ length: WRITERS }, (_, w) => writer(w))
        await new Promise(resolve => setTimeout(resolve, 1500))
        child.kill('SIGKILL')
        expect((await exited(child)).signal).toBe('SIGKILL')
        stop = true
        await Promise.all(writers)
      }

      // A fresh server on the same file finds every acknowledged write through the vendors' APIs.
      const child = spawnCli(['--port', '0', '--db', db], { RATE_LIMITS: 'off', LOG_LEVEL: 'silent' })
      const url = await listeningUrl(child)
      const missing: string[] = []
      for (const { vendor, key } of acknowledged) {
        const res = vendor === 'zendesk'
          ? await fetch(`${url}/api/v2/users/search.json?query=${encodeURIComponent(`${key}@example.com`)}`, { headers: { authorization: ZD_AUTH } })
          : await fetch(`${url}/api/public/users-by-id/${key}/`, { headers: { authorization: UC_AUTH } })
        const body = await res.json() as { users?: Array<{ name: string }>, user_id?: string }
        const found = vendor === 'zendesk' ? body.users?.length === 1 && body.users[0]!.name === key : body.user_id === key
        if (!found) missing.push(`${vendor} ${key}`)
      }
      child.kill('SIGTERM')
      expect((await exited(child)).code).toBe(0)
      expect(missing).toEqual([])
      expect(acknowledged.length).toBeGreaterThan(KILLS * 10)
      const check = new Database(db)
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(check.pragma('foreign_key_check')).toEqual([])
      check.close()
      process.stdout.write(`durability: ${KILLS} kill -9, ${attempted} writes attempted, ${acknowledged.length} acknowledged, ${acknowledged.length - missing.length} found after restart\n`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)
})
