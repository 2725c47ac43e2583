import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { exited, listeningUrl, spawnCli } from './helpers/cli.js'

function get (url: URL, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: '/__mock/health', agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)) })
    req.on('error', reject)
    req.end()
  })
}

describe('shutdown', () => {
  it('SIGTERM with idle keep-alive and silent sockets open: in-flight request finishes, database closes, exit 0 at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userdouble-shutdown-'))
    const dbPath = join(dir, 'data.sqlite')
    try {
      const child = spawnCli(['--port', '0', '--db', dbPath])
      const url = new URL(await listeningUrl(child))
      // An idle keep-alive connection: one request answered, the socket left open.
      const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 })
      expect(await get(url, agent)).toBe(200)
      // A client that connected and sent nothing.
      const silent: Socket = await new Promise(resolve => { const s = connect(Number(url.port), url.hostname, () => resolve(s)); s.on('error', () => {}) })
      // A request in flight: headers sent, body still arriving when the signal comes.
      const body = JSON.stringify({ hello: 'world' })
      const inFlight = new Promise<number>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/__mock/nothing', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)) })
        req.on('error', reject)
        req.write(body.slice(0, 3))
        setTimeout(() => req.end(body.slice(3)), 500)
      })
      await new Promise(resolve => setTimeout(resolve, 100))
      const t0 = performance.now()
      child.kill('SIGTERM')
      expect(await inFlight).toBe(404)
      const { code } = await exited(child)
      const ms = performance.now() - t0
      expect(code).toBe(0)
      // docker stop waits 10 s; close-with-grace's own deadline is 10 s: well within either.
      expect(ms).toBeLessThan(5000)
      silent.destroy()
      agent.destroy()
      // The database was closed cleanly: no WAL left behind to replay, and it opens read-write.
      const db = new Database(dbPath)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
