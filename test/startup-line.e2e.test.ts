import { describe, expect, it } from 'vitest'
import { exited, listeningUrl, spawnCli } from './helpers/cli.js'

describe('the CLI prints every base URL once it listens', () => {
  it('names both vendors\' base URLs, the docs page and the inspector; each answers', async () => {
    const child = spawnCli(['--port', '0'])
    let out = ''
    child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
    const url = await listeningUrl(child)
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(out).toMatch(/^userdouble \S+ listening on http:\/\/127\.0\.0\.1:\d+\n/)
    expect(out.split('\n').slice(1, 5)).toEqual([
      `  Zendesk    ${url}/api/v2`,
      `  User.com   ${url}/api/public`,
      `  API docs   ${url}/__mock/docs`,
      `  Inspector  ${url}/__mock/ui`
    ])
    const home = await fetch(url, { headers: { accept: 'application/json' } })
    expect(home.status).toBe(200)
    expect(((await home.json()) as { vendors: Array<{ baseUrl: string }> }).vendors.map(v => v.baseUrl)).toEqual([`${url}/api/v2`, `${url}/api/public`])
    child.kill('SIGTERM')
    expect((await exited(child)).code).toBe(0)
  })
})
