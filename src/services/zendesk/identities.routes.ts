import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { Kernel } from '../../kernel/kernel.js'
import { requestOrigin } from '../../kernel/origin.js'
import { InvalidEndpoint, RecordNotFound } from './errors.js'
import { IdentitiesStore, type IdentityInput } from './identities.store.js'
import { isHash } from './users.input.js'
import { renderIdentity } from './users.render.js'
import type { IdentityRow } from './users.model.js'
import { NoContentSchema, NotFoundSchema, pathId, withJson } from './routes.common.js'
import { RecordInvalidSchema, badRequest, commonResponses } from './users.schemas.js'

/**
 * The User Identities API (issue 13 point 5): the recorded envelope and key order (§10.4); the
 * only way a client changes a user's primary e-mail (make_primary).
 * @see https://developer.zendesk.com/api-reference/ticketing/users/user_identities/
 */

export const IdentitySchema = Type.Object({
  url: Type.String(),
  id: Type.Integer(),
  user_id: Type.Integer(),
  type: Type.String({ description: 'email, twitter, facebook, google, phone_number, agent_forwarding, sdk or messaging.' }),
  value: Type.String(),
  verified: Type.Boolean(),
  primary: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
  undeliverable_count: Type.Optional(Type.Integer({ description: 'E-mail identities only.' })),
  deliverable_state: Type.Optional(Type.String({ description: 'E-mail identities only.' }))
}, { description: 'A user identity, keys in the recorded order.' })

const IdentityEnvelopeSchema = Type.Object({ identity: IdentitySchema })
const IdentitiesPageSchema = Type.Object({
  identities: Type.Array(IdentitySchema, { description: 'The primary of each type first, then by age.' }),
  next_page: Type.Null(),
  previous_page: Type.Null(),
  count: Type.Integer()
})
const IdentityBodySchema = Type.Object({
  identity: Type.Optional(Type.Object({
    type: Type.Optional(Type.String({ description: 'Create only.' })),
    value: Type.Optional(Type.String()),
    verified: Type.Optional(Type.Boolean({ description: 'true verifies; a verified identity is never unverified.' })),
    primary: Type.Optional(Type.Boolean({ description: 'Create only; afterwards use make_primary.' }))
  }, { additionalProperties: true }))
}, { additionalProperties: true })
const UserParamsSchema = Type.Object({ user_id: Type.String({ description: 'User id; anything but an integer is a 400.' }) })
const IdentityParamsSchema = Type.Object({
  user_id: Type.String({ description: 'User id; anything but an integer is a 400.' }),
  id: Type.String({ description: 'Identity id, optionally with `.json`.' })
})

const identityInput = (body: unknown): IdentityInput => {
  const raw = isHash(body) ? body.identity : undefined
  return isHash(raw) ? raw : {}
}

export async function identitiesRoutes (app: FastifyInstance, { kernel }: { kernel: Kernel }): Promise<void> {
  const clock = kernel.clock
  const store = new IdentitiesStore(kernel.db, kernel.ids)
  const errors = { ...commonResponses, 400: badRequest, 404: NotFoundSchema }
  const ids = (req: FastifyRequest, action: string): { userId: number, id: number } => {
    const p = req.params as { user_id: string, id?: string }
    // `user_id` is a middle segment: it never carries the format suffix.
    if (p.user_id.includes('.')) throw new InvalidEndpoint()
    const userId = pathId(p.user_id, 'user_id', 'identities', action)
    return { userId, id: p.id === undefined ? 0 : pathId(p.id, 'id', 'identities', action) }
  }
  const page = (rows: IdentityRow[], origin: string) => ({ identities: rows.map(i => renderIdentity(i, origin)), next_page: null, previous_page: null, count: rows.length })

  for (const url of withJson('/users/:user_id/identities')) {
    app.get(url, {
      schema: { summary: 'List a user\'s identities', tags: ['identities'], params: UserParamsSchema, response: { 200: IdentitiesPageSchema, ...errors } }
    }, async (req) => {
      const rows = store.list(req.account!.id, ids(req, 'index').userId)
      if (!rows) throw new RecordNotFound()
      return page(rows, requestOrigin(req))
    })

    app.post(url, {
      schema: {
        summary: 'Add an identity to a user',
        description: 'The first identity of a type (or one sent with `primary: true`) is the primary; a primary e-mail becomes the user\'s `email`. A value another user holds is 422 DuplicateValue on `value`.',
        tags: ['identities'],
        params: UserParamsSchema,
        body: IdentityBodySchema,
        response: { 201: IdentityEnvelopeSchema, ...errors, 422: RecordInvalidSchema }
      }
    }, async (req, reply) => {
      const row = store.add(req.account!.id, ids(req, 'create').userId, identityInput(req.body), clock.now())
      const origin = requestOrigin(req)
      reply.code(201).header('location', `${origin}/api/v2/users/${row.user_id}/identities/${row.id}.json`)
      return { identity: renderIdentity(row, origin) }
    })
  }

  app.get('/users/:user_id/identities/:id', {
    schema: { summary: 'Show an identity', tags: ['identities'], params: IdentityParamsSchema, response: { 200: IdentityEnvelopeSchema, ...errors } }
  }, async (req) => {
    const { userId, id } = ids(req, 'show')
    const row = store.get(req.account!.id, userId, id)
    if (!row) throw new RecordNotFound()
    return { identity: renderIdentity(row, requestOrigin(req)) }
  })

  app.put('/users/:user_id/identities/:id', {
    schema: {
      summary: 'Update an identity',
      description: 'Changes `value` or verifies (`verified: true`); a primary e-mail\'s new value is the user\'s `email`.',
      tags: ['identities'],
      params: IdentityParamsSchema,
      body: IdentityBodySchema,
      response: { 200: IdentityEnvelopeSchema, ...errors, 422: RecordInvalidSchema }
    }
  }, async (req) => {
    const { userId, id } = ids(req, 'update')
    const row = store.update(req.account!.id, userId, id, identityInput(req.body), clock.now())
    return { identity: renderIdentity(row, requestOrigin(req)) }
  })

  app.delete('/users/:user_id/identities/:id', {
    schema: {
      summary: 'Delete an identity',
      description: 'The primary e-mail cannot be deleted while the user has other identities (422); deleting the last one leaves the user without `email`.',
      tags: ['identities'],
      params: IdentityParamsSchema,
      response: { 204: NoContentSchema, ...errors, 422: RecordInvalidSchema }
    }
  }, async (req, reply) => {
    const { userId, id } = ids(req, 'destroy')
    store.delete(req.account!.id, userId, id, clock.now())
    return reply.code(204).send()
  })

  for (const url of withJson('/users/:user_id/identities/:id/make_primary')) {
    app.put(url, {
      schema: {
        summary: 'Make an identity primary',
        description: 'Answers the whole list, the new primary first (recorded). A primary e-mail becomes the user\'s `email`.',
        tags: ['identities'],
        params: IdentityParamsSchema,
        response: { 200: IdentitiesPageSchema, ...errors }
      }
    }, async (req) => {
      const { userId, id } = ids(req, 'make_primary')
      return page(store.makePrimary(req.account!.id, userId, id, clock.now()), requestOrigin(req))
    })
  }

  for (const url of withJson('/users/:user_id/identities/:id/verify')) {
    app.put(url, {
      schema: { summary: 'Verify an identity', tags: ['identities'], params: IdentityParamsSchema, response: { 200: IdentityEnvelopeSchema, ...errors } }
    }, async (req) => {
      const { userId, id } = ids(req, 'verify')
      const row = store.update(req.account!.id, userId, id, { verified: true }, clock.now())
      return { identity: renderIdentity(row, requestOrigin(req)) }
    })
  }
}
