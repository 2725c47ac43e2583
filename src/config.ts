import { readFileSync } from 'node:fs'
import util from 'node:util'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/** What the e-mail settings must look like: one @ with something on either side, no spaces. */
const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+$'

/**
 * Every setting, with its environment variable (the key), its CLI flag and its default.
 * The README's configuration table is this list.
 */
export const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Interface to listen on (0.0.0.0 in the Docker image).' }),
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'Port to listen on; 0 picks a free one.' }),
  DATABASE_PATH: Type.String({ default: ':memory:', minLength: 1, description: 'SQLite file; `:memory:` keeps everything in memory and forgets it on exit.' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(l => Type.Literal(l)), { default: 'info', description: 'pino log level; one line per request at info.' }),
  ID_SEED: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'Seed for random-looking tokens (User.com keys, job ids, request ids); unset means random.' })),
  ZENDESK_SUBDOMAIN: Type.String({ default: 'userdouble', pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Subdomain of the default account (shown in `/__mock` and in logs).' }),
  ZENDESK_EMAIL: Type.String({ default: 'admin@userdouble.test', minLength: 3, pattern: EMAIL_PATTERN, description: 'Zendesk agent e-mail of the default account (Basic auth user name).' }),
  ZENDESK_API_TOKEN: Type.String({ default: 'userdoubleZendeskApiToken0000000000000000', minLength: 1, description: 'Zendesk API token: `Basic base64(email/token:TOKEN)`.' }),
  ZENDESK_PASSWORD: Type.String({ default: 'userdouble-password', minLength: 1, description: 'Zendesk password: `Basic base64(email:PASSWORD)`.' }),
  ZENDESK_OAUTH_TOKEN: Type.String({ default: 'userdouble0zendesk0oauth0token00000000000000000000000000000000000', minLength: 1, description: 'Zendesk OAuth access token: `Bearer TOKEN`.' }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 1, description: 'When set, `/__mock/*` (health aside) needs `Authorization: Bearer <token>`.' })),
  JOURNAL_LIMIT: Type.Integer({ default: 1000, minimum: 0, description: 'Requests kept in the journal per account (a ring: the oldest go first); 0 records nothing.' }),
  JOURNAL_MAX_BYTES: Type.Integer({ default: 67108864, minimum: 0, description: 'Bytes of bodies the whole journal keeps (64 MiB); past it the oldest entries go first, whatever their account. 0: no byte bound.' }),
  JOURNAL_BODY_MAX_BYTES: Type.Integer({ default: 65536, minimum: 0, description: 'Bytes kept of each request and response body in the journal; longer ones are cut and marked `truncated`.' }),
  JOURNAL_ANONYMOUS_LIMIT: Type.Integer({ default: 100, minimum: 0, description: 'Requests kept in the journal without an account (no or wrong credentials): a small ring of their own.' }),
  SEED_FILE: Type.Optional(Type.String({ minLength: 1, description: 'JSON state to load into the default account at startup (the shape of `GET /__mock/accounts/default/state`).' })),
  RATE_LIMITS: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on', description: 'Single switch: `off` turns every rate limit off, whatever the per-limit settings say.' }),
  ZENDESK_RATE_LIMIT: Type.Integer({ default: 700, minimum: 0, description: 'Zendesk account-wide requests per minute (200, 400, 700 or 2500 by plan); 0 turns it off.' }),
  ZENDESK_USER_RATE_LIMIT: Type.Integer({ default: 5, minimum: 0, description: 'Zendesk create_or_update / PUT users/{id} calls per minute per end user; 0 turns it off.' }),
  ZENDESK_ACCOUNT_RPS_LIMIT: Type.Integer({ default: 0, minimum: 0, description: 'Optional Zendesk account-wide cap per second on those two endpoints (documented 1, enforcement unverified); 0 is off.' }),
  ZENDESK_MAX_JOBS: Type.Integer({ default: 30, minimum: 0, description: 'Zendesk bulk jobs queued or running at once per account before TooManyJobs; 0 turns the check off.' }),
  USERCOM_RATE_LIMIT: Type.String({ default: '600/min', pattern: '^(off|[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day))$', description: 'User.com requests per account, DRF style `N/period` (period s, min, hour or day), or `off`. User.com publishes no number.' }),
  TRUST_PROXY: Type.String({ default: 'off', pattern: '^(on|off|[0-9A-Fa-f.:/]+(, *[0-9A-Fa-f.:/]+)*)$', description: '`X-Forwarded-Proto`/`-Host` decide the URLs userdouble gives out only from trusted proxies: `off`, `on` (any peer) or addresses/CIDRs separated by commas.' }),
  REQUEST_TIMEOUT_MS: Type.Integer({ default: 30000, minimum: 0, description: 'A request must arrive whole (headers and body) within this many ms, or it is answered 408 and closed; 0 never.' }),
  CONNECTION_TIMEOUT_MS: Type.Integer({ default: 60000, minimum: 0, description: 'A socket silent for this many ms (nothing sent, or a body that stalls) is closed; 0 never.' }),
  STATE_BODY_LIMIT: Type.Integer({ default: 67108864, minimum: 1024, description: 'Largest body `PUT /__mock/accounts/{id}/state` accepts, in bytes (64 MiB).' }),
  USERCOM_API_KEY: Type.String({ default: 'userdouble0usercom0api0key00000000000000000000000000000000000000', pattern: '^[A-Za-z0-9]{64}$', description: 'User.com REST API key (64 letters and digits): `Token KEY`.' })
})

export type Config = Static<typeof ConfigSchema>

/** CLI flags, each the same setting as its environment variable. */
export const CLI_FLAGS: Record<keyof Config, string> = {
  HOST: '--host <host>',
  PORT: '--port <port>',
  DATABASE_PATH: '--db <path>',
  LOG_LEVEL: '--log-level <level>',
  ID_SEED: '--id-seed <n>',
  ZENDESK_SUBDOMAIN: '--zendesk-subdomain <name>',
  ZENDESK_EMAIL: '--zendesk-email <email>',
  ZENDESK_API_TOKEN: '--zendesk-api-token <token>',
  ZENDESK_PASSWORD: '--zendesk-password <password>',
  ZENDESK_OAUTH_TOKEN: '--zendesk-oauth-token <token>',
  ADMIN_TOKEN: '--admin-token <token>',
  JOURNAL_LIMIT: '--journal-limit <n>',
  JOURNAL_MAX_BYTES: '--journal-max-bytes <n>',
  JOURNAL_BODY_MAX_BYTES: '--journal-body-max-bytes <n>',
  JOURNAL_ANONYMOUS_LIMIT: '--journal-anonymous-limit <n>',
  SEED_FILE: '--seed <file>',
  RATE_LIMITS: '--rate-limits <on|off>',
  ZENDESK_RATE_LIMIT: '--zendesk-rate-limit <n>',
  ZENDESK_USER_RATE_LIMIT: '--zendesk-user-rate-limit <n>',
  ZENDESK_ACCOUNT_RPS_LIMIT: '--zendesk-account-rps-limit <n>',
  ZENDESK_MAX_JOBS: '--zendesk-max-jobs <n>',
  USERCOM_RATE_LIMIT: '--usercom-rate-limit <rate>',
  TRUST_PROXY: '--trust-proxy <on|off|addresses>',
  REQUEST_TIMEOUT_MS: '--request-timeout <ms>',
  CONNECTION_TIMEOUT_MS: '--connection-timeout <ms>',
  STATE_BODY_LIMIT: '--state-body-limit <bytes>',
  USERCOM_API_KEY: '--usercom-api-key <key>'
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Fills defaults into a partial config, as tests and `buildApp` callers pass it. No environment read. */
export function resolveConfig (partial: Partial<Config> = {}): Config {
  const config = Value.Default(ConfigSchema, structuredClone(partial)) as Config
  if (!Value.Check(ConfigSchema, config)) {
    const first = Value.Errors(ConfigSchema, config).First()
    throw new ConfigError(`${first?.path.slice(1) ?? 'config'} ${first?.message ?? 'is invalid'}`)
  }
  return config
}

/**
 * Validates environment variables and CLI values (already keyed by variable name; CLI wins) once,
 * at startup, with TypeBox's Value (convert strings to the schema's types, fill defaults, check):
 * the same library and schema as everything else, where env-schema would load Ajv and cost a
 * sixth of the cold-start budget. A bad value throws a ConfigError whose message names the
 * variable.
 */
export function loadConfig (env: Record<string, string | undefined>, overrides: Record<string, string | undefined> = {}): Config {
  const data: Record<string, unknown> = {}
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = overrides[key] ?? env[key]
    if (value !== undefined && value !== '') data[key] = value
  }
  const props = ConfigSchema.properties as Record<string, Record<string, unknown>>
  for (const [name, raw] of Object.entries(data)) {
    // Value.Convert would turn "80.5" into 80: integers must be written as integers.
    if (props[name]?.type === 'integer' && !/^-?\d+$/.test(raw as string)) fail(`${name} ${describe(name)} (got ${JSON.stringify(raw)})`)
  }
  const converted = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, { ...data })) as Record<string, unknown>
  if (Value.Check(ConfigSchema, converted)) return converted as Config
  const error = Value.Errors(ConfigSchema, converted).First()!
  const name = error.path.replace(/^\//, '').split('/')[0] || 'configuration'
  const got = name in data ? ` (got ${JSON.stringify(data[name])})` : ''
  return fail(`${name} ${describe(name)}${got}`)
}

function fail (message: string): never {
  throw new ConfigError(message)
}

/** What a variable must be, from its schema, in words. */
function describe (name: string): string {
  const prop = (ConfigSchema.properties as Record<string, Record<string, unknown>>)[name] ?? {}
  const choices = prop.anyOf as Array<{ const?: unknown }> | undefined
  if (choices) return `must be one of ${choices.map(c => String(c.const)).join(', ')}`
  const range = prop.minimum !== undefined && prop.maximum !== undefined ? ` from ${String(prop.minimum)} to ${String(prop.maximum)}` : prop.minimum !== undefined ? ` of at least ${String(prop.minimum)}` : ''
  if (prop.type === 'integer') return `must be an integer${range}`
  if (prop.pattern === EMAIL_PATTERN) return 'must be an e-mail address (name@domain)'
  if (prop.pattern) return `must match ${String(prop.pattern)}`
  if (prop.minLength) return 'must not be empty'
  return 'is invalid'
}

/**
 * The settings in a `.env` file (KEY=VALUE lines, as `.env.example` shows), parsed with Node's own
 * parser (`util.parseEnv`, Node 20.12+, the one behind `process.loadEnvFile`). Nothing is written to
 * process.env: the caller merges, and the real environment wins. A missing file is no settings; a
 * Node without the parser gets a warning instead of a half-read file.
 */
export function readDotEnv (file: string, warn: (line: string) => void = () => {}): Record<string, string> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`)
  }
  const parseEnv = (util as { parseEnv?: (content: string) => Record<string, string> }).parseEnv
  if (typeof parseEnv !== 'function') {
    warn(`${file} ignored: Node ${process.version} cannot parse it (Node 20.12 or later can); export its settings instead`)
    return {}
  }
  return parseEnv(text)
}
