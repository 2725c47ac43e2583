// A test file using the userdouble that global-setup.ts started.
import { expect, inject, test } from 'vitest'

test('my integration creates a Zendesk user', async () => {
  const { zendesk } = inject('userdouble')
  const auth = Buffer.from(`${zendesk.email}/token:${zendesk.apiToken}`).toString('base64')
  const res = await fetch(`${zendesk.baseUrl}/users/create_or_update.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { name: 'Ada', email: 'ada@example.com' } })
  })
  expect(res.status).toBe(201)
})

test('my integration updates a User.com user', async () => {
  const { usercom } = inject('userdouble')
  const send = async () => {
    const res = await fetch(`${usercom.baseUrl}/users/update_or_create/`, {
      method: 'POST',
      headers: { authorization: `Token ${usercom.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'ada', first_name: 'Ada' })
    })
    return await res.json() as { created: boolean, id: number }
  }
  expect((await send()).created).toBe(true)
  expect((await send()).created).toBe(false)
})
