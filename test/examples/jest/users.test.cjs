// users.test.cjs: a jest test against the userdouble started in globalSetup.
test('my integration creates a Zendesk user', async () => {
  const auth = Buffer.from(`${process.env.ZENDESK_EMAIL}/token:${process.env.ZENDESK_API_TOKEN}`).toString('base64')
  const res = await fetch(`${process.env.ZENDESK_BASE_URL}/users/create_or_update.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { name: 'Ada', email: 'ada@example.com' } })
  })
  expect(res.status).toBe(201)
})

test('my integration creates a User.com user', async () => {
  const res = await fetch(`${process.env.USERCOM_BASE_URL}/users/update_or_create/`, {
    method: 'POST',
    headers: { authorization: `Token ${process.env.USERCOM_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'ada', first_name: 'Ada' })
  })
  expect(await res.json()).toEqual({ created: true, id: expect.any(Number) })
})
