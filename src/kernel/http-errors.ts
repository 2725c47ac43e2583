import { STATUS_CODES, type ServerOptions } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Config } from '../config.js'
import { trustProxyOption } from './origin.js'
import type { Service } from './service.js'

/**
 * The HTTP layer, below routing: timeouts, forwarded headers, path-parameter length, shutdown of
 * idle sockets, and the answer to a request Node refuses before Fastify sees it (headers over
 * 16 KiB, an unknown method, a NUL in a header, Content-Length with Transfer-Encoding, a body
 * that did not arrive in time). Fastify's own answer there is `{"error":…,"statusCode":…}`; here
 * the service whose prefix the request line names answers in its vendor's shape
 * (`Service.clientError`), and the control plane and everything else in userdouble's.
 */

/** A complete answer written straight to the socket. */
export interface RawAnswer {
  contentType: string
  body: string
  headers?: Record<string, string>
}

/**
 * The longest path parameter the router accepts, in raw (percent-encoded) characters: a
 * User.com `user_id` of 255 characters percent-encodes to at most 255 × 12, so whatever can be
 * created can be read back by id.
 */
export const MAX_PARAM_LENGTH = 255 * 12

export function httpLayerOptions (config: Config, services: readonly Service[]): Partial<FastifyServerOptions> & { http: ServerOptions } {
  return {
    trustProxy: trustProxyOption(config),
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    // Node checks both request timeouts only every connectionsCheckingInterval (30 s by default):
    // a quarter of the timeout keeps the answer within 1.25 × REQUEST_TIMEOUT_MS.
    http: config.REQUEST_TIMEOUT_MS > 0
      ? { headersTimeout: Math.min(60_000, config.REQUEST_TIMEOUT_MS), connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.REQUEST_TIMEOUT_MS / 4))) }
      : { headersTimeout: 60_000 },
    // On close, sockets with no request in flight close at once; in-flight requests finish.
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler: function (error, socket: Socket) {
      const err = error as unknown as Error & { code?: string, rawPacket?: Buffer }
      if (err.code === 'ECONNRESET' || socket.destroyed) return
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
      const path = requestPath(err, socket)
      const service = path === undefined ? undefined : services.find(s => path === s.prefix || path.startsWith(s.prefix + '/') || path.startsWith(s.prefix + '?'))
      const answer = service ? service.clientError(status) : controlPlaneAnswer(status, err)
      // Nothing of an answer may have gone out yet (a response half written cannot get another).
      if (socket.writable && socket.bytesWritten === 0) {
        const headers = Object.entries(answer.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('')
        socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: ${answer.contentType}\r\nContent-Length: ${Buffer.byteLength(answer.body)}\r\n${headers}Connection: close\r\n\r\n${answer.body}`)
      }
      socket.destroy()
    }
  }
}

/** userdouble's own JSON, for `/__mock` and paths outside every vendor. */
function controlPlaneAnswer (status: number, err: Error & { code?: string }): RawAnswer {
  const code = status === 408 ? 'request_timeout' : status === 431 ? 'header_fields_too_large' : 'bad_request'
  const message = status === 408
    ? 'the request did not arrive whole in time (REQUEST_TIMEOUT_MS)'
    : status === 431 ? 'the request line and headers exceed 16 KiB' : `malformed HTTP request (${err.code ?? 'parse error'})`
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: { code, message } }) }
}

/**
 * The path the refused request addressed: from the request in flight on the socket (a body
 * that timed out), else from the request line at the start of the bytes Node could not parse.
 */
function requestPath (err: { rawPacket?: Buffer }, socket: Socket): string | undefined {
  const inFlight = (socket as Socket & { _httpMessage?: { req?: { url?: string } } })._httpMessage?.req?.url
  if (inFlight !== undefined) return inFlight
  const raw = err.rawPacket?.subarray(0, 8192).toString('latin1')
  const m = raw === undefined ? null : /^[!-~]{1,32} (\/[^ \r\n]*)/.exec(raw)
  return m?.[1]
}

type HttpSocket = Socket & { _httpMessage?: { req?: { url?: string }, shouldKeepAlive?: boolean } | null }

/**
 * Tracks the server's sockets and returns what ends them (kernel.closing runs it on close): every
 * socket with no request in flight closes at once (a keep-alive socket between
 * requests, a client that connected and sent nothing: Node's `closeIdleConnections` misses the
 * latter, and `server.close()` would wait for it forever); a socket with a request in flight
 * answers it, then closes. So `app.close()` returns as soon as in-flight requests are answered.
 */
export function closeSocketsOnClose (app: FastifyInstance): () => void {
  const sockets = new Set<HttpSocket>()
  app.server.on('connection', (socket: HttpSocket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  return () => {
    for (const socket of sockets) {
      const res = socket._httpMessage
      if (res) res.shouldKeepAlive = false
      else socket.destroy()
    }
  }
}

/**
 * An answer sent before the request's body has fully arrived (a 401 before the body is read, as
 * both vendors do) closes the connection, as front servers do: the rest of a stalled body can
 * never hold the socket open, and no later request can be parsed out of a half-read one.
 */
export function closeWhenBodyUnread (app: FastifyInstance): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    if (!req.raw.complete) reply.header('connection', 'close')
    done(null, payload)
  })
}
