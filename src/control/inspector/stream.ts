import type { ServerResponse } from 'node:http'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Journal, JournalEntry, RecordedEntry } from '../../kernel/journal.js'

/**
 * `GET /__mock/requests/stream`: the journal as Server-Sent Events, one `request` event per
 * entry as it is recorded (the same masked JSON as `GET /__mock/requests`).
 *
 * Back-pressure: the request path only appends a reference to a bounded list; entries are masked
 * and written after the current I/O turn, once for every client. A client whose socket already
 * holds more than HIGH_WATER unsent bytes is skipped, never buffered for: when it catches up it
 * first gets `event: missed` with `{"missed": n}`, the number of entries it did not get (fetch them
 * with `GET /__mock/requests`). A slow page therefore costs the server a counter, not memory.
 */
export const HIGH_WATER = 256 * 1024
/** Entries recorded between two flushes beyond this are counted as missed by every client. */
export const MAX_PENDING = 2000

type Stored = Readonly<RecordedEntry & { id: number }>
interface Client { res: ServerResponse, account?: string, vendor?: string, missed: number }

const StreamQuerySchema = Type.Object({
  account: Type.Optional(Type.String({ description: 'Only this account\'s requests.' })),
  vendor: Type.Optional(Type.Union([Type.Literal('zendesk'), Type.Literal('usercom')]))
}, { additionalProperties: false })

class Hub {
  private readonly clients = new Set<Client>()
  private pending: Stored[] = []
  private overflow = 0
  private scheduled = false
  private unsubscribe: (() => void) | undefined
  private readonly journal: Journal

  constructor (journal: Journal) { this.journal = journal }

  add (client: Client): void {
    this.clients.add(client)
    this.unsubscribe ??= this.journal.subscribe(e => this.push(e))
  }

  remove (client: Client): void {
    this.clients.delete(client)
    if (this.clients.size === 0 && this.unsubscribe) { this.unsubscribe(); this.unsubscribe = undefined; this.pending = []; this.overflow = 0 }
  }

  closeAll (): void {
    for (const c of this.clients) c.res.end()
    this.clients.clear()
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  private push (e: Stored): void {
    if (this.pending.length < MAX_PENDING) this.pending.push(e)
    else this.overflow++
    if (!this.scheduled) { this.scheduled = true; setImmediate(() => this.flush()) }
  }

  private flush (): void {
    this.scheduled = false
    const entries = this.pending
    const overflow = this.overflow
    this.pending = []
    this.overflow = 0
    if (overflow > 0) for (const c of this.clients) c.missed += overflow
    const texts = new Map<number, string>()
    for (const e of entries) {
      for (const c of this.clients) {
        if ((c.account !== undefined && e.account !== c.account) || (c.vendor !== undefined && e.vendor !== c.vendor)) continue
        if (c.res.writableLength > HIGH_WATER) { c.missed++; continue }
        if (c.missed > 0) { c.res.write(`event: missed\ndata: {"missed":${c.missed}}\n\n`); c.missed = 0 }
        let text = texts.get(e.id)
        if (text === undefined) { text = event(this.journal.present(e)); texts.set(e.id, text) }
        c.res.write(text)
      }
    }
  }
}

const event = (entry: JournalEntry): string => `id: ${entry.id}\nevent: request\ndata: ${JSON.stringify(entry)}\n\n`

export const journalStreamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = new Hub(app.kernel.journal)
  app.kernel.closing.add(() => { hub.closeAll() })

  app.get('/requests/stream', {
    schema: {
      summary: 'The request journal live, as Server-Sent Events (`text/event-stream`)',
      description: 'Each new journal entry arrives as `event: request` whose `data` is the entry as `GET /__mock/requests` shows it (credentials masked). A client too slow to read is skipped, not buffered for: it then receives `event: missed` with `{"missed": n}` before the next entry. A comment line every 15 s keeps proxies from closing the stream.',
      querystring: StreamQuerySchema
    }
  }, async (req, reply) => {
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no'
    })
    res.write('retry: 2000\n: userdouble journal\n\n')
    const client: Client = { res, account: req.query.account, vendor: req.query.vendor, missed: 0 }
    hub.add(client)
    const ping = setInterval(() => { if (res.writableLength <= HIGH_WATER) res.write(': ping\n\n') }, 15_000)
    ping.unref()
    req.raw.socket.once('close', () => { clearInterval(ping); hub.remove(client) })
  })
}
