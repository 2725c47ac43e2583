import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ClockRangeError, parseInstant } from '../kernel/clock.js'
import { ErrorSchema } from './schemas.js'

export const ClockStateSchema = Type.Object({
  mode: Type.Union([Type.Literal('real'), Type.Literal('offset'), Type.Literal('frozen')]),
  now: Type.String({ format: 'date-time' }),
  offsetMs: Type.Number()
})

export const ClockChangeSchema = Type.Object({
  advance: Type.Optional(Type.Number({ description: 'Seconds to move the clock forward (negative: back).' })),
  now: Type.Optional(Type.String({ format: 'date-time', description: 'Set the clock to this instant.' })),
  mode: Type.Optional(Type.Union([Type.Literal('real'), Type.Literal('frozen'), Type.Literal('offset')], {
    description: '`real` gives wall-clock time back; `frozen` stops time; with `now`, `offset` keeps time running from that instant.'
  }))
}, { additionalProperties: false })

/**
 * `GET|POST /__mock/clock`: the one clock behind timestamps, rate-limit windows and bulk jobs.
 * Exhaust a limit, `{"advance": 60}`, and the next call is served, with no sleeping.
 */
export const clockRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const clock = app.kernel.clock
  app.get('/clock', { schema: { summary: 'Show the clock', response: { 200: ClockStateSchema } } }, async () => clock.state())
  app.post('/clock', {
    schema: { summary: 'Move, set, freeze or release the clock', body: ClockChangeSchema, response: { 200: ClockStateSchema, 400: ErrorSchema } }
  }, async (req, reply) => {
    const { advance, now, mode } = req.body
    // Every move is checked before any is made: a refused request leaves the clock as it was.
    const before = clock.snapshot()
    try {
      if (now !== undefined) clock.set(parseInstant(now), mode === 'offset' ? 'offset' : 'frozen')
      else if (mode === 'real') clock.real()
      else if (mode === 'frozen') clock.freeze()
      if (advance !== undefined) clock.advance(advance * 1000)
    } catch (err) {
      if (!(err instanceof ClockRangeError)) throw err
      clock.restore(before)
      return reply.code(400).send({ error: { code: 'clock_out_of_range', message: err.message } })
    }
    return clock.state()
  })
}
