import Fastify from 'fastify'
import { describe, expect } from 'vitest'
import { test } from '../helpers/app.js'
import { ContractError, contractProblems, mediaTypeMatches, withContract } from '../helpers/contract.js'

/**
 * The drift check itself: a documented operation answering something its document does not
 * show must fail the test that received it. A stand-in app serves a documented path
 * (`/__mock/clock`) with whatever each case needs, behind the same `withContract` wrapper the
 * `test` fixture and `makeApp` use.
 */
function impostor (status: number, body: string, type = 'application/json; charset=utf-8') {
  const app = Fastify()
  app.get('/__mock/clock', async (_req, reply) => reply.code(status).type(type).send(body))
  app.get('/__mock/undocumented', async () => ({ anything: true }))
  return withContract(app)
}

const CLOCK = JSON.stringify({ mode: 'frozen', now: '2024-01-01T00:00:00.000Z', offsetMs: 0 })

describe('withContract', () => {
  test('a conforming answer passes', async () => {
    const res = await impostor(200, CLOCK).inject({ method: 'GET', url: '/__mock/clock' })
    expect(res.statusCode).toBe(200)
  })

  test('a deliberately undocumented status fails the test', async () => {
    const app = impostor(418, JSON.stringify({ error: { code: 'teapot', message: 'short and stout' } }))
    const err = await app.inject({ method: 'GET', url: '/__mock/clock' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ContractError)
    expect((err as Error).message).toContain('GET /__mock/clock → 418 (documented as GET /__mock/clock in openapi/control.yaml): status 418 is not documented (documented: 200, 401, 408, 431)')
  })

  test('a body the schema does not allow fails', async () => {
    const app = impostor(200, JSON.stringify({ mode: 'sideways', now: 'noon', offsetMs: 0 }))
    await expect(app.inject({ method: 'GET', url: '/__mock/clock' })).rejects.toThrow(/the body does not match the schema: \/mode must be equal to one of the allowed values/)
  })

  test('a missing required field fails', async () => {
    const app = impostor(200, JSON.stringify({ mode: 'frozen', offsetMs: 0 }))
    await expect(app.inject({ method: 'GET', url: '/__mock/clock' })).rejects.toThrow(/must have required property 'now'/)
  })

  test('a media type the document does not list fails', async () => {
    const app = impostor(200, CLOCK, 'text/plain; charset=utf-8')
    await expect(app.inject({ method: 'GET', url: '/__mock/clock' })).rejects.toThrow('content-type "text/plain; charset=utf-8" is not one of the documented application/json')
  })

  test('a body that is not JSON under a JSON media type fails', async () => {
    const app = impostor(200, '{"mode":')
    await expect(app.inject({ method: 'GET', url: '/__mock/clock' })).rejects.toThrow('the body is not JSON')
  })

  test('an undocumented path is not checked (the vendor modules\' own 404s cover those)', async () => {
    const res = await impostor(200, CLOCK).inject({ method: 'GET', url: '/__mock/undocumented' })
    expect(res.json()).toEqual({ anything: true })
  })

  test('the test fixture\'s app is checked: its inject is the wrapper', async ({ app }) => {
    const other = Fastify()
    expect(app.inject).not.toBe(other.inject)
    const res = await app.inject({ method: 'GET', url: '/__mock/clock' })
    expect(res.statusCode).toBe(200)
    await other.close()
  })
})

describe('contractProblems', () => {
  test('Zendesk\'s per-user 429 must be text/plain: the same words as JSON are drift', async () => {
    const text = 'You have exceeded the rate limit for updating a single unique user. user email:  id:  external_id: '
    const base = { method: 'POST', url: '/api/v2/users/create_or_update.json', statusCode: 429 }
    expect(await contractProblems({ ...base, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '60' }, payload: text })).toEqual([])
    const asJson = await contractProblems({ ...base, headers: { 'content-type': 'application/json; charset=utf-8' }, payload: JSON.stringify(text) })
    expect(asJson).toHaveLength(1)
    expect(asJson[0]).toMatch(/the body does not match the schema/)
  })

  test('the `.json` twin of a Zendesk path is checked against the canonical operation', async () => {
    const problems = await contractProblems({ method: 'GET', url: '/api/v2/users/me.json', statusCode: 299, headers: {}, payload: '' })
    expect(problems[0]).toContain('documented as GET /api/v2/users/me in openapi/zendesk.yaml): status 299 is not documented')
  })

  test('a Fastify default error body on a vendor route is drift', async () => {
    const problems = await contractProblems({
      method: 'POST',
      url: '/api/public/users/update_or_create/',
      statusCode: 400,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', error: 'Bad Request', message: 'Body is not valid JSON but content-type is set to \'application/json\'' })
    })
    expect(problems).toHaveLength(1)
  })
})

describe('mediaTypeMatches', () => {
  test('type and subtype always; parameters only when the document names them', () => {
    expect(mediaTypeMatches('application/json', 'application/json; charset=utf-8')).toBe(true)
    expect(mediaTypeMatches('application/json', 'text/plain')).toBe(false)
    expect(mediaTypeMatches('application/json; charset=utf-8', 'application/json')).toBe(false)
    expect(mediaTypeMatches('application/json; charset=utf-8', 'Application/JSON; charset=UTF-8')).toBe(true)
    expect(mediaTypeMatches('text/*', 'text/plain')).toBe(true)
  })
})
