import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { parse as parseYaml } from 'yaml'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { basic, makeApp } from '../helpers/app.js'

/** Sends raw bytes, returns everything the server wrote until it closed the socket, and how long that took. */
function raw (port: number, bytes: string | Buffer, opts: { end?: boolean } = {}): Promise<{ text: string, ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const socket = connect(port, '127.0.0.1', () => {
      if (bytes.length > 0) socket.write(bytes)
      if (opts.end) socket.end()
    })
    const chunks: Buffer[] = []
    socket.on('data', (d: Buffer) => chunks.push(d))
    socket.on('error', reject)
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString('latin1'), ms: performance.now() - t0 }))
    setTimeout(() => { socket.destroy(); reject(new Error('the server kept the socket open for 10 s')) }, 10_000).unref()
  })
}

function parse (text: string): { status: number, headers: Record<string, string>, body: string } {
  const [head, ...rest] = text.split('\r\n\r\n')
  const [statusLine, ...lines] = head!.split('\r\n')
  const headers: Record<string, string> = {}
  for (const l of lines) { const i = l.indexOf(':'); headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim() }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') }
}

let app: FastifyInstance | undefined
afterEach(async () => { await app?.close(); app = undefined })

async function listen (config: Parameters<typeof makeApp>[0] = {}): Promise<number> {
  app = await makeApp(config)
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as { port: number }).port
}

const big = 'x'.repeat(17 * 1024)

describe('requests Node refuses before routing get the addressed surface\'s shape, never Fastify\'s', () => {
  it('headers over 16 KiB: 431 from each surface', async () => {
    const port = await listen()
    const zd = parse((await raw(port, `GET /api/v2/users.json HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`)).text)
    expect(zd.status).toBe(431)
    expect(zd.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(zd.headers['x-zendesk-api-version']).toBe('v2')
    expect(zd.body).toBe('Request Header Fields Too Large')
    const uc = parse((await raw(port, `GET /api/public/users/ HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`)).text)
    expect(uc.status).toBe(431)
    expect(uc.headers['content-type']).toBe('application/json')
    expect(JSON.parse(uc.body)).toEqual({ detail: 'Request header fields too large.' })
    const cp = parse((await raw(port, `GET /__mock/health?${big} HTTP/1.1\r\nHost: x\r\n\r\n`)).text)
    expect(cp.status).toBe(431)
    expect(JSON.parse(cp.body)).toEqual({ error: { code: 'header_fields_too_large', message: 'the request line and headers exceed 16 KiB' } })
  })

  it('unknown method, NUL in a header, Content-Length with Transfer-Encoding: 400', async () => {
    const port = await listen()
    const uc = parse((await raw(port, 'FOO /api/public/users/ HTTP/1.1\r\nHost: x\r\n\r\n')).text)
    expect(uc.status).toBe(400)
    expect(JSON.parse(uc.body)).toEqual({ detail: 'Bad request.' })
    const zd = parse((await raw(port, 'GET /api/v2/users.json HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n')).text)
    expect(zd.status).toBe(400)
    expect(zd.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(zd.body).toBe('Bad Request')
    const smuggle = parse((await raw(port, 'POST /api/v2/users.json HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')).text)
    expect(smuggle.status).toBe(400)
    expect(smuggle.body).toBe('Bad Request')
    const cp = parse((await raw(port, 'FOO /__mock/health HTTP/1.1\r\nHost: x\r\n\r\n')).text)
    expect(cp.status).toBe(400)
    expect(JSON.parse(cp.body)).toEqual({ error: { code: 'bad_request', message: 'malformed HTTP request (HPE_INVALID_METHOD)' } })
    for (const r of [uc, zd, smuggle, cp]) expect(r.body).not.toContain('"statusCode":')
  })
})

describe('timeouts (REQUEST_TIMEOUT_MS, CONNECTION_TIMEOUT_MS)', () => {
  it('a body that stalls is answered 408 in the vendor\'s shape and closed', async () => {
    const port = await listen({ config: { REQUEST_TIMEOUT_MS: 400, CONNECTION_TIMEOUT_MS: 5000 } })
    const head = (path: string, auth: string): string => `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user":`
    const zd = await raw(port, head('/api/v2/users.json', basic('admin@userdouble.test/token', 'userdoubleZendeskApiToken0000000000000000')))
    expect(zd.ms).toBeLessThan(5000)
    const zr = parse(zd.text)
    expect(zr.status).toBe(408)
    expect(zr.body).toBe('Request Timeout')
    const uc = parse((await raw(port, head('/api/public/users/', 'Token userdouble0usercom0api0key00000000000000000000000000000000000000'))).text)
    expect(uc.status).toBe(408)
    expect(JSON.parse(uc.body)).toEqual({ detail: 'Request timeout.' })
  })

  it('a socket that sends nothing is closed', async () => {
    const port = await listen({ config: { REQUEST_TIMEOUT_MS: 400, CONNECTION_TIMEOUT_MS: 600 } })
    const silent = await raw(port, '')
    expect(silent.ms).toBeLessThan(5000)
    expect(silent.text).not.toContain('"statusCode":')
  })

  it('a socket silent after its headers is closed by the connection timeout alone', async () => {
    const port = await listen({ config: { REQUEST_TIMEOUT_MS: 0, CONNECTION_TIMEOUT_MS: 500 } })
    const r = await raw(port, 'POST /api/v2/users.json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{')
    expect(r.ms).toBeLessThan(5000)
  })
})

describe('the OpenAPI documents', () => {
  it('document 408 and 431 on every operation, with the bodies the HTTP layer sends', () => {
    const expected: Record<string, Record<string, unknown>> = {
      zendesk: { 408: 'Request Timeout', 431: 'Request Header Fields Too Large' },
      usercom: { 408: { detail: 'Request timeout.' }, 431: { detail: 'Request header fields too large.' } },
      control: { 408: { error: { code: 'request_timeout', message: '…' } }, 431: { error: { code: 'header_fields_too_large', message: '…' } } }
    }
    for (const [plane, bodies] of Object.entries(expected)) {
      const doc = parseYaml(readFileSync(new URL(`../../openapi/${plane}.yaml`, import.meta.url), 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>, components: { responses: Record<string, { content: Record<string, { example: unknown }> }> } }
      let operations = 0
      for (const item of Object.values(doc.paths)) {
        for (const op of Object.values(item)) {
          if (typeof op !== 'object' || !op || !('responses' in op)) continue
          operations++
          for (const status of ['408', '431']) {
            const ref = op.responses[status]?.$ref
            expect(ref, `${plane} ${status}`).toBeDefined()
            const component = doc.components.responses[ref!.split('/').pop()!]!
            expect(Object.values(component.content)[0]!.example).toEqual(bodies[status])
          }
        }
      }
      expect(operations).toBeGreaterThan(3)
    }
  })
})
