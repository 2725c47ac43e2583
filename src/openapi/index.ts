import { readFile } from 'node:fs/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { DEFAULT_ACCOUNT_ID, type Credentials } from '../kernel/accounts.js'
import { requestOrigin } from '../kernel/origin.js'
import { packagePath } from '../kernel/paths.js'
import { DEFAULT_CREDENTIALS, LOCAL_SERVER_URL, planesOf, type Json, type Plane, type PlaneName } from './planes.js'

const DIR = packagePath('openapi/')

/** The committed documents, read and parsed on first use: startup reads no file. */
export interface DocumentStore {
  planes: readonly Plane[]
  /** The document as JSON, its `LOCAL_SERVER_URL` server replaced by `origin` (`http://host:port`). */
  json: (name: PlaneName, origin: string) => Promise<string>
  doc: (name: PlaneName) => Promise<Json>
  combined: () => Promise<Json>
}

/** Stands for the origin in the cached JSON of a document; no document contains it. */
const ORIGIN = '\u0000origin\u0000'

export function documentStore (planes: readonly Plane[], dir: URL = DIR): DocumentStore {
  const parsed = new Map<PlaneName, Promise<Json>>()
  const serialized = new Map<PlaneName, Promise<string[]>>()
  const doc = (name: PlaneName): Promise<Json> => {
    let d = parsed.get(name)
    if (!d) {
      d = Promise.all([import('yaml'), readFile(new URL(planes.find(p => p.name === name)!.file, dir), 'utf8')])
        .then(([{ parse }, text]) => parse(text) as Json)
      // A failed read is retried next time rather than cached.
      d.catch(() => parsed.delete(name))
      parsed.set(name, d)
    }
    return d
  }
  return {
    planes,
    doc,
    json: async (name, origin) => {
      let s = serialized.get(name)
      if (!s) {
        // Serialized once, split where the origin goes: each request only joins the parts.
        s = doc(name).then(d => JSON.stringify(withServer(d, ORIGIN)).split(JSON.stringify(ORIGIN)))
        s.catch(() => serialized.delete(name))
        serialized.set(name, s)
      }
      return (await s).join(JSON.stringify(origin))
    },
    combined: async () => combine(await Promise.all(planes.map(p => doc(p.name))), planes)
  }
}

/** The document with its `LOCAL_SERVER_URL` server pointing at `origin` instead. */
function withServer (doc: Json, origin: string): Json {
  const servers = doc.servers as Array<{ url: string }> | undefined
  if (!servers) return doc
  return { ...doc, servers: servers.map(s => s.url === LOCAL_SERVER_URL ? { ...s, url: origin } : s) }
}

/**
 * One document with every operation of the three (given in `planes` order), for the docs page's first entry: Swagger UI
 * shows one document at a time, and the point of the page is both vendors side by side. Its
 * server is relative, so "Try it out" calls the userdouble that serves the page.
 */
export function combine (docs: Json[], planes: readonly Plane[]): Json {
  const paths: Json = {}
  const securitySchemes: Json = {}
  const responses: Json = {}
  const schemas: Json = {}
  const tags: unknown[] = []
  for (const [i, d] of docs.entries()) {
    // operationIds must be unique across the document: `getUsersId` is in both vendors.
    const prefix = planes[i]?.name ?? String(i)
    // Each operation carries its document's security: the combined document has none of its
    // own, and without it Swagger UI sends none of the credentials entered under Authorize.
    const security = d.security
    for (const [path, item] of Object.entries(d.paths as Record<string, Json>)) {
      paths[path] = Object.fromEntries(Object.entries(item).map(([method, op]) =>
        [method, op && typeof op === 'object' && 'operationId' in op
          ? { ...op, operationId: `${prefix}_${String(op.operationId)}`, ...(security && !('security' in op) ? { security } : {}) }
          : op]))
    }
    const c = (d.components ?? {}) as Record<string, Json | undefined>
    Object.assign(securitySchemes, c.securitySchemes)
    Object.assign(responses, c.responses)
    Object.assign(schemas, c.schemas)
    tags.push(...(d.tags as unknown[] ?? []))
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'userdouble: Zendesk, User.com and the control plane',
      description: 'Every operation of `/__mock/openapi/zendesk.json`, `/__mock/openapi/usercom.json` and `/__mock/openapi/control.json` in one document, each operation with the security of its own document. Pick a single document in the top bar for its own servers.',
      version: '1'
    },
    servers: [{ url: '/', description: 'this userdouble' }],
    tags,
    paths,
    components: {
      securitySchemes,
      ...(Object.keys(responses).length ? { responses } : {}),
      ...(Object.keys(schemas).length ? { schemas } : {})
    }
  }
}

const DocumentSchema = Type.Object({ openapi: Type.String() }, { additionalProperties: true, description: 'An OpenAPI 3.1 document.' })

/** Headers of the docs app's answers worth passing on; length and framing are the outer reply's. */
const PASSED_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'location', 'content-security-policy', 'accept-ranges', 'content-range']

/**
 * `GET /__mock/openapi/{zendesk,usercom,control}.json` (the committed YAML as JSON) and the
 * Swagger UI page at `/__mock/docs`, its assets from `@fastify/swagger-ui`'s package.
 * Both sit behind the control plane's ADMIN_TOKEN check when it is set: they describe the API,
 * and the committed files in `openapi/` are the public copy.
 */
export const openapiDocs: FastifyPluginAsyncTypebox<{ store?: DocumentStore }> = async (app, opts) => {
  const store = opts.store ?? documentStore(planesOf(app.services))
  for (const plane of store.planes) {
    app.get(`/openapi/${plane.name}.json`, {
      schema: { summary: `The ${plane.tag} OpenAPI 3.1 document (openapi/${plane.file} as JSON)`, response: { 200: DocumentSchema } }
    }, async (req, reply) => {
      const json = await store.json(plane.name, requestOrigin(req))
      // Serialized once; Fastify sends a string with a JSON content type as is.
      return reply.type('application/json; charset=utf-8').send(json as never)
    })
  }

  // Swagger UI and @fastify/static cost tens of milliseconds of module loading, which every
  // in-process start would pay for a page few runs open: they live in a small app of their
  // own, built on the first request for the page, which these two routes hand everything to.
  let docsApp: Promise<FastifyInstance> | undefined
  const docs = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    docsApp ??= buildDocsApp(`${app.prefix}/docs`, `${app.prefix}/openapi/`, store, app.kernel.accounts.get(DEFAULT_ACCOUNT_ID)?.credentials ?? {})
    const res = await (await docsApp).inject({
      method: req.method as 'GET',
      url: req.url,
      headers: pick(req.headers, ['if-none-match', 'if-modified-since', 'range', 'accept-encoding'])
    })
    reply.code(res.statusCode)
    for (const name of PASSED_HEADERS) {
      const value = res.headers[name]
      if (value !== undefined) reply.header(name, value)
    }
    return reply.send(res.rawPayload)
  }
  app.get('/docs', { schema: { hide: true } }, docs)
  app.get('/docs/*', { schema: { hide: true } }, docs)
  app.addHook('onClose', async () => { if (docsApp) await (await docsApp).close() })
}

const pick = (headers: FastifyRequest['headers'], names: string[]): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name of names) {
    const value = headers[name]
    if (typeof value === 'string') out[name] = value
  }
  return out
}

/** One Authorize entry the docs page fills in: Basic, or an API key's whole header value. */
export type Preauthorization = { scheme: string, username: string, password: string } | { scheme: string, value: string }

/**
 * What Authorize is pre-filled with: each security scheme that says how
 * (`x-default-credentials`), filled from the default account's credentials of its document's
 * vendor. These are test credentials, the same for every userdouble started with the defaults.
 */
export async function preauthorizations (store: DocumentStore, credentials: Record<string, Credentials>): Promise<Preauthorization[]> {
  const out: Preauthorization[] = []
  for (const plane of store.planes) {
    const own = credentials[plane.name] as Record<string, unknown> | undefined
    if (!own) continue
    const schemes = ((await store.doc(plane.name)).components as Json | undefined)?.securitySchemes as Record<string, Json> | undefined
    for (const [scheme, definition] of Object.entries(schemes ?? {})) {
      const how = definition[DEFAULT_CREDENTIALS] as Record<string, string> | undefined
      if (!how) continue
      let missing = false
      const fill = (template: string): string => template.replace(/\{(\w+)\}/g, (_m, field: string) => {
        const value = own[field]
        if (typeof value !== 'string') missing = true
        return String(value)
      })
      const entry = how.value !== undefined
        ? { scheme, value: fill(how.value) }
        : { scheme, username: fill(how.username ?? ''), password: fill(how.password ?? '') }
      if (!missing) out.push(entry)
    }
  }
  return out
}

/**
 * Swagger UI's `onComplete`, run each time a document is loaded (switching documents resets
 * Authorize). `@fastify/swagger-ui` writes a function option into its initializer as source
 * text, next to `const ui = SwaggerUIBundle(...)`: this one is that text, with the entries in it.
 */
function onComplete (entries: Preauthorization[]): () => void {
  const source = `function () {
      if (typeof ui === 'undefined') return
      for (const a of ${JSON.stringify(entries)}) {
        if ('value' in a) ui.preauthorizeApiKey(a.scheme, a.value)
        else ui.preauthorizeBasic(a.scheme, a.username, a.password)
      }
    }`
  return Object.assign(() => {}, { toString: () => source })
}

/** The top bar's logo: the name, no framework's. */
export const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="190" height="40" viewBox="0 0 190 40">' +
  '<rect x="1" y="4" width="32" height="32" rx="7" fill="#62a03f"/>' +
  '<text x="17" y="26" font-family="sans-serif" font-size="15" font-weight="700" fill="#fff" text-anchor="middle">ud</text>' +
  '<text x="42" y="28" font-family="sans-serif" font-size="22" font-weight="600" fill="#fff">userdouble</text></svg>'

const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#62a03f"/>' +
  '<text x="16" y="22" font-family="sans-serif" font-size="15" font-weight="700" fill="#fff" text-anchor="middle">ud</text></svg>'

async function buildDocsApp (prefix: string, documents: string, store: DocumentStore, credentials: Record<string, Credentials>): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('fastify'), import('@fastify/swagger'), import('@fastify/swagger-ui')
  ])
  const docsApp = Fastify({ logger: false })
  docsApp.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'not_found', message: `no control-plane route ${req.method} ${req.url.split('?')[0]}` } }))
  // Swagger UI reads `fastify.swagger()` for its own /json route: a static @fastify/swagger
  // holding the combined document, so the page's first entry shows every operation.
  await docsApp.register(swagger, { mode: 'static', specification: { document: await store.combined() as never } })
  await docsApp.register(swaggerUi, {
    routePrefix: prefix,
    uiConfig: {
      urls: [
        { url: `${prefix}/json`, name: 'userdouble (Zendesk + User.com + control plane)' },
        ...store.planes.map(p => ({ url: `${documents}${p.name}.json`, name: p.tag }))
      ],
      deepLinking: true,
      displayOperationId: true,
      onComplete: onComplete(await preauthorizations(store, credentials))
    },
    logo: { type: 'image/svg+xml', content: LOGO, href: prefix, target: '_self' },
    theme: {
      title: 'userdouble API docs',
      favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: FAVICON }]
    }
  })
  await docsApp.ready()
  return docsApp
}
