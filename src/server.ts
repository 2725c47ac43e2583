#!/usr/bin/env node
import { Command, Option } from 'commander'
import closeWithGrace from 'close-with-grace'
import { setFlagsFromString } from 'node:v8'
import pino from 'pino'
import { buildApp } from './app.js'
import { CLI_FLAGS, ConfigError, ConfigSchema, loadConfig, readDotEnv, type Config } from './config.js'
import { startupBanner } from './home.js'
import { VERSION } from './kernel/kernel.js'

/**
 * How far V8 lets the old generation grow past what the last full collection kept, before the
 * next one: 50 %, where V8 would otherwise allow up to 300 % when collections are cheap. A server
 * under load keeps each journal entry for its account's last 1000 requests: long enough to be
 * promoted out of the young generation, then garbage, and with the default the process's peak
 * RSS in a 200,000-request soak was 162–175 MB for a live heap of ~20 MB; with 50 % it is
 * ~120–125 MB, for no throughput change an alternating A/B could see (docs/performance.md).
 * Only the CLI sets it (startUserDouble() never touches its host's V8), read at each collection,
 * and `node --heap-growing-percent=N` still wins.
 */
const HEAP_GROWING_PERCENT = 50
if (!process.execArgv.some(arg => /^--heap[-_]growing[-_]percent/.test(arg))) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)

/**
 * The CLI: reads configuration (`.env`, then the environment, then flags), builds the app, listens, prints the URL,
 * and on SIGINT/SIGTERM stops accepting, lets in-flight requests finish, closes the database and
 * exits 0.
 */
async function main (): Promise<void> {
  const program = new Command('userdouble')
    .description('Local, stateful emulator of the Zendesk and User.com user APIs.')
    .version(VERSION)
    // An unknown or malformed flag: commander's one error line, then this hint (not the whole help).
    .showHelpAfterError('(see userdouble --help)')
  const properties = ConfigSchema.properties as Record<string, { description?: string, default?: unknown }>
  for (const [name, flag] of Object.entries(CLI_FLAGS)) {
    const p = properties[name]
    const dflt = p?.default === undefined ? '' : ` (default: ${String(p.default)})`
    program.addOption(new Option(flag, `${p?.description ?? ''} [env ${name}]${dflt}`))
  }
  program.parse()
  const flags = program.opts<Record<string, string | undefined>>()
  const overrides: Record<string, string | undefined> = {}
  for (const [name, flag] of Object.entries(CLI_FLAGS)) overrides[name] = flags[camel(flag)]

  let config: Config
  try {
    // .env in the working directory fills in what the real environment leaves unset.
    const dotEnv = readDotEnv('.env', line => process.stderr.write(`userdouble: ${line}\n`))
    config = loadConfig({ ...dotEnv, ...process.env }, overrides)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`userdouble: invalid configuration: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }

  const logger = process.stdout.isTTY
    ? pino({ level: config.LOG_LEVEL, transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } })
    : pino({ level: config.LOG_LEVEL }, pino.destination({ sync: false }))

  const app = await buildApp({ config, logger })
  if (config.SEED_FILE !== undefined) {
    const t0 = performance.now()
    const { loadSeedFile } = await import('./seed.js')
    const loaded = await loadSeedFile(app, config.SEED_FILE, process.stderr.isTTY === true)
    logger.info({ file: config.SEED_FILE, loaded, ms: Math.round(performance.now() - t0) }, 'seeded the default account')
  }
  closeWithGrace({ delay: 10_000, logger: false }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error')
    else logger.info({ signal }, 'shutting down')
    await app.close()
    logger.flush()
  })
  const address = await app.listen({ host: config.HOST, port: config.PORT })
  process.stdout.write(startupBanner(address, VERSION, app.services))
}

function camel (flag: string): string {
  return flag.replace(/^--/, '').replace(/ .*$/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}

main().catch((err: Error) => {
  process.stderr.write(`userdouble: ${err.message}\n`)
  process.exit(1)
})
