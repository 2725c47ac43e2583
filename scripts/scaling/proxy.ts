/**
 * A small proxy in front of several userdouble processes (docs/scaling.md). Vendor requests go to
 * the process `pickUpstream(routeKey(Authorization))` names, so one credential always reaches one
 * process, whose state and rate-limit windows are then the only ones it touches. The control
 * plane is spread by hand:
 *
 * - `POST /__mock/accounts` is created on the first process, then replayed on every other one with
 *   the id and every credential the first one answered, so any process can serve the account.
 * - Every other write under `/__mock` (reset, clock, faults, rate limits, state loads, deletes)
 *   goes to every process; the answer is the first process's, or 502 when the processes disagree
 *   on the status.
 * - Reads under `/__mock` go to one process: the one named by the request header
 *   `X-Userdouble-Upstream: <index>` (removed before forwarding), else the first. Nothing is merged.
 *
 * `Host` is passed through, so the URLs userdouble writes (`Location`, `url`, pagination) name
 * the proxy. Run: `UPSTREAMS=http://127.0.0.1:8081,http://127.0.0.1:8082 PORT=8080 npx tsx scripts/scaling/proxy.ts`.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { pickUpstream, routeKey } from './route.js'

export interface ProxyOptions {
  /** Base URLs of the userdouble processes, `http://host:port`; their order is their index. */
  upstreams: string[]
  port?: number
  host?: string
}

export interface Proxy {
  url: string
  close: () => Promise<void>
}

interface Answer { status: number, headers: IncomingHttpHeaders, body: Buffer }

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length'])
const UPSTREAM_HEADER = 'x-userdouble-upstream'

export async function startProxy (options: ProxyOptions): Promise<Proxy> {
  const { upstreams } = options
  if (upstreams.length === 0) throw new Error('no upstreams')
  const agent = new Agent({ keepAlive: true })

  const forward = (index: number, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer> => {
    const target = new URL(path, upstreams[index])
    const out: IncomingHttpHeaders = {}
    for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && k !== UPSTREAM_HEADER) out[k] = v
    if (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method)) out['content-length'] = String(body.length)
    return new Promise((resolve, reject) => {
      const req = request(target, { method, headers: out, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  const all = async (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer> => {
    const answers = await Promise.all(upstreams.map((_, i) => forward(i, method, path, headers, body)))
    if (answers.some(a => a.status !== answers[0]!.status)) return disagreement(answers)
    return answers[0]!
  }

  const createAccount = async (path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer> => {
    const first = await forward(0, 'POST', path, headers, body)
    if (first.status !== 201 || upstreams.length === 1) return first
    // Replay with everything the first process generated: the id and every vendor's credentials.
    const view = JSON.parse(first.body.toString('utf8')) as Record<string, unknown>
    const replay: Record<string, unknown> = { id: view.id, name: view.name }
    for (const [key, value] of Object.entries(view)) {
      if (value !== null && typeof value === 'object' && 'baseUrl' in value) {
        const { baseUrl: _, ...credentials } = value as Record<string, unknown>
        replay[key] = credentials
      }
    }
    const payload = Buffer.from(JSON.stringify(replay))
    const rest = await Promise.all(upstreams.slice(1).map((_, i) => forward(i + 1, 'POST', path, { ...headers, 'content-type': 'application/json' }, payload)))
    if (rest.some(a => a.status !== 201)) return disagreement([first, ...rest])
    return first
  }

  const handle = async (req: IncomingMessage): Promise<Answer> => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    const pathname = path.split('?')[0]!
    if (pathname === '/__mock' || pathname.startsWith('/__mock/')) {
      if (method === 'GET' || method === 'HEAD') {
        const wanted = Number(req.headers[UPSTREAM_HEADER] ?? 0)
        if (!Number.isInteger(wanted) || wanted < 0 || wanted >= upstreams.length) return json(400, { error: `${UPSTREAM_HEADER} must be an index below ${upstreams.length}` })
        return await forward(wanted, method, path, req.headers, body)
      }
      if (method === 'POST' && pathname.replace(/\/$/, '') === '/__mock/accounts') return await createAccount(path, req.headers, body)
      return await all(method, path, req.headers, body)
    }
    return await forward(pickUpstream(routeKey(req.headers.authorization), upstreams), method, path, req.headers, body)
  }

  const server = createServer((req, res) => {
    handle(req).then((a) => {
      const headers: IncomingHttpHeaders = {}
      for (const [k, v] of Object.entries(a.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v
      headers['content-length'] = String(a.body.length)
      res.writeHead(a.status, headers as Record<string, string | string[]>)
      res.end(req.method === 'HEAD' ? undefined : a.body)
    }, (err: Error) => {
      const a = json(502, { error: `upstream unreachable: ${err.message}` })
      res.writeHead(a.status, a.headers as Record<string, string>)
      res.end(a.body)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const { address, port } = server.address() as AddressInfo
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () => new Promise((resolve) => { agent.destroy(); server.close(() => resolve()); server.closeAllConnections() })
  }
}

function json (status: number, value: unknown): Answer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(value)) }
}

function disagreement (answers: Answer[]): Answer {
  return json(502, { error: 'the userdouble processes disagree', statuses: answers.map(a => a.status), bodies: answers.map(a => a.body.toString('utf8')) })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const upstreams = (process.env.UPSTREAMS ?? '').split(',').map(s => s.trim()).filter(Boolean)
  startProxy({ upstreams, port: Number(process.env.PORT ?? 8080), host: process.env.HOST ?? '0.0.0.0' }).then((p) => {
    process.stdout.write(`userdouble proxy listening on ${p.url} → ${upstreams.join(', ')}\n`)
    const stop = (): void => { p.close().then(() => process.exit(0), () => process.exit(1)) }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  }, (err: Error) => {
    process.stderr.write(`proxy: ${err.message}\n`)
    process.exit(1)
  })
}
