import type { Kernel } from '../../kernel/kernel.js'
import type { ServiceState } from '../../kernel/service.js'
import { dumpState, parseState } from './dump.js'
import type { UsersStore } from './users.store.js'
import { UsercomUserListing } from './users.listing.js'

export { LoadError } from './dump.js'

/** The control plane's handle on User.com data: reset, dump (GET's rendering, v1), load, count. */
export function usercomState (kernel: Kernel, store: UsersStore): ServiceState {
  const listing = new UsercomUserListing(kernel.db)
  return {
    reset: accountId => { kernel.db.transaction(() => store.reset(accountId))() },
    // Dump and load live in dump.ts (the state document's format).
    dump: (accountId) => dumpState(store, accountId),
    load: (accountId, data) => {
      const parsed = parseState(data, { now: kernel.clock.now() * 1000, token: () => kernel.ids.token(12) })
      kernel.db.transaction(() => store.load(accountId, parsed))()
      return { users: parsed.users.length, tags: parsed.tags.length, attributes: parsed.attributes.length, companies: parsed.companies.length, events: parsed.events.length }
    },
    count: accountId => ({ users: store.count(accountId) }),
    listUsers: (accountId, query) => listing.list(accountId, query)
  }
}
