import { describe, expect, it } from 'vitest'
import { AccountStore, secretsEqual } from '../../src/kernel/accounts.js'
import { fixedClock } from '../../src/kernel/clock.js'
import { kernelMigrations, migrate, openDatabase } from '../../src/kernel/database.js'

const store = (): AccountStore => {
  const db = openDatabase(':memory:')
  migrate(db, kernelMigrations)
  return new AccountStore(db, fixedClock('2024-01-01T00:00:00Z'))
}
const account = (id: string, n: number) => ({
  id, name: id, zendesk: { subdomain: id, email: `Agent${n}@X.test`, apiToken: `tok${n}`, password: `pw${n}`, oauthToken: `oauth${n}` }, usercom: { apiKey: String(n).repeat(64) }
})

describe('AccountStore', () => {
  it('finds an account by each of its credentials', () => {
    const s = store()
    s.upsert(account('a', 1))
    s.upsert(account('b', 2))
    expect(s.findByZendeskToken('agent2@x.test', 'tok2')?.id).toBe('b')
    expect(s.findByZendeskPassword('AGENT1@X.TEST', 'pw1')?.id).toBe('a')
    expect(s.findByZendeskOAuth('oauth2')?.id).toBe('b')
    expect(s.findByUsercomKey('1'.repeat(64))?.id).toBe('a')
  })
  it('finds nothing for a wrong secret or a secret of another kind', () => {
    const s = store()
    s.upsert(account('a', 1))
    expect(s.findByZendeskToken('agent1@x.test', 'pw1')).toBeUndefined()
    expect(s.findByZendeskPassword('agent1@x.test', 'tok1')).toBeUndefined()
    expect(s.findByZendeskOAuth('tok1')).toBeUndefined()
    expect(s.findByUsercomKey('2'.repeat(64))).toBeUndefined()
  })
  it('re-credentials an account on upsert and forgets the old secrets', () => {
    const s = store()
    s.upsert(account('a', 1))
    s.upsert({ ...account('a', 3) })
    expect(s.findByZendeskOAuth('oauth1')).toBeUndefined()
    expect(s.findByZendeskOAuth('oauth3')?.id).toBe('a')
    expect(s.list()).toHaveLength(1)
  })
  it('refuses credentials another account holds', () => {
    const s = store()
    s.upsert(account('a', 1))
    expect(() => s.upsert({ ...account('b', 2), usercom: { apiKey: '1'.repeat(64) } })).toThrow(/already used by account a/)
  })
  it('deletes an account and its credentials', () => {
    const s = store()
    s.upsert(account('a', 1))
    expect(s.delete('a')).toBe(true)
    expect(s.findByZendeskOAuth('oauth1')).toBeUndefined()
    expect(s.delete('a')).toBe(false)
  })
})

describe('secretsEqual', () => {
  it('compares secrets of any lengths', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true)
    expect(secretsEqual('abc', 'abcd')).toBe(false)
    expect(secretsEqual('', 'x')).toBe(false)
  })
})
