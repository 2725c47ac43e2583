import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startUserDouble, type UserDouble } from '../../src/in-process.js'
import { launchChromium, SKIP_BROWSER } from '../helpers/chromium.js'

const SHOTS = new URL('../../docs/inspector/', import.meta.url)
const TOKEN = 'inspector-e2e-admin-token'

describe.skipIf(SKIP_BROWSER)('the web inspector in headless Chromium', () => {
  let ud: UserDouble
  let browser: Browser
  let page: Page
  let zoeId = 0
  const foreign: string[] = []
  const errors: string[] = []
  const control = async (method: string, path: string, body?: unknown): Promise<{ status: number, json: any }> => {
    const res = await fetch(`${ud.url}/__mock${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined
    })
    return { status: res.status, json: res.status === 204 ? null : await res.json() }
  }
  const zendeskAuth = (): string => 'Basic ' + Buffer.from(`${ud.zendesk.email}/token:${ud.zendesk.apiToken}`).toString('base64')
  const shot = async (name: string): Promise<void> => {
    await page.evaluate('window.scrollTo(0, 0)')
    await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: name === 'control' })
  }

  beforeAll(async () => {
    // ADMIN_TOKEN set: the page must ask for it and send it, as any control-plane client.
    ud = await startUserDouble({ config: { ADMIN_TOKEN: TOKEN, ID_SEED: 7 } })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('request', req => { if (!req.url().startsWith(ud.url + '/') && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) foreign.push(req.url()) })
    page.on('pageerror', err => errors.push(err.message))
    page.on('console', msg => { if (msg.type() === 'error') errors.push(msg.text()) })
    await mkdir(SHOTS, { recursive: true })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await ud?.close()
  })

  test('asks for the admin token, then shows the accounts with their base URLs and counts', async () => {
    await page.goto(`${ud.url}/__mock/ui#accounts`)
    await page.getByLabel('Token').fill(TOKEN)
    await page.keyboard.press('Enter')
    const card = page.getByRole('region', { name: 'Account default' })
    await card.getByText(`${ud.url}/api/v2`, { exact: true }).waitFor()
    await expect(card.getByText(`${ud.url}/api/public`, { exact: true }).count()).resolves.toBe(1)
    expect(await page.evaluate('sessionStorage.getItem("userdouble.adminToken")')).toBe(TOKEN)
    await shot('accounts')
  }, 60_000)

  test('users created through the vendor APIs appear in the users and requests views without a reload', async () => {
    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByRole('tab', { name: 'Zendesk' }).waitFor()
    // The page's live stream is open before the writes happen.
    await page.locator('#live.up').waitFor()

    const zd = await fetch(`${ud.url}/api/v2/users/create_or_update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: zendeskAuth() },
      body: JSON.stringify({ user: { name: 'Zoe Zendesk', email: 'zoe@example.com', external_id: 'crm-1' } })
    })
    expect(zd.status).toBe(201)
    const zoe = ((await zd.json()) as { user: { id: number } }).user
    zoeId = zoe.id
    const uc = await fetch(`${ud.url}/api/public/users/update_or_create/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${ud.usercom.apiKey}`, accept: 'application/json; version=1' },
      body: JSON.stringify({ email: 'uma@example.com', first_name: 'Uma', last_name: 'Usercom', user_id: 'crm-2' })
    })
    expect(uc.status).toBe(201)

    const zoeRow = page.locator(`tr[data-user="${zoe.id}"]`)
    await zoeRow.waitFor()
    expect(await zoeRow.innerText()).toContain('zoe@example.com')
    // The row opens the user as Zendesk renders it, and the journal entry that made it.
    await zoeRow.focus()
    await page.keyboard.press('Enter')
    await page.getByText(`GET /api/v2/users/${zoe.id}`, { exact: true }).waitFor()
    await page.locator('.detail pre.json').first().getByText('"external_id": "crm-1"').waitFor()
    await page.locator('.touched').getByText('POST /api/v2/users/create_or_update → 201').waitFor()
    await shot('users')

    await page.getByRole('tab', { name: 'User.com' }).click()
    await page.locator('table.users').getByText('uma@example.com').waitFor()
    await page.getByLabel('Search users').fill('nobody-matches')
    await page.getByText('No user matches.').waitFor()
    await page.getByLabel('Search users').fill('uma')
    await page.locator('table.users').getByText('crm-2').waitFor()

    await page.getByRole('link', { name: 'Requests' }).click()
    const entry = page.locator('tr.entry', { hasText: '/api/v2/users/create_or_update' })
    await entry.waitFor()
    await page.locator('tr.entry', { hasText: '/api/public/users/update_or_create/' }).waitFor()
    await entry.click()
    const detail = page.locator('tr.expanded .entry-detail')
    await detail.locator('.status', { hasText: '201' }).waitFor()
    const authorization = detail.locator('table.headers tr', { hasText: 'authorization' }).first()
    expect(await authorization.innerText()).toMatch(/authorization\s+Basic \*\*\*/)
    expect(await detail.innerText()).not.toContain(ud.zendesk.apiToken)
    await shot('requests')
  }, 60_000)

  test('the clock moves from the page, and the API sees it', async () => {
    const before = Date.parse((await control('GET', '/clock')).json.now)
    await page.getByRole('link', { name: 'Control' }).click()
    const by = page.getByLabel('Advance by')
    await by.fill('2h')
    await page.getByRole('button', { name: 'Advance', exact: true }).click()
    await expect.poll(async () => Date.parse((await control('GET', '/clock')).json.now) - before, { timeout: 10_000 }).toBeGreaterThanOrEqual(2 * 3600 * 1000)
    expect((await control('GET', '/clock')).json.mode).toBe('offset')
    await page.getByText('offset', { exact: true }).waitFor()
  }, 60_000)

  test('a fault added from the page makes the next vendor request fail as configured', async () => {
    const form = page.locator('#fault-form')
    await form.getByLabel('Vendor').selectOption('zendesk')
    await form.getByLabel('Method').selectOption('GET')
    await form.getByLabel('Path (exact, or prefix*)').fill('/api/v2/users*')
    await form.getByLabel('Status').fill('503')
    await form.getByLabel('Times').fill('1')
    await form.getByLabel('Body').fill('{"error":"Service Unavailable"}')
    await form.getByRole('button', { name: 'Add fault' }).click()
    await page.locator('ul.faults').getByText('fault-1:', { exact: false }).waitFor()
    const rules = (await control('GET', '/faults')).json.faults
    expect(rules).toMatchObject([{ id: 'fault-1', vendor: 'zendesk', method: 'GET', path: '/api/v2/users*', status: 503, action: 'respond', account: 'default', remaining: 1 }])
    await shot('control')

    const failed = await fetch(`${ud.url}/api/v2/users/${zoeId}`, { headers: { authorization: zendeskAuth() } })
    expect(failed.status).toBe(503)
    expect(await failed.json()).toEqual({ error: 'Service Unavailable' })
    const next = await fetch(`${ud.url}/api/v2/users/${zoeId}`, { headers: { authorization: zendeskAuth() } })
    expect(next.status).toBe(200)

    // The faulted answer stands out in the live list, with its rule.
    await page.getByRole('link', { name: 'Requests' }).click()
    const faulted = page.locator('tr.entry.fault', { hasText: `/api/v2/users/${zoeId}` })
    await faulted.waitFor()
    expect(await faulted.innerText()).toContain('503')
    await faulted.click()
    await page.locator('tr.expanded').getByText('fault fault-1').waitFor()
  }, 60_000)

  test('readable at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByRole('tab', { name: 'Zendesk' }).click()
    await page.getByLabel('Search users').fill('')
    await page.locator('table.users').getByText('zoe@example.com').waitFor()
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
    expect(overflow).toBeLessThanOrEqual(0)
    await shot('users-phone')
    await page.setViewportSize({ width: 1280, height: 800 })
  }, 60_000)

  test('no console error, and no request left the server\'s origin', () => {
    expect(errors).toEqual([])
    expect(foreign).toEqual([])
  })
})
