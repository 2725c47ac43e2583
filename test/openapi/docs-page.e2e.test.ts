import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startUserDouble, type UserDouble } from '../../src/in-process.js'
import { launchChromium, SKIP_BROWSER } from '../helpers/chromium.js'

const SHOT = new URL('../../test-results/openapi-docs.png', import.meta.url)

describe.skipIf(SKIP_BROWSER)('the docs page in headless Chromium', () => {
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

  test('renders both vendors\' operations from the combined document, with no request leaving userdouble', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } })
    const foreign: string[] = []
    page.on('request', req => { if (!req.url().startsWith(ud.url)) foreign.push(req.url()) })
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(`${ud.url}/__mock/docs`)
    await page.getByText('/api/v2/users/create_or_update', { exact: true }).first().waitFor({ timeout: 30_000 })
    await page.getByText('/api/public/users/update_or_create/', { exact: true }).first().waitFor({ timeout: 30_000 })
    await page.getByText('/__mock/health', { exact: true }).first().waitFor({ timeout: 30_000 })
    expect(await page.locator('.opblock-tag-section').count()).toBe(3)
    expect(await page.locator('.opblock-tag').allInnerTexts()).toEqual([expect.stringContaining('Zendesk'), expect.stringContaining('User.com'), expect.stringContaining('Control plane')])
    await mkdir(new URL('.', SHOT), { recursive: true })
    await page.screenshot({ path: SHOT.pathname, fullPage: false })
    expect(existsSync(SHOT)).toBe(true)
    expect(foreign).toEqual([])
    expect(errors).toEqual([])
  }, 60_000)
})
