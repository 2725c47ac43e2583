// A consumer's test code, type-checked against userdouble's shipped types (strict, no skipLibCheck)
// and run by test/package/install.e2e.test.ts in a fresh project that installed the packed tarball.
import { startUserDouble, type UserDouble } from 'userdouble'

const ud: UserDouble = await startUserDouble()
try {
  const { email, apiToken, baseUrl } = ud.zendesk
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`
  const res = await fetch(new URL('users/create_or_update.json', base), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}`,
      'content-type': 'application/json'
    },
    body: JSON.stringify({ user: { name: 'Packaged Consumer', email: 'consumer@example.com' } })
  })
  const body = await res.json() as { user: { name: string, email: string } }
  console.log(JSON.stringify({ status: res.status, name: body.user.name, email: body.user.email }))
} finally {
  await ud.close()
}
