import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Service } from './service.js'

/**
 * What every vendor scope shares, registered by each vendor plugin before its own hooks
 * (`fastify-plugin`, so its hooks land in the vendor's scope and nowhere else):
 * 1. identify: the vendor parses the credentials once; `req.account` and `req.credentials` carry
 *    the result to fault rules, the journal and the vendor's own auth hook;
 * 2. fault rules, which may answer before the vendor does;
 * 3. the journal, which records request and answer once the answer is sent.
 */
const vendorScope: FastifyPluginAsync<{ service: Service }> = async (app, { service }) => {
  const kernel = app.kernel
  const vendor = service.name
  app.decorateRequest('vendor', null)
  app.decorateRequest('account', null)
  app.decorateRequest('credentials', null)
  app.decorateRequest('journalPayload', null)
  app.decorateRequest('fault', null)

  const record = (req: FastifyRequest, status: number, headers: Record<string, unknown>, payload: unknown, durationMs = 0): void => {
    const q = req.url.indexOf('?')
    kernel.journal.record({
      at: kernel.clock.now(),
      account: req.account?.id ?? null,
      vendor,
      method: req.method,
      path: q === -1 ? req.url : req.url.slice(0, q),
      query: q === -1 ? '' : req.url.slice(q),
      headers: req.headers,
      // Modules that parse late (User.com, like DRF) leave the raw bytes: decoded when read.
      body: req.body ?? null,
      status,
      responseHeaders: headers,
      responseBody: payload,
      durationMs,
      fault: req.fault
    })
  }

  // Callback-style hooks: no promise and no microtask hop per request on the hot path.
  app.addHook('onRequest', (req, reply, done) => {
    req.vendor = vendor
    const identified = service.identify(req)
    req.account = identified.account
    req.credentials = identified.credentials
    if (kernel.faults.size === 0) { done(); return }
    const q = req.url.indexOf('?')
    const rule = kernel.faults.match(vendor, req.method, q === -1 ? req.url : req.url.slice(0, q), req.account?.id ?? null)
    if (!rule) { done(); return }
    req.fault = rule.id
    const act = (): void => {
      if (rule.action === 'drop') {
        record(req, 0, {}, null)
        reply.hijack()
        req.raw.socket?.destroy()
        return
      }
      if (rule.action === 'respond') {
        // A reply sent from a callback hook ends the request there: `done` is not called.
        const body = rule.body === undefined ? '' : rule.body
        const text = typeof body === 'string'
        reply.code(rule.status ?? 500)
        if (rule.headers) reply.headers(rule.headers)
        reply.type(rule.contentType ?? (text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'))
        reply.send(text ? body : JSON.stringify(body))
        return
      }
      done()
    }
    if (rule.latencyMs > 0) setTimeout(act, rule.latencyMs)
    else act()
  })

  if (kernel.config.JOURNAL_LIMIT > 0) {
    // The payload is only seen in onSend; the headers are final only in onResponse, after the
    // vendor module's own onSend hooks have added theirs.
    app.addHook('onSend', (req, _reply, payload, done) => {
      req.journalPayload = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null
      done(null, payload)
    })
    app.addHook('onResponse', (req, reply, done) => {
      record(req, reply.statusCode, reply.getHeaders(), req.journalPayload, Math.round(reply.elapsedTime * 100) / 100)
      done()
    })
  }
}

export default fp(vendorScope, { name: 'userdouble-vendor-scope', fastify: '5.x', decorators: { fastify: ['kernel'] } })
