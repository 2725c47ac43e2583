import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { Kernel } from '../../kernel/kernel.js'
import { requestOrigin } from '../../kernel/origin.js'
import { RecordNotFound } from './errors.js'
import { isHash } from './users.input.js'
import { FIELD_TYPES, renderField, type FieldInput } from './user-fields.model.js'
import type { UserFieldsStore } from './user-fields.store.js'
import { NoContentSchema, NotFoundSchema, pathId, withJson } from './routes.common.js'
import { RecordInvalidSchema, badRequest, commonResponses } from './users.schemas.js'

/**
 * `GET/POST /api/v2/user_fields`, `GET/PUT/DELETE /api/v2/user_fields/{id}` (issue 13 point 4).
 * Definitions in the recorded shape and key order (§10.3); what they do to users is in
 * user-fields.store.ts (`apply`) and user-fields.model.ts (`renderValues`).
 * @see https://developer.zendesk.com/api-reference/ticketing/users/user_fields/
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

export const UserFieldSchema = Type.Object({
  url: Type.String(),
  id: Type.Integer(),
  type: Type.Union(FIELD_TYPES.map(t => Type.Literal(t))),
  key: Type.String({ description: 'The key users carry the value under in `user_fields`.' }),
  title: Type.String(),
  description: Type.String(),
  raw_title: Type.String(),
  raw_description: Type.String(),
  position: Type.Integer(),
  active: Type.Boolean(),
  system: Type.Boolean(),
  regexp_for_validation: Nullable(Type.String({ description: 'The pattern of a regexp field; the date pattern of a date field.' })),
  created_at: Type.String(),
  updated_at: Type.String(),
  tag: Type.Optional(Nullable(Type.String({ description: 'Checkbox only: the tag a checked box adds to the user.' }))),
  custom_field_options: Type.Optional(Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), raw_name: Type.String(), value: Type.String() }), { description: 'Dropdown (tagger) only.' }))
}, { description: 'A user field definition, keys in the recorded order.' })

const FieldEnvelopeSchema = Type.Object({ user_field: UserFieldSchema })
const FieldsPageSchema = Type.Object({
  user_fields: Type.Array(UserFieldSchema),
  next_page: Type.Null(),
  previous_page: Type.Null(),
  count: Type.Integer()
})

const FieldInputSchema = Type.Object({
  type: Type.Optional(Type.String({ description: `One of ${FIELD_TYPES.join(', ')}; required on create, fixed after.` })),
  key: Type.Optional(Type.String({ description: 'Letters, digits and underscores, not only digits; unique; required on create, fixed after.' })),
  title: Type.Optional(Type.String({ description: 'Required.' })),
  description: Type.Optional(Type.String()),
  position: Type.Optional(Type.Integer()),
  active: Type.Optional(Type.Boolean()),
  regexp_for_validation: Type.Optional(Type.String({ description: 'Required for a regexp field.' })),
  tag: Type.Optional(Type.String({ description: 'Checkbox only.' })),
  custom_field_options: Type.Optional(Type.Array(Type.Object({ name: Type.String(), value: Type.String() }), { description: 'Required for a dropdown; on update the list replaces the options.' }))
}, { additionalProperties: true })
const FieldBodySchema = Type.Object({ user_field: Type.Optional(FieldInputSchema) }, { additionalProperties: true })
const FieldIdParamsSchema = Type.Object({ id: Type.String({ description: 'Field id, optionally with `.json`; anything but an integer is a 400.' }) })

const fieldInput = (body: unknown): FieldInput => {
  const raw = isHash(body) ? body.user_field : undefined
  return isHash(raw) ? raw : {}
}

export async function userFieldsRoutes (app: FastifyInstance, { kernel, fields }: { kernel: Kernel, fields: UserFieldsStore }): Promise<void> {
  const clock = kernel.clock
  const byId = { ...commonResponses, 400: badRequest, 404: NotFoundSchema }
  const id = (params: unknown, action: string): number => pathId((params as { id: string }).id, 'id', 'user_fields', action)

  for (const url of withJson('/user_fields')) {
    app.get(url, {
      schema: { summary: 'List user fields', description: 'Every definition of the account, by position; one page.', tags: ['user_fields'], response: { 200: FieldsPageSchema, ...commonResponses } }
    }, async (req) => {
      const origin = requestOrigin(req)
      const rows = fields.list(req.account!.id)
      return { user_fields: rows.map(f => renderField(f, origin)), next_page: null, previous_page: null, count: rows.length }
    })

    app.post(url, {
      schema: {
        summary: 'Create a user field',
        description: 'From then on users render every defined key (null when unset, false for a checkbox), keys the account does not define are dropped, and values are checked by type.',
        tags: ['user_fields'],
        body: FieldBodySchema,
        response: { 201: FieldEnvelopeSchema, ...commonResponses, 422: RecordInvalidSchema }
      }
    }, async (req, reply) => {
      const row = fields.create(req.account!.id, fieldInput(req.body), clock.now())
      const origin = requestOrigin(req)
      reply.code(201).header('location', `${origin}/api/v2/user_fields/${row.id}.json`)
      return { user_field: renderField(row, origin) }
    })
  }

  app.get('/user_fields/:id', {
    schema: { summary: 'Show a user field', tags: ['user_fields'], params: FieldIdParamsSchema, response: { 200: FieldEnvelopeSchema, ...byId } }
  }, async (req) => {
    const row = fields.get(req.account!.id, id(req.params, 'show'))
    if (!row) throw new RecordNotFound()
    return { user_field: renderField(row, requestOrigin(req)) }
  })

  app.put('/user_fields/:id', {
    schema: {
      summary: 'Update a user field',
      description: 'title, description, position, active, regexp_for_validation (regexp), tag (checkbox), custom_field_options (dropdown, replacing the list). Not emulated: changing type or key.',
      tags: ['user_fields'],
      params: FieldIdParamsSchema,
      body: FieldBodySchema,
      response: { 200: FieldEnvelopeSchema, ...byId, 422: RecordInvalidSchema }
    }
  }, async (req) => {
    const row = fields.update(req.account!.id, id(req.params, 'update'), fieldInput(req.body), clock.now())
    return { user_field: renderField(row, requestOrigin(req)) }
  })

  app.delete('/user_fields/:id', {
    schema: { summary: 'Delete a user field', description: 'Its values go with it.', tags: ['user_fields'], params: FieldIdParamsSchema, response: { 204: NoContentSchema, ...byId } }
  }, async (req, reply) => {
    fields.delete(req.account!.id, id(req.params, 'destroy'))
    return reply.code(204).send()
  })
}
