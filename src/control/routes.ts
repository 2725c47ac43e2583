import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { DEFAULT_ACCOUNT_ID } from '../kernel/accounts.js'
import { requestOrigin } from '../kernel/origin.js'
import type { Emulator } from '../kernel/service.js'
import {
  Conflict, createAccount, dumpState, loadState, overrideRateLimits, rateLimitsOf, requireAccount, resetAccount, resetAll, viewAccount
} from './actions.js'
import { AccountIdParams, ErrorSchema, JournalEntrySchema, LoadedSchema, vendorSchemas } from './schemas.js'

const Ok = Type.Object({ ok: Type.Literal(true) })

/** Accounts, reset, state, rate-limit settings, the request journal and fault rules. */
export const controlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const k = app.kernel
  const e: Emulator = { kernel: k, services: app.services }
  const {
    Account: AccountSchema, NewAccountBody, AccountList, State: StateSchema, RateLimits: RateLimitsSchema,
    RateLimitOverrides: RateLimitOverridesSchema, JournalQuery: JournalQuerySchema, FaultInput: FaultInputSchema, Fault: FaultSchema
  } = vendorSchemas(app.services)
  const errors = { 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema }

  app.post('/accounts', {
    schema: { summary: 'Create an account with its own credentials for both vendors', body: NewAccountBody, response: { 201: AccountSchema, ...errors } }
  }, async (req, reply) => {
    const account = createAccount(e, req.body ?? {})
    return reply.code(201).send(viewAccount(e, account, requestOrigin(req)))
  })

  app.get('/accounts', {
    schema: { summary: 'List accounts', response: { 200: AccountList } }
  }, async (req) => ({ accounts: k.accounts.list().map(a => viewAccount(e, a, requestOrigin(req))) }))

  app.get('/accounts/:id', {
    schema: { summary: 'Show an account', params: AccountIdParams, response: { 200: AccountSchema, ...errors } }
  }, async (req) => viewAccount(e, requireAccount(e, req.params.id), requestOrigin(req)))

  app.delete('/accounts/:id', {
    schema: { summary: 'Delete an account and everything it owns', params: AccountIdParams, response: { 204: Type.Null(), ...errors } }
  }, async (req, reply) => {
    if (req.params.id === DEFAULT_ACCOUNT_ID) throw new Conflict('the default account comes from configuration and cannot be deleted; reset it instead')
    requireAccount(e, req.params.id)
    resetAccount(e, req.params.id)
    k.accounts.delete(req.params.id)
    return reply.code(204).send(null)
  })

  app.post('/accounts/:id/reset', {
    schema: { summary: 'Clear one account\'s data, limits, journal and faults (credentials stay)', params: AccountIdParams, response: { 200: Ok, ...errors } }
  }, async (req) => {
    resetAccount(e, req.params.id)
    return { ok: true as const }
  })

  app.post('/reset', {
    schema: { summary: 'Clear every account\'s data, limits, journal and faults, and give real time back', response: { 200: Ok } }
  }, async () => {
    resetAll(e)
    return { ok: true as const }
  })

  app.get('/accounts/:id/state', {
    schema: { summary: 'Dump the account\'s users in the vendors\' own shapes', params: AccountIdParams, response: { 200: StateSchema, ...errors } }
  }, async (req) => dumpState(e, req.params.id, requestOrigin(req)))

  app.put('/accounts/:id/state', {
    // One transaction (a state loads whole or not at all), so it holds the event loop while it
    // runs: STATE_BODY_LIMIT (64 MiB by default) bounds how long.
    bodyLimit: k.config.STATE_BODY_LIMIT,
    schema: { summary: 'Replace the account\'s users with a dump (each vendor present in the body)', params: AccountIdParams, body: StateSchema, response: { 200: LoadedSchema, ...errors, 413: ErrorSchema } }
  }, async (req) => {
    const t0 = performance.now()
    const loaded = loadState(e, req.params.id, req.body as Record<string, unknown>)
    req.log.info({ account: req.params.id, loaded, bytes: Number(req.headers['content-length'] ?? 0), ms: Math.round(performance.now() - t0) }, 'state loaded')
    return { loaded }
  })

  app.get('/accounts/:id/rate-limits', {
    schema: { summary: 'The rate limits in force for the account', params: AccountIdParams, response: { 200: RateLimitsSchema, ...errors } }
  }, async (req) => rateLimitsOf(e, requireAccount(e, req.params.id)))

  app.put('/accounts/:id/rate-limits', {
    schema: { summary: 'Override the account\'s rate limits at runtime (0 turns one off)', params: AccountIdParams, body: RateLimitOverridesSchema, response: { 200: RateLimitsSchema, ...errors } }
  }, async (req) => {
    const account = requireAccount(e, req.params.id)
    overrideRateLimits(e, account, req.body as Record<string, unknown>)
    return rateLimitsOf(e, account)
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
    if (req.body.account !== undefined) requireAccount(e, req.body.account)
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
