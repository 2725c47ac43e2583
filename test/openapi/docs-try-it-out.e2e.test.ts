import { mkdir } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startUserDouble, type UserDouble } from '../../src/in-process.js'
import { launchChromium, SKIP_BROWSER } from '../helpers/chromium.js'

const SHOT = new URL('../../test-results/openapi-docs-try-it-out.png', import.meta.url)
const AUTH_SHOT = new URL('../../test-results/openapi-docs-authorize.png', import.meta.url)

describe.skipIf(SKIP_BROWSER)('"Try it out" on the docs page, in headless Chromium', () => {
  let ud: UserDouble
  let browser: Browser
  beforeAll(async () => {
    ud = await startUserDouble()
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await ud?.close()
  })

  test('Authorize is pre-filled; create_or_update\'s example, executed as is, answers 201 and creates the user', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    // A 401 would open the browser's own login dialog: there must be none.
    const dialogs: string[] = []
    page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}) })
    const sent: Array<{ url: string, authorization: string | undefined }> = []
    page.on('request', req => { if (req.url().includes('/api/v2/users/create_or_update')) sent.push({ url: req.url(), authorization: req.headers().authorization }) })

    await page.goto(`${ud.url}/__mock/docs`)
    await page.locator('.topbar img[src^="data:image/svg+xml"]').waitFor({ timeout: 30_000 })
    expect(await page.title()).toBe('userdouble API docs')

    // Authorize: both vendors' schemes show as authorized with the default account.
    await page.locator('button.authorize').first().click()
    const modal = page.locator('.modal-ux')
    await modal.waitFor()
    await expect.poll(async () => modal.getByText('admin@userdouble.test').count()).toBeGreaterThan(0)
    expect(await modal.locator('button.btn-done, button.auth.btn-done, button:has-text("Logout")').count()).toBeGreaterThan(0)
    await mkdir(new URL('.', SHOT), { recursive: true })
    await page.screenshot({ path: AUTH_SHOT.pathname, fullPage: false })
    await modal.locator('button.close-modal').click()

    const op = page.locator('#operations-Zendesk-zendesk_postUsersCreateOrUpdate')
    await op.locator('.opblock-summary').click()
    await op.locator('button.try-out__btn').click()
    await op.locator('button.execute').click()
    const status = op.locator('.live-responses-table tr.response .response-col_status').first()
    await status.waitFor({ timeout: 30_000 })
    expect((await status.innerText()).trim()).toBe('201')
    await op.locator('.live-responses-table tr.response').first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: SHOT.pathname, fullPage: false })

    expect(sent).toEqual([{ url: `${ud.url}/api/v2/users/create_or_update`, authorization: `Basic ${Buffer.from('admin@userdouble.test:userdouble-password').toString('base64')}` }])
    const zendesk = (await ud.state()).zendesk
    expect(zendesk.users.map(u => [u.name, u.email, u.external_id])).toEqual([['Ada Lovelace', 'ada@example.com', 'ada-1']])
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
  }, 90_000)
})
