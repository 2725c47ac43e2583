/**
 * `npm run bench`: userdouble against a bare Fastify route returning the same Zendesk user body
 * (the ceiling), measured in one run on this machine, loopback only, every run bounded. It prints
 * every target of issue 17 with its ratio to the ceiling of this run and a verdict.
 * Servers run as child processes (the CLI, as users run it); the load comes from autocannon in
 * this process. The fixture cycle runs in fresh child processes (bench/cycle.mjs).
 *
 * `--smoke` runs every scenario for one second on small data, so the suite can check that the
 * bench still works. `--peers` adds WireMock (when `java` is on the PATH and its jar is found:
 * `WIREMOCK_JAR`, else `node_modules/wiremock/build/wiremock-standalone-*.jar`) serving the same
 * recorded 201 as a stateless stub.
 * Each measurement is also written to stderr as soon as it is taken (`bench: …`), so a run that
 * fails late still shows what it measured; the tables go to stdout at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const SMOKE = process.argv.includes('--smoke')
const PEERS = process.argv.includes('--peers')
const DURATION = SMOKE ? 2 : 8
const CONNECTIONS = 32
// Cold starts move by ±30 % one to the next on a shared machine: nine of each side, alternating.
const STARTS = SMOKE ? 2 : 9
// Enough cycles that the median is past V8's warm-up of the app-building code (the first ~20 of a
// process run 2–6× slower); the last half is also reported on its own.
const CYCLES = SMOKE ? 4 : 50
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
const LIMITS_OFF = { RATE_LIMITS: 'off' }
const CREATE_PATH = '/api/v2/users/create_or_update.json'
/** The recorded Zendesk 201 (test/fixtures/zendesk), the body every reference answers. */
const RECORDED = JSON.parse(readFileSync(join(root, 'test/fixtures/zendesk/create-or-update-201.json'), 'utf8')) as { body: unknown }

interface Server { url: string, child: ChildProcess, rssMb: () => number, stop: () => Promise<void> }

async function startServer (args: string[], env: Record<string, string> = {}): Promise<Server & { listenMs: number, t0: number }> {
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
  return { url, child, t0, listenMs: performance.now() - t0, rssMb: () => rssOf(child.pid!), stop: () => stopChild(child) }
}

function stopChild (child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return }
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
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
  /** Seconds of untimed load before the first measurement on a server (default 1). */
  warmupSeconds?: number
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
      ...(load.amount ? { amount: load.amount } : { duration: load.warmup ? (load.warmupSeconds ?? 1) : DURATION }),
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
  const rps = Math.round(result.requests.total / Math.max(result.duration, 0.001))
  if (!load.warmup) progress(`${name}: ${rps} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors + result.timeouts}, non-2xx ${result.non2xx}`)
  return {
    name,
    // Answers over elapsed seconds: the mean of per-second samples reads 0 when a one-second
    // smoke run on a loaded machine closes no full sample.
    rps: Math.round(result.requests.total / Math.max(result.duration, 0.001)),
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

/** One line on stderr per measurement, as it is taken. */
const progress = (line: string): void => { process.stderr.write(`bench: ${line}\n`) }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')
const pct = (x: number): string => `${Math.round(x * 100)}%`
const ms = (x: number): string => x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`
const verdict = (ok: boolean): string => ok ? 'met' : '**not met**'

/**
 * The userdouble scenarios, on one server with limits counting and one with `RATE_LIMITS=off`,
 * alternating scenario by scenario so both see the same machine.
 */
async function userdoubleScenarios (cli: string[]): Promise<{ on: Row[], off: Row[] }> {
  const servers = { on: await startServer(cli, HIGH_LIMITS), off: await startServer(cli, LIMITS_OFF) }
  const out: { on: Row[], off: Row[] } = { on: [], off: [] }
  const label = (kind: 'on' | 'off', name: string): string => kind === 'on' ? name : `${name} [RATE_LIMITS=off]`
  const both = async (name: string, load: (kind: 'on' | 'off') => Load): Promise<void> => {
    for (const kind of ['on', 'off'] as const) out[kind].push(await measure(label(kind, name), servers[kind], load(kind)))
  }
  await both('zendesk create_or_update, new users', () => ({ method: 'POST', path: CREATE_PATH, headers: { authorization: zdAuth }, body: zdCreate('new') }))
  const ids: Record<'on' | 'off', number[]> = { on: [], off: [] }
  for (const kind of ['on', 'off'] as const) {
    for (let i = 0; i < 1000; i++) {
      const r = await post(servers[kind].url, CREATE_PATH, zdAuth, { user: { name: `Existing ${i}`, email: `ex${i}@bench.test`, external_id: `ex${i}` } })
      ids[kind].push((r.json.user as { id: number }).id)
    }
    for (let i = 0; i < 1000; i++) await post(servers[kind].url, '/api/public/users/update_or_create/', ucAuth, { user_id: `ex${i}` })
  }
  await both('zendesk create_or_update, 1,000 existing in turn', () => ({ method: 'POST', path: CREATE_PATH, headers: { authorization: zdAuth }, body: (i) => JSON.stringify({ user: { name: `Updated ${i}`, email: `ex${i % 1000}@bench.test`, external_id: `ex${i % 1000}` } }) }))
  await both('zendesk GET users/{id}', (kind) => ({ method: 'GET', path: (i) => `/api/v2/users/${ids[kind][i % 1000]}.json`, headers: { authorization: zdAuth } }))
  await both('usercom update_or_create, new users', () => ({ method: 'POST', path: '/api/public/users/update_or_create/', headers: { authorization: ucAuth }, body: ucUpsert('new') }))
  await both('usercom update_or_create, 1,000 existing in turn', () => ({ method: 'POST', path: '/api/public/users/update_or_create/', headers: { authorization: ucAuth }, body: ucUpsert('ex', 1000) }))
  await servers.on.stop()
  await servers.off.stop()
  return out
}

/**
 * Cold start to the first real answer, alternating the two processes: spawn → listening → the
 * first 201 of a Zendesk create_or_update (userdouble, limits and journal on), against spawn → the
 * first 2xx of the bare Fastify process's POST.
 */
async function coldStarts (cli: string[]): Promise<{ ud: number[], udListen: number[], bare: number[] }> {
  const out = { ud: [] as number[], udListen: [] as number[], bare: [] as number[] }
  const first = async (args: string[], env: Record<string, string>, headers: Record<string, string>, expect: (s: number) => boolean): Promise<{ total: number, listen: number }> => {
    const s = await startServer(args, env)
    const res = await fetch(s.url + CREATE_PATH, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: zdCreate('cold')(0) })
    await res.arrayBuffer()
    const total = performance.now() - s.t0
    if (!expect(res.status)) throw new Error(`cold start: first answer ${res.status}`)
    await s.stop()
    return { total, listen: s.listenMs }
  }
  for (let i = 0; i < STARTS; i++) {
    out.bare.push((await first(['bench/ceiling.mjs'], {}, {}, s => s >= 200 && s < 300)).total)
    const u = await first(cli, {}, { authorization: zdAuth }, s => s === 201)
    out.ud.push(u.total)
    out.udListen.push(u.listen)
    progress(`cold start ${i + 1}: userdouble first 201 ${Math.round(u.total)} ms (listening ${Math.round(u.listen)} ms), bare Fastify first 2xx ${Math.round(out.bare[i]!)} ms`)
  }
  return out
}

interface Cycle { start: number, create: number, get: number, close: number, total: number }
interface RouteTime { route: string, first: number, warm: number }
interface CycleReport { importMs: number, cycles: Cycle[], perTest?: number[], laterApp?: RouteTime[], firstApp?: RouteTime[] }

function cycleProcess (mode: 'userdouble' | 'userdouble-new' | 'fastify' | 'routes'): CycleReport {
  const res = spawnSync(process.execPath, ['bench/cycle.mjs', mode, String(CYCLES)], { cwd: root, encoding: 'utf8', timeout: 300_000, env: { ...process.env, LOG_LEVEL: 'silent' } })
  if (res.status !== 0) throw new Error(`bench/cycle.mjs ${mode} failed: ${res.stderr}`)
  progress(`fixture cycle (${mode}): ${res.stdout.trim()}`)
  return JSON.parse(res.stdout) as CycleReport
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** The WireMock jar: `WIREMOCK_JAR`, else the npm package `wiremock` if installed. */
function wiremockJar (): string | undefined {
  if (process.env.WIREMOCK_JAR) return existsSync(process.env.WIREMOCK_JAR) ? process.env.WIREMOCK_JAR : undefined
  const dir = join(root, 'node_modules/wiremock/build')
  if (!existsSync(dir)) return undefined
  const jar = readdirSync(dir).find(f => /^wiremock-standalone-.*\.jar$/.test(f))
  return jar ? join(dir, jar) : undefined
}

function javaVersion (): string | undefined {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (res.error || res.status !== 0) return undefined
  return /version "([^"]+)"/.exec(res.stderr)?.[1] ?? 'unknown'
}

/** WireMock standalone on a free port, with the recorded 201 as its one stub. */
async function startWireMock (jar: string, journal: boolean): Promise<Server> {
  const port = await freePort()
  const child = spawn('java', ['-jar', jar, '--port', String(port), '--bind-address', '127.0.0.1', '--disable-banner', ...(journal ? [] : ['--no-request-journal'])], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => { err += d.toString() })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WireMock exited ${child.exitCode}: ${err}`)
    const ok = await fetch(`${url}/__admin/mappings`).then(r => r.status === 200, () => false)
    if (ok) break
    if (Date.now() > deadline) { child.kill('SIGTERM'); throw new Error(`WireMock did not start: ${err}`) }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  const stub = {
    request: { method: 'POST', urlPath: CREATE_PATH },
    response: { status: 201, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(RECORDED.body) }
  }
  const res = await fetch(`${url}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stub) })
  if (res.status !== 201) throw new Error(`WireMock refused the stub: ${res.status} ${await res.text()}`)
  return { url, child, rssMb: () => rssOf(child.pid!), stop: () => stopChild(child) }
}

/**
 * WireMock with and without its request journal, each right after userdouble with the same
 * setting (limits counting; `JOURNAL_LIMIT=0` beside `--no-request-journal`): adjacent runs, so
 * the machine's drift between the phases of a bench cannot decide who is ahead.
 */
async function peers (cli: string[]): Promise<{ rows: Row[], pairs: Array<{ ud: Row, peer: Row }>, note?: string, jar?: string }> {
  const java = javaVersion()
  if (!java) return { rows: [], pairs: [], note: 'peers skipped: no `java` on the PATH' }
  const jar = wiremockJar()
  if (!jar) return { rows: [], pairs: [], note: 'peers skipped: no WireMock jar (set WIREMOCK_JAR, or install the npm package `wiremock`)' }
  const rows: Row[] = []
  const pairs: Array<{ ud: Row, peer: Row }> = []
  // The JVM compiles hot code later than V8: five untimed seconds before the measured ones.
  const load: Load = { method: 'POST', path: CREATE_PATH, headers: { authorization: zdAuth }, body: zdCreate('wm'), warmupSeconds: SMOKE ? 1 : 5 }
  for (const journal of [true, false]) {
    const ud = await startServer(cli, { ...HIGH_LIMITS, ...(journal ? {} : { JOURNAL_LIMIT: '0' }) })
    const udRow = await measure(`userdouble create_or_update, new users, limits counting, ${journal ? 'journal on' : 'JOURNAL_LIMIT=0'} (paired with the next row)`, ud, { ...load, body: zdCreate(journal ? 'pj' : 'pn') })
    await ud.stop()
    const wm = await startWireMock(jar, journal)
    try {
      const peer = await measure(`peer: WireMock, stateless stub of the recorded 201, ${journal ? 'journal on' : '--no-request-journal'}`, wm, load)
      rows.push(udRow, peer)
      pairs.push({ ud: udRow, peer })
    } finally { await wm.stop() }
  }
  return { rows, pairs, jar, note: `peers: WireMock standalone ${/wiremock-standalone-(.*)\.jar$/.exec(jar)?.[1] ?? jar} on Java ${java}` }
}

async function main (): Promise<void> {
  const notes: string[] = []
  const cli = ['dist/server.js']
  const ceilingLoad: Load = { method: 'POST', path: CREATE_PATH, body: zdCreate('c') }

  // The ceiling is measured before and after the userdouble scenarios; ratios use their mean.
  const ceilingA = await startServer(['bench/ceiling.mjs'])
  const ceil1 = await measure('ceiling: bare Fastify, fixed Zendesk user body (first pass)', ceilingA, ceilingLoad)
  await ceilingA.stop()

  const handrolled = await startServer(['bench/handrolled.mjs'])
  const hand = await measure('reference: hand-rolled Fastify + SQLite upsert, no fidelity', handrolled, { method: 'POST', path: CREATE_PATH, body: zdCreate('h') })
  await handrolled.stop()

  const ud = await userdoubleScenarios(cli)

  const peerResult = PEERS ? await peers(cli) : { rows: [] as Row[], pairs: [], note: 'peers not run (`npm run bench -- --peers` adds WireMock)' }
  if (peerResult.note) notes.push(peerResult.note)

  const ceilingB = await startServer(['bench/ceiling.mjs'])
  const ceil2 = await measure('ceiling: bare Fastify, fixed Zendesk user body (second pass)', ceilingB, ceilingLoad)
  await ceilingB.stop()
  const ceiling = (ceil1.rps + ceil2.rps) / 2

  const sizes = SMOKE ? [1000, 10_000] : [1000, 100_000, 1_000_000]
  const bySize: Row[] = []
  for (const size of sizes) {
    // The fast seed path takes the whole state in one body: 1,000,000 users are ~150 MB.
    const s = await startServer(cli, { ...HIGH_LIMITS, STATE_BODY_LIMIT: String(1024 ** 3) })
    const seconds = await seed(s.url, size)
    progress(`seeded ${fmt(size)} users in ${seconds.toFixed(2)} s`)
    notes.push(`seeded ${fmt(size)} Zendesk users through the fast seed path in ${seconds.toFixed(2)} s`)
    bySize.push(await measure(`zendesk create_or_update, ${fmt(size)} users stored`, s, { method: 'POST', path: CREATE_PATH, headers: { authorization: zdAuth }, body: zdCreate(`s${size}-`) }))
    await s.stop()
  }

  const cold = await coldStarts(cli)

  // The built package, as users import it.
  const built = '../dist/index.js'
  const { startUserDouble } = await import(built) as typeof import('../src/index.js')
  // A new app each time (reuse: false), then the default: an app an earlier close() set aside.
  const inProcess: number[] = []
  const inProcessReused: number[] = []
  for (const [times, reuse] of [[inProcess, false], [inProcessReused, true]] as const) {
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const d = await startUserDouble({ reuse })
      times.push(performance.now() - t0)
      await d.close()
    }
  }

  const bareCycle = cycleProcess('fastify')
  const udCycle = cycleProcess('userdouble')
  const newCycle = cycleProcess('userdouble-new')
  const routes = cycleProcess('routes')

  const soakTotal = SMOKE ? 5000 : 200_000
  const soak = await startServer(cli, HIGH_LIMITS)
  const rss: number[] = [soak.rssMb()]
  const step = Math.floor(soakTotal / 10)
  const soakRow = await measure(`soak: ${fmt(soakTotal)} create_or_update with the journal on`, soak, {
    method: 'POST',
    path: CREATE_PATH,
    headers: { authorization: zdAuth },
    body: (i) => JSON.stringify({ user: { name: `Soak ${i}`, email: `soak${i % 5000}@bench.test`, external_id: `soak${i % 5000}` } }),
    amount: soakTotal,
    onProgress: (done) => { if (done % step === 0 && done < soakTotal) rss.push(soak.rssMb()) }
  })
  rss.push(soak.rssMb())
  progress(`soak RSS readings: ${rss.join(' / ')} MB`)
  await soak.stop()

  // ---- Output ----
  const rows = [ceil1, hand, ...ud.on, ...ud.off, ...peerResult.rows, ...bySize, soakRow, ceil2]
  const lines = [
    `### Throughput (ceiling: mean of two bare-Fastify passes, ${fmt(ceil1.rps)} and ${fmt(ceil2.rps)} req/s = ${fmt(ceiling)})`, '',
    '| Scenario | req/s | p50 ms | p99 ms | server RSS MB | vs ceiling | errors / non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(r => `| ${r.name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.rssMb} | ${pct(r.rps / ceiling)} | ${r.errors} / ${r.non2xx} |`)
  ]

  const targets: Array<[string, string, string]> = []
  const ratioTargets: Array<[string, number, number, number?]> = [
    ['Zendesk create_or_update, new users', 0, 0.40, 0.50],
    ['Zendesk create_or_update, existing users', 1, 0.40],
    ['Zendesk GET users/{id}', 2, 0.55],
    ['User.com update_or_create, new users', 3, 0.35],
    ['User.com update_or_create, existing users', 4, 0.35]
  ]
  for (const [name, i, min, stretch] of ratioTargets) {
    const r = ud.on[i]!.rps / ceiling
    const v = verdict(r >= min) + (stretch !== undefined && r >= stretch ? ', stretch met' : stretch !== undefined ? `, stretch ${pct(stretch)} not met` : '')
    targets.push([`${name} ≥ ${pct(min)} of the ceiling (auth, journal, limits counting)${stretch ? `, stretch ${pct(stretch)}` : ''}`, `${pct(r)} (${fmt(ud.on[i]!.rps)} req/s)`, v])
  }
  for (const [name, i, min] of ratioTargets) {
    const r = ud.off[i]!.rps / ceiling
    targets.push([`${name} ≥ ${pct(min)}, RATE_LIMITS=off (what the bookkeeping costs)`, `${pct(r)} (${fmt(ud.off[i]!.rps)} req/s)`, verdict(r >= min)])
  }
  const coldRatio = median(cold.ud) / median(cold.bare)
  targets.push([`CLI cold start: spawn → first 201 of create_or_update ≤ 1.5× bare Fastify's spawn → first 2xx of its POST (medians of ${STARTS}, alternating)`, `${ms(median(cold.ud))} vs ${ms(median(cold.bare))} = ${coldRatio.toFixed(2)}×`, verdict(coldRatio <= 1.5)])
  targets.push([`Soak RSS ≤ 150 MB at every reading (${rss.length} readings, start to end)`, `max ${Math.max(...rss)} MB (${rss.join(' / ')})`, verdict(Math.max(...rss) <= 150)])
  const udCycleMed = median(udCycle.cycles.map(c => c.total))
  const bareCycleMed = median(bareCycle.cycles.map(c => c.total))
  const newCycleMed = median(newCycle.cycles.map(c => c.total))
  targets.push([`Fixture cycle in-process (startUserDouble → create_or_update → GET → close, app.inject) ≤ 2× bare Fastify's (medians of ${CYCLES}; apps reused, the default)`, `${ms(udCycleMed)} vs ${ms(bareCycleMed)} = ${(udCycleMed / bareCycleMed).toFixed(2)}× (a new app each time, reuse: false: ${ms(newCycleMed)} = ${(newCycleMed / bareCycleMed).toFixed(2)}×)`, verdict(udCycleMed <= 2 * bareCycleMed)])
  const growth = bySize[0]!.rps / bySize[bySize.length - 1]!.rps
  targets.push([`Cost growth ${fmt(sizes[0]!)} → ${fmt(sizes[sizes.length - 1]!)} stored users ≤ 1.3×`, `${growth.toFixed(2)}×`, verdict(growth <= 1.3)])
  targets.push(['startUserDouble() in-process ≤ 50 ms (median of 5, a new app each time: reuse: false)', `${ms(median(inProcess))} (an app set aside by close(), the default: ${ms(median(inProcessReused))})`, verdict(median(inProcess) <= 50)])
  for (const { ud: u, peer } of peerResult.pairs) {
    const ratio = u.rps / peer.rps
    targets.push([`Ahead of ${peer.name.replace(/^peer: /, '')}: userdouble create_or_update, new users, limits counting, with the same journal setting, in the run just before (--peers)`, `${ratio.toFixed(2)}× (${fmt(u.rps)} vs ${fmt(peer.rps)} req/s)`, verdict(ratio >= 1)])
  }
  lines.push('', '### Targets', '', '| Target | Measured | Verdict |', '|---|---:|:---:|', ...targets.map(([t, m, v]) => `| ${t} | ${m} | ${v} |`))

  lines.push('', '### Rate-limit bookkeeping (limits counting, set too high to trip, against RATE_LIMITS=off; same run, alternating)', '',
    '| Scenario | limits counting | RATE_LIMITS=off | counting keeps |', '|---|---:|---:|---:|',
    ...ud.on.map((r, i) => `| ${r.name} | ${fmt(r.rps)} (${pct(r.rps / ceiling)}) | ${fmt(ud.off[i]!.rps)} (${pct(ud.off[i]!.rps / ceiling)}) | ${ud.off[i]!.rps > 0 ? pct(r.rps / ud.off[i]!.rps) : '—'} |`))

  lines.push('', '### Start-up', '', '| Measure | median | runs |', '|---|---:|---|',
    `| CLI cold start, userdouble: spawn → listening line | ${ms(median(cold.udListen))} | ${cold.udListen.map(x => Math.round(x)).join(', ')} |`,
    `| CLI cold start, userdouble: spawn → first 201 of create_or_update | ${ms(median(cold.ud))} | ${cold.ud.map(x => Math.round(x)).join(', ')} |`,
    `| CLI cold start, bare Fastify: spawn → first 2xx of its POST | ${ms(median(cold.bare))} | ${cold.bare.map(x => Math.round(x)).join(', ')} |`,
    `| startUserDouble() in-process (warm process), a new app (reuse: false) | ${ms(median(inProcess))} | ${inProcess.map(x => Math.round(x)).join(', ')} |`,
    `| startUserDouble() in-process (warm process), reusing an app close() set aside | ${ms(median(inProcessReused))} | ${inProcessReused.map(x => x.toFixed(1)).join(', ')} |`)

  const lastHalf = (r: CycleReport): number => median(r.cycles.slice(Math.floor(CYCLES / 2)).map(c => c.total))
  const phase = (r: CycleReport, k: keyof Cycle): string => `${ms(median(r.cycles.map(c => c[k])))} (first ${ms(r.cycles[0]![k])})`
  lines.push('', `### Fixture cycle, in-process, fresh process per side (median of ${CYCLES} cycles; the first cycle of the process in brackets)`, '',
    '| Phase | userdouble (apps reused, the default) | userdouble, reuse: false | bare Fastify |', '|---|---:|---:|---:|',
    `| import the package | ${ms(udCycle.importMs)} | ${ms(newCycle.importMs)} | ${ms(bareCycle.importMs)} |`,
    ...(['start', 'create', 'get', 'close', 'total'] as const).map(k => `| ${{ start: 'start (startUserDouble / Fastify() + listen)', create: 'first create_or_update (inject)', get: 'first GET users/{id} (inject)', close: 'close()', total: 'cycle total' }[k]} | ${phase(udCycle, k)} | ${phase(newCycle, k)} | ${phase(bareCycle, k)} |`),
    `| cycle total, the last ${CYCLES - Math.floor(CYCLES / 2)} cycles only (warm JIT) | ${ms(lastHalf(udCycle))} | ${ms(lastHalf(newCycle))} | ${ms(lastHalf(bareCycle))} |`,
    `| per-test pattern: createAccount → 3 vendor calls → reset | ${ms(median(udCycle.perTest!))} (first ${ms(udCycle.perTest![0]!)}) | — | — |`)

  lines.push('', '### First request per route on a fresh app (route schemas compile on first use), against the median of the next five', '',
    '| Route | first app of a process: first | warm | a later app: first | warm |', '|---|---:|---:|---:|---:|',
    ...routes.firstApp!.map((r, i) => { const l = udCycle.laterApp![i]!; return `| ${r.route} | ${ms(r.first)} | ${ms(r.warm)} | ${ms(l.first)} | ${ms(l.warm)} |` }))

  if (peerResult.pairs.length > 0) {
    lines.push('', '### Peers (warm, same run, adjacent pairs; userdouble is stateful, the peer serves a fixed stub)', '',
      '| Journal | userdouble create_or_update, new users, limits counting | WireMock, recorded 201 stub | userdouble vs WireMock |', '|---|---:|---:|---:|',
      ...peerResult.pairs.map(({ ud: u, peer }) => `| ${/journal on/.test(peer.name) ? 'on (userdouble default; WireMock default)' : 'off (JOURNAL_LIMIT=0; --no-request-journal)'} | ${fmt(u.rps)} (${pct(u.rps / ceiling)}) | ${fmt(peer.rps)} (${pct(peer.rps / ceiling)}) | ${(u.rps / peer.rps).toFixed(2)}× |`))
  }

  lines.push('', ...notes.map(n => `- ${n}`))
  lines.push(`- autocannon: ${CONNECTIONS} connections, ${DURATION} s per scenario after 1 s untimed per server${SMOKE ? ' (smoke run)' : ''}; node ${process.version}; ${new Date().toISOString().slice(0, 10)}`)
  process.stdout.write(lines.join('\n') + '\n')
}

main().then(() => process.exit(0), (err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`)
  process.exit(1)
})
