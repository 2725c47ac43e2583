import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'

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
    schema: { summary: 'Move, set, freeze or release the clock', body: ClockChangeSchema, response: { 200: ClockStateSchema } }
  }, async (req) => {
    const { advance, now, mode } = req.body
    if (now !== undefined) clock.set(Date.parse(now), mode === 'offset' ? 'offset' : 'frozen')
    else if (mode === 'real') clock.real()
    else if (mode === 'frozen') clock.freeze()
    if (advance !== undefined) clock.advance(advance * 1000)
    return clock.state()
  })
}
