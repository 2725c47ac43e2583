import type { Kernel } from '../../kernel/kernel.js'
import type { ServiceState } from '../index.js'
import { dumpState, parseState } from './dump.js'
import { UsersStore } from './users.store.js'

export { LoadError } from './dump.js'

const stores = new WeakMap<Kernel, UsersStore>()

/** One store (one set of prepared statements) per app. */
export function storeFor (kernel: Kernel): UsersStore {
  let store = stores.get(kernel)
  if (!store) {
    store = new UsersStore(kernel.db, kernel.clock, kernel.ids)
    stores.set(kernel, store)
  }
  return store
}

/** The control plane's handle on User.com data: reset, dump (GET's rendering, v1), load, count. */
export function usercomState (kernel: Kernel): ServiceState {
  const store = storeFor(kernel)
  return {
    reset: accountId => { kernel.db.transaction(() => store.reset(accountId))() },
    // Dump and load live in dump.ts (the state document's format).
    dump: (accountId) => dumpState(store, accountId),
    load: (accountId, data) => {
      const parsed = parseState(data, { now: kernel.clock.now() * 1000, token: () => kernel.ids.token(12) })
      kernel.db.transaction(() => store.load(accountId, parsed))()
      return { users: parsed.users.length, tags: parsed.tags.length, attributes: parsed.attributes.length, companies: parsed.companies.length, events: parsed.events.length }
    },
    count: accountId => ({ users: store.count(accountId) })
  }
}
