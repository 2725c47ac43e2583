import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, resolveConfig } from '../src/config.js'

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({ HOST: '127.0.0.1', PORT: 8080, DATABASE_PATH: ':memory:', LOG_LEVEL: 'info', ZENDESK_SUBDOMAIN: 'userdouble', ZENDESK_EMAIL: 'admin@userdouble.test' })
    expect(c.USERCOM_API_KEY).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(c.ID_SEED).toBeUndefined()
  })

  it('reads variables, and flags win over variables', () => {
    const c = loadConfig({ PORT: '9000', DATABASE_PATH: 'a.sqlite' }, { PORT: '0' })
    expect(c.PORT).toBe(0)
    expect(c.DATABASE_PATH).toBe('a.sqlite')
  })

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ PORT: '80.5' }, 'PORT must be an integer from 0 to 65535 (got "80.5")'],
    [{ JOURNAL_LIMIT: '-1' }, 'JOURNAL_LIMIT must be an integer of at least 0 (got "-1")'],
    [{ RATE_LIMITS: 'maybe' }, 'RATE_LIMITS must be one of on, off (got "maybe")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ USERCOM_API_KEY: 'short' }, 'USERCOM_API_KEY must match ^[A-Za-z0-9]{64}$ (got "short")']
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})

describe('resolveConfig', () => {
  it('fills defaults without reading the environment', () => {
    process.env.PORT = '1234'
    try {
      expect(resolveConfig({}).PORT).toBe(8080)
    } finally {
      delete process.env.PORT
    }
  })
  it('refuses a wrong value', () => {
    expect(() => resolveConfig({ PORT: -1 })).toThrow(ConfigError)
  })
})
