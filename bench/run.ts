/**
 * `npm run bench`: userdouble against a bare Fastify route returning the same Zendesk user body
 * (the ceiling), measured in one run on this machine, loopback only, every run bounded.
 * Servers run as child processes (the CLI, as users run it); the load comes from autocannon in
 * this process. `--smoke` runs every scenario for one second on small data, so the suite can
 * check that the bench still works.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const SMOKE = process.argv.includes('--smoke')
const DURATION = SMOKE ? 1 : 8
const CONNECTIONS = 32
const root = fileURLToPath(new URL('..', import.meta.url))
const ZD = { email: 'admin@userdouble.test', token: 'userdoubleZendeskApiToken0000000000000000' }
const UC_KEY = 'userdouble0usercom0api0key00000000000000000000000000000000000000'
const zdAuth = `Basic ${Buffer.from(`${ZD.email}/token:${ZD.token}`).toString('base64')}`
const ucAuth = `Token ${UC_KEY}`
/** Limits high enough never to trip: the bookkeeping runs, nothing is refused. */
const HIGH_LIMITS = {
  ZENDESK_RATE_LIMIT: '1000000000',
  ZENDESK_USER_RATE_LIMIT: '1000000000',
  USERCOM_RATE_LIMIT: '1000000000/s'
}

interface Server { url: string, child: ChildProcess, rssMb: () => number, stop: () => Promise<void> }

async function startServer (args: string[], env: Record<string, string> = {}): Promise<Server & { startMs: number }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out} ${err}`)), 60_000)
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) { clearTimeout(timer); resolve(m[1]!) }
    })
    child.stderr!.on('data', (d: Buffer) => { err += d.toString() })
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)) })
  })
  // Ready means the first 200 from the health probe, as Docker and test runners see it.
  if (args[0] === 'dist/server.js') {
    for (;;) {
      const ok = await fetch(`${url}/__mock/health`).then(r => r.status === 200, () => false)
      if (ok) break
    }
  }
  const startMs = performance.now() - t0
  return {
    url,
    child,
    startMs,
    rssMb: () => rssOf(child.pid!),
    stop: () => new Promise(resolve => { child.once('exit', () => resolve()); child.kill('SIGTERM') })
  }
}

function rssOf (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

interface Load {
  method: 'GET' | 'POST'
  path: string | ((n: number) => string)
  headers?: Record<string, string>
  body?: (n: number) => string
  amount?: number
  onProgress?: (done: number) => void
  warmup?: boolean
}

const warmed = new WeakSet<Server>()

interface Row { name: string, rps: number, p50: number, p99: number, rssMb: number, errors: number, non2xx: number }

/**
 * One scenario. Each server first gets a second of the same load, untimed: JIT and the lazily
 * compiled route schemas warm up there, as they would in any test run longer than a moment.
 */
async function measure (name: string, server: Server, load: Load): Promise<Row> {
  if (!warmed.has(server)) {
    warmed.add(server)
    await measure('warm-up', server, { ...load, amount: undefined, onProgress: undefined, warmup: true })
  }
  let n = load.warmup ? 1_000_000_000 : 0
  let done = 0
  const pathOf = typeof load.path === 'string' ? () => load.path as string : load.path
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: server.url,
      connections: CONNECTIONS,
      ...(load.amount ? { amount: load.amount } : { duration: load.warmup ? 1 : DURATION }),
      requests: [{
        method: load.method,
        setupRequest: (req) => {
          const i = n++
          return { ...req, path: pathOf(i), headers: { ...load.headers, ...(load.body ? { 'content-type': 'application/json' } : {}) }, ...(load.body ? { body: load.body(i) } : {}) }
        }
      }]
    }, (err, res) => { if (err) reject(err); else resolve(res) })
    if (load.onProgress) instance.on('response', () => { done++; load.onProgress!(done) })
  })
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    rssMb: server.rssMb(),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx
  }
}

async function post (url: string, path: string, auth: string, body: unknown): Promise<{ status: number, json: Record<string, unknown> }> {
  const res = await fetch(url + path, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, json: await res.json() as Record<string, unknown> }
}

const zdCreate = (prefix: string) => (i: number) => JSON.stringify({ user: { name: `Bench ${i}`, email: `${prefix}${i}@bench.test`, external_id: `${prefix}${i}` } })
const ucUpsert = (prefix: string, mod?: number) => (i: number) => JSON.stringify({ user_id: `${prefix}${mod ? i % mod : i}`, email: `${prefix}${i}@bench.test`, first_name: 'Bench' })

/**
 * Seeds `n` Zendesk users through the fast seed path (`PUT /__mock/accounts/default/state` with
 * users that carry only name, e-mail and external id); returns the seconds it took, request
 * included.
 */
async function seed (url: string, n: number): Promise<number> {
  const parts: string[] = []
  for (let i = 0; i < n; i++) parts.push(`{"name":"Seeded ${i}","email":"seed${i}@bench.test","external_id":"seed-${i}"}`)
  const body = `{"zendesk":{"users":[${parts.join(',')}]}}`
  const t0 = performance.now()
  const res = await fetch(`${url}/__mock/accounts/default/state`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body })
  if (res.status !== 200) throw new Error(`seeding ${n} users failed: ${res.status} ${await res.text()}`)
  return (performance.now() - t0) / 1000
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main (): Promise<void> {
  const rows: Row[] = []
  const notes: string[] = []
  const cli = ['dist/server.js']

  const ceiling = await startServer(['bench/ceiling.mjs'])
  rows.push(await measure('ceiling: bare Fastify, fixed Zendesk user body', ceiling, { method: 'POST', path: '/api/v2/users/create_or_update.json', body: zdCreate('c') }))
  await ceiling.stop()

  const handrolled = await startServer(['bench/handrolled.mjs'])
  rows.push(await measure('reference: hand-rolled Fastify + SQLite upsert, no fidelity', handrolled, { method: 'POST', path: '/api/v2/users/create_or_update.json', body: zdCreate('h') }))
  await handrolled.stop()

  const ud = await startServer(cli, HIGH_LIMITS)
  rows.push(await measure('zendesk create_or_update, new users', ud, { method: 'POST', path: '/api/v2/users/create_or_update.json', headers: { authorization: zdAuth }, body: zdCreate('new') }))
  const ids: number[] = []
  for (let i = 0; i < 1000; i++) {
    const r = await post(ud.url, '/api/v2/users/create_or_update.json', zdAuth, { user: { name: `Existing ${i}`, email: `ex${i}@bench.test`, external_id: `ex${i}` } })
    ids.push((r.json.user as { id: number }).id)
  }
  rows.push(await measure('zendesk create_or_update, 1,000 existing in turn', ud, { method: 'POST', path: '/api/v2/users/create_or_update.json', headers: { authorization: zdAuth }, body: (i) => JSON.stringify({ user: { name: `Updated ${i}`, email: `ex${i % 1000}@bench.test`, external_id: `ex${i % 1000}` } }) }))
  rows.push(await measure('zendesk GET users/{id}', ud, { method: 'GET', path: (i) => `/api/v2/users/${ids[i % ids.length]}.json`, headers: { authorization: zdAuth } }))
  rows.push(await measure('usercom update_or_create, new users', ud, { method: 'POST', path: '/api/public/users/update_or_create/', headers: { authorization: ucAuth }, body: ucUpsert('new') }))
  for (let i = 0; i < 1000; i++) await post(ud.url, '/api/public/users/update_or_create/', ucAuth, { user_id: `ex${i}` })
  rows.push(await measure('usercom update_or_create, 1,000 existing in turn', ud, { method: 'POST', path: '/api/public/users/update_or_create/', headers: { authorization: ucAuth }, body: ucUpsert('ex', 1000) }))
  await ud.stop()

  const sizes = SMOKE ? [1000, 10_000] : [1000, 100_000, 1_000_000]
  const bySize: Row[] = []
  for (const size of sizes) {
    const s = await startServer(cli, HIGH_LIMITS)
    const seconds = await seed(s.url, size)
    notes.push(`seeded ${size.toLocaleString('en-US')} Zendesk users through the fast seed path in ${seconds.toFixed(2)} s`)
    const row = await measure(`zendesk create_or_update, ${size.toLocaleString('en-US')} users stored`, s, { method: 'POST', path: '/api/v2/users/create_or_update.json', headers: { authorization: zdAuth }, body: zdCreate(`s${size}-`) })
    rows.push(row)
    bySize.push(row)
    await s.stop()
  }

  const starts: number[] = []
  for (let i = 0; i < 5; i++) {
    const s = await startServer(cli)
    starts.push(s.startMs)
    await s.stop()
  }
  // The built package, as users import it.
  const built = '../dist/index.js'
  const { startUserDouble } = await import(built) as typeof import('../src/index.js')
  const inProcess: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    const d = await startUserDouble()
    inProcess.push(performance.now() - t0)
    await d.close()
  }

  const soakTotal = SMOKE ? 5000 : 200_000
  const soak = await startServer(cli, HIGH_LIMITS)
  const rss: number[] = [soak.rssMb()]
  const soakRow = await measure(`soak: ${soakTotal.toLocaleString('en-US')} create_or_update with the journal on`, soak, {
    method: 'POST',
    path: '/api/v2/users/create_or_update.json',
    headers: { authorization: zdAuth },
    body: (i) => JSON.stringify({ user: { name: `Soak ${i}`, email: `soak${i % 5000}@bench.test`, external_id: `soak${i % 5000}` } }),
    amount: soakTotal,
    onProgress: (done) => { if (done === Math.floor(soakTotal / 2)) rss.push(soak.rssMb()) }
  })
  rss.push(soak.rssMb())
  rows.push(soakRow)
  await soak.stop()

  const ceilingRps = rows[0]!.rps
  const fmt = (x: number): string => x.toLocaleString('en-US')
  const lines = [
    '| Scenario | req/s | p50 ms | p99 ms | server RSS MB | vs ceiling | errors / non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(r => `| ${r.name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.rssMb} | ${Math.round(r.rps / ceilingRps * 100)}% | ${r.errors} / ${r.non2xx} |`)
  ]
  const handRow = rows[1]!
  const createRow = rows[2]!
  const growth = bySize[0]!.rps / bySize[bySize.length - 1]!.rps
  const targets = [
    ['create_or_update (auth, journal, limits on) ≥ 40% of the ceiling', `${Math.round(createRow.rps / ceilingRps * 100)}% (the no-fidelity upsert: ${Math.round(handRow.rps / ceilingRps * 100)}%)`, createRow.rps / ceilingRps >= 0.4],
    [`cost growth ${fmt(sizes[0]!)} → ${fmt(sizes[sizes.length - 1]!)} stored users ≤ 1.3×`, `${growth.toFixed(2)}×`, growth <= 1.3],
    ['CLI cold start to first 200 from /__mock/health ≤ 400 ms (median of 5)', `${Math.round(median(starts))} ms`, median(starts) <= 400],
    ['startUserDouble() in-process ≤ 50 ms (median of 5)', `${Math.round(median(inProcess))} ms`, median(inProcess) <= 50],
    ['RSS flat through the soak, ≤ 150 MB (start / middle / end)', `${rss.join(' / ')} MB`, Math.max(...rss) <= 150]
  ] as const
  lines.push('', '| Target | Measured | Met |', '|---|---:|:---:|', ...targets.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? 'yes' : '**no**'} |`))
  lines.push('', ...notes.map(n => `- ${n}`))
  lines.push(`- autocannon: ${CONNECTIONS} connections, ${DURATION} s per scenario${SMOKE ? ' (smoke run)' : ''}; node ${process.version}; ${new Date().toISOString().slice(0, 10)}`)
  process.stdout.write(lines.join('\n') + '\n')
}

main().then(() => process.exit(0), (err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`)
  process.exit(1)
})
