// zendesk-node-api 1.3.0 ships no types: the part of its API the tests use.
declare module 'zendesk-node-api' {
  interface Accessor {
    list: (params?: string) => Promise<unknown>
    show: (id: number | string) => Promise<unknown>
    create: (data: object) => Promise<unknown>
    createOrUpdate: (data: object) => Promise<unknown>
    update: (id: number | string, data: object) => Promise<unknown>
    delete: (id: number | string) => Promise<true>
  }
  interface Client { users: Accessor, organizations: Accessor, tickets: Accessor }
  function Zendesk (config: { url: string, email: string, token: string, oauth?: boolean }): Client
  export = Zendesk
}
