/**
 * `npm run bench:inspector`: how the web inspector (/__mock/ui) holds up with a large account.
 * One in-process userdouble with 100,000 Zendesk users (loaded through the state API) and a full
 * journal (JOURNAL_LIMIT requests of the default account), Debian's chromium driven by
 * playwright-core, loopback only. Measured from navigation to the first row on screen:
 * - the users view (the newest page of 100,000 users);
 * - the requests view filtered by path (the journal read, then the client-side filter);
 * - a user search that matches one user among 100,000.
 * Each is measured RUNS times in fresh pages; the medians and every run are printed.
 * `--smoke` uses 2,000 users and one run.
 */
import { existsSync } from 'node:fs'
import { startUserDouble } from '../src/in-process.js'
import { CHROMIUM, launchChromium } from '../test/helpers/chromium.js'

const SMOKE = process.argv.includes('--smoke')
const USERS = SMOKE ? 2_000 : 100_000
const RUNS = SMOKE ? 1 : 5
if (!existsSync(CHROMIUM)) {
  console.log(`bench:inspector skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`)
  process.exit(0)
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ud = await startUserDouble({ config: { RATE_LIMITS: 'off', ID_SEED: 1 } })
try {
  const t0 = performance.now()
  const users = Array.from({ length: USERS }, (_, i) => ({ name: `Bench User ${i}`, email: `user${i}@bench.test`, external_id: `crm-${i}` }))
  await ud.loadState({ zendesk: { users } } as never)
  const loadSeconds = (performance.now() - t0) / 1000

  const auth = 'Basic ' + Buffer.from(`${ud.zendesk.email}/token:${ud.zendesk.apiToken}`).toString('base64')
  const journalLimit = 1000
  for (let i = 0; i < journalLimit; i++) {
    const path = i % 2 === 0 ? '/api/v2/users/create_or_update' : `/api/v2/users/search?query=user${i}`
    await ud.app.inject(i % 2 === 0
      ? { method: 'POST', url: path, headers: { authorization: auth }, payload: { user: { name: `Journal ${i}`, email: `journal${i}@bench.test` } } }
      : { method: 'GET', url: path, headers: { authorization: auth } })
  }

  const browser = await launchChromium()
  const times = { users: [] as number[], requests: [] as number[], search: [] as number[] }
  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      let start = performance.now()
      await page.goto(`${ud.url}/__mock/ui#users`)
      await page.locator('table.users tr[data-user]').first().waitFor({ timeout: 60_000 })
      times.users.push(performance.now() - start)

      start = performance.now()
      await page.getByLabel('Search users').fill(`user${USERS - 7}@`)
      await page.locator('table.users').getByText(`user${USERS - 7}@bench.test`).waitFor({ timeout: 60_000 })
      times.search.push(performance.now() - start)

      start = performance.now()
      await page.goto(`${ud.url}/__mock/ui#requests`)
      await page.getByLabel('path').fill('create_or_update')
      await page.locator('tr.entry', { hasText: '/api/v2/users/create_or_update' }).first().waitFor({ timeout: 60_000 })
      times.requests.push(performance.now() - start)
      await page.close()
    }
  } finally {
    await browser.close()
  }

  const row = (what: string, xs: number[]): string => `| ${what} | ${median(xs).toFixed(0)} ms | ${xs.map(x => x.toFixed(0)).join(', ')} |`
  console.log(`\nuserdouble inspector, ${USERS.toLocaleString('en-US')} Zendesk users (loaded in ${loadSeconds.toFixed(1)} s), ${journalLimit} journal entries, ${RUNS} run(s), Chromium headless\n`)
  console.log('| From navigation (or keystroke) to the first row | Median | Runs |')
  console.log('|---|---|---|')
  console.log(row('Users view, newest page', times.users))
  console.log(row('Users view, search matching 1 user', times.search))
  console.log(row('Requests view, filtered by path', times.requests))
} finally {
  await ud.close()
}
