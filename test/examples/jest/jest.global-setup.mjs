// jest.global-setup.mjs: one userdouble for the whole run; tests read its URLs from the environment.
import { startUserDouble } from 'userdouble'

export default async function globalSetup () {
  const userdouble = await startUserDouble()
  globalThis.__USERDOUBLE__ = userdouble
  process.env.ZENDESK_BASE_URL = userdouble.zendesk.baseUrl
  process.env.ZENDESK_EMAIL = userdouble.zendesk.email
  process.env.ZENDESK_API_TOKEN = userdouble.zendesk.apiToken
  process.env.USERCOM_BASE_URL = userdouble.usercom.baseUrl
  process.env.USERCOM_API_KEY = userdouble.usercom.apiKey
}
