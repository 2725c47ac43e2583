import { describe, expect, it } from 'vitest'
import { AccountStore, secretsEqual } from '../../src/kernel/accounts.js'
import { fixedClock } from '../../src/kernel/clock.js'
import { kernelMigrations, migrate, openDatabase } from '../../src/kernel/database.js'

// Two vendors' secrets, as the Zendesk and User.com modules declare them.
const store = (): AccountStore => {
  const db = openDatabase(':memory:')
  migrate(db, kernelMigrations)
  const s = new AccountStore(db, fixedClock('2024-01-01T00:00:00Z'))
  s.addVendor('zendesk', c => [['token', `${c.email!.toLowerCase()}/token:${c.apiToken!}`], ['password', `${c.email!.toLowerCase()}:${c.password!}`], ['oauth', c.oauthToken!]])
  s.addVendor('usercom', c => [['key', c.apiKey!]])
  return s
}
const account = (id: string, n: number, usercom = { apiKey: String(n).repeat(64) }) => ({
  id, name: id, credentials: { zendesk: { subdomain: id, email: `Agent${n}@X.test`, apiToken: `tok${n}`, password: `pw${n}`, oauthToken: `oauth${n}` }, usercom }
})
const findToken = (s: AccountStore, email: string, token: string) => s.find('zendesk', 'token', `${email.toLowerCase()}/token:${token}`)
const findPassword = (s: AccountStore, email: string, password: string) => s.find('zendesk', 'password', `${email.toLowerCase()}:${password}`)

describe('AccountStore', () => {
  it('finds an account by each of its credentials', () => {
    const s = store()
    s.upsert(account('a', 1))
    s.upsert(account('b', 2))
    expect(findToken(s, 'agent2@x.test', 'tok2')?.id).toBe('b')
    expect(findPassword(s, 'AGENT1@X.TEST', 'pw1')?.id).toBe('a')
    expect(s.find('zendesk', 'oauth', 'oauth2')?.id).toBe('b')
    expect(s.find('usercom', 'key', '1'.repeat(64))?.id).toBe('a')
  })
  it('finds nothing for a wrong secret or a secret of another kind', () => {
    const s = store()
    s.upsert(account('a', 1))
    expect(findToken(s, 'agent1@x.test', 'pw1')).toBeUndefined()
    expect(findPassword(s, 'agent1@x.test', 'tok1')).toBeUndefined()
    expect(s.find('zendesk', 'oauth', 'tok1')).toBeUndefined()
    expect(s.find('usercom', 'key', '2'.repeat(64))).toBeUndefined()
  })
  it('re-credentials an account on upsert and forgets the old secrets', () => {
    const s = store()
    s.upsert(account('a', 1))
    s.upsert({ ...account('a', 3) })
    expect(s.find('zendesk', 'oauth', 'oauth1')).toBeUndefined()
    expect(s.find('zendesk', 'oauth', 'oauth3')?.id).toBe('a')
    expect(s.list()).toHaveLength(1)
  })
  it('refuses credentials another account holds', () => {
    const s = store()
    s.upsert(account('a', 1))
    expect(() => s.upsert(account('b', 2, { apiKey: '1'.repeat(64) }))).toThrow(/already used by account a/)
  })
  it('deletes an account and its credentials', () => {
    const s = store()
    s.upsert(account('a', 1))
    expect(s.delete('a')).toBe(true)
    expect(s.find('zendesk', 'oauth', 'oauth1')).toBeUndefined()
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
