import type { Config } from '../config.js'
import type { AccountInput } from './accounts.js'

export const DEFAULT_ACCOUNT_ID = 'default'

/** The account that configuration describes; it is (re)written at every start, so config wins. */
export function defaultAccount (config: Config): AccountInput {
  return {
    id: DEFAULT_ACCOUNT_ID,
    name: 'Default account',
    zendesk: {
      subdomain: config.ZENDESK_SUBDOMAIN,
      email: config.ZENDESK_EMAIL,
      apiToken: config.ZENDESK_API_TOKEN,
      password: config.ZENDESK_PASSWORD,
      oauthToken: config.ZENDESK_OAUTH_TOKEN
    },
    usercom: { apiKey: config.USERCOM_API_KEY }
  }
}
