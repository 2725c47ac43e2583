import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { rateLimitsFor } from '../kernel/limits.js'
import { requestOrigin } from '../kernel/origin.js'
import { DEFAULT_ACCOUNT_ID } from '../kernel/default-account.js'
import { Conflict, createAccount, dumpState, loadState, requireAccount, resetAccount, resetAll, viewAccount } from './actions.js'
import {
  AccountIdParams, AccountSchema, ErrorSchema, FaultInputSchema, FaultSchema, JournalEntrySchema, JournalQuerySchema,
  LoadedSchema, NewAccountSchema, RateLimitOverridesSchema, RateLimitsSchema, StateSchema
} from './schemas.js'

const Ok = Type.Object({ ok: Type.Literal(true) })

/** Accounts, reset, state, rate-limit settings, the request journal and fault rules. */
export const controlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const k = app.kernel
  const errors = { 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema }

  app.post('/accounts', {
    schema: { summary: 'Create an account with its own credentials for both vendors', body: Type.Optional(NewAccountSchema), response: { 201: AccountSchema, ...errors } }
  }, async (req, reply) => {
    const account = createAccount(k, req.body ?? {})
    return reply.code(201).send(viewAccount(account, requestOrigin(req)))
  })

  app.get('/accounts', {
    schema: { summary: 'List accounts', response: { 200: Type.Object({ accounts: Type.Array(AccountSchema) }) } }
  }, async (req) => ({ accounts: k.accounts.list().map(a => viewAccount(a, requestOrigin(req))) }))

  app.get('/accounts/:id', {
    schema: { summary: 'Show an account', params: AccountIdParams, response: { 200: AccountSchema, ...errors } }
  }, async (req) => viewAccount(requireAccount(k, req.params.id), requestOrigin(req)))

  app.delete('/accounts/:id', {
    schema: { summary: 'Delete an account and everything it owns', params: AccountIdParams, response: { 204: Type.Null(), ...errors } }
  }, async (req, reply) => {
    if (req.params.id === DEFAULT_ACCOUNT_ID) throw new Conflict('the default account comes from configuration and cannot be deleted; reset it instead')
    requireAccount(k, req.params.id)
    resetAccount(k, req.params.id)
    k.accounts.delete(req.params.id)
    return reply.code(204).send(null)
  })

  app.post('/accounts/:id/reset', {
    schema: { summary: 'Clear one account\'s data, limits, journal and faults (credentials stay)', params: AccountIdParams, response: { 200: Ok, ...errors } }
  }, async (req) => {
    resetAccount(k, req.params.id)
    return { ok: true as const }
  })

  app.post('/reset', {
    schema: { summary: 'Clear every account\'s data, limits, journal and faults, and give real time back', response: { 200: Ok } }
  }, async () => {
    resetAll(k)
    return { ok: true as const }
  })

  app.get('/accounts/:id/state', {
    schema: { summary: 'Dump the account\'s users in the vendors\' own shapes', params: AccountIdParams, response: { 200: StateSchema, ...errors } }
  }, async (req) => dumpState(k, req.params.id, requestOrigin(req)))

  app.put('/accounts/:id/state', {
    bodyLimit: 512 * 1024 * 1024,
    schema: { summary: 'Replace the account\'s users with a dump (each vendor present in the body)', params: AccountIdParams, body: StateSchema, response: { 200: LoadedSchema, ...errors } }
  }, async (req) => ({ loaded: loadState(k, req.params.id, req.body as Record<string, unknown>) }))

  app.get('/accounts/:id/rate-limits', {
    schema: { summary: 'The rate limits in force for the account', params: AccountIdParams, response: { 200: RateLimitsSchema, ...errors } }
  }, async (req) => rateLimitsFor(k.rateLimits, requireAccount(k, req.params.id)))

  app.put('/accounts/:id/rate-limits', {
    schema: { summary: 'Override the account\'s rate limits at runtime (0 turns one off)', params: AccountIdParams, body: RateLimitOverridesSchema, response: { 200: RateLimitsSchema, ...errors } }
  }, async (req) => {
    const account = requireAccount(k, req.params.id)
    const previous = (account.settings.rateLimits ?? {}) as Record<string, Record<string, unknown> | boolean>
    const body = req.body
    const merged = {
      ...previous,
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      ...(body.zendesk ? { zendesk: { ...(previous.zendesk as object ?? {}), ...body.zendesk } } : {}),
      ...(body.usercom ? { usercom: { ...(previous.usercom as object ?? {}), ...body.usercom } } : {})
    }
    k.accounts.saveSettings(account.id, { ...account.settings, rateLimits: merged })
    // Windows counted under the old budget start afresh under the new one.
    k.limiter.clear(`${account.id}:`)
    return rateLimitsFor(k.rateLimits, account)
  })

  app.get('/requests', {
    schema: { summary: 'The request journal, oldest first, credentials masked', querystring: JournalQuerySchema, response: { 200: Type.Object({ count: Type.Integer(), requests: Type.Array(JournalEntrySchema) }) } }
  }, async (req) => {
    const requests = k.journal.query(req.query)
    return { count: requests.length, requests }
  })

  app.delete('/requests', {
    schema: { summary: 'Clear the journal (of one account with ?account=)', querystring: Type.Object({ account: Type.Optional(Type.String()) }), response: { 204: Type.Null() } }
  }, async (req, reply) => {
    k.journal.clear(req.query.account)
    return reply.code(204).send(null)
  })

  app.post('/faults', {
    schema: { summary: 'Add a fault rule', body: FaultInputSchema, response: { 201: FaultSchema, ...errors } }
  }, async (req, reply) => {
    if (req.body.account !== undefined) requireAccount(k, req.body.account)
    return reply.code(201).send(k.faults.add(req.body))
  })

  app.get('/faults', {
    schema: { summary: 'List fault rules', querystring: Type.Object({ account: Type.Optional(Type.String()) }), response: { 200: Type.Object({ faults: Type.Array(FaultSchema) }) } }
  }, async (req) => ({ faults: k.faults.list(req.query.account) }))

  app.delete('/faults', {
    schema: { summary: 'Remove every fault rule (of one account with ?account=)', querystring: Type.Object({ account: Type.Optional(Type.String()) }), response: { 204: Type.Null() } }
  }, async (req, reply) => {
    k.faults.clear(req.query.account)
    return reply.code(204).send(null)
  })

  app.delete('/faults/:id', {
    schema: { summary: 'Remove one fault rule', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null(), 404: ErrorSchema } }
  }, async (req, reply) => {
    if (!k.faults.remove(req.params.id)) return reply.code(404).send({ error: { code: 'fault_not_found', message: `no fault rule ${req.params.id}` } })
    return reply.code(204).send(null)
  })
}
