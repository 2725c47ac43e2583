import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/**
 * Debian's chromium (.ci/run installs it), driven by playwright-core; CHROMIUM_PATH points
 * elsewhere. A missing browser fails the test, so a browser check cannot pass by not running:
 * SKIP_BROWSER_TESTS=1 opts out. The flags keep it off the network (this machine has none).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SKIP_BROWSER = process.env.SKIP_BROWSER_TESTS === '1'

export async function launchChromium (): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, set CHROMIUM_PATH, or SKIP_BROWSER_TESTS=1`)
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
}
