import { readFile } from 'node:fs/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { packagePath } from '../../kernel/paths.js'

/**
 * `GET /__mock/ui`: the web inspector, plain ES modules from the package's `ui/` folder (no CDN,
 * no build step). The page itself holds no data, so it is served without ADMIN_TOKEN; every call
 * it makes goes to the documented `/__mock` API with the token the user types in.
 */
const DIR = packagePath('ui/')
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' }
export const UI_FILES = ['index.html', 'app.js', 'api.js', 'dom.js', 'style.css']
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export const inspectorUi: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new Map<string, Promise<Buffer>>()
  // The page learns whether to ask for the token before its first call (a 401 would be a console error).
  const tokenState = app.kernel.config.ADMIN_TOKEN !== undefined ? 'required' : 'none'
  const file = (name: string): Promise<Buffer> => {
    let p = cache.get(name)
    if (!p) {
      p = readFile(new URL(name, DIR)).then(b => name === 'index.html' ? Buffer.from(b.toString('utf8').replace('ADMIN_TOKEN_STATE', tokenState)) : b)
      p.catch(() => cache.delete(name))
      cache.set(name, p)
    }
    return p
  }
  const send = async (name: string, reply: import('fastify').FastifyReply): Promise<unknown> => {
    const body = await file(name)
    return reply.header('content-type', TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream')
      .header('cache-control', 'no-cache').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer').send(body)
  }
  app.get('/ui', { schema: { hide: true } }, async (_req, reply) => send('index.html', reply))
  app.get('/ui/:file', { schema: { hide: true, params: Type.Object({ file: Type.String() }) } }, async (req, reply) => {
    const name = req.params.file === '' ? 'index.html' : req.params.file
    if (!UI_FILES.includes(name)) return reply.code(404).send({ error: { code: 'not_found', message: `no inspector file ${name}` } })
    return send(name, reply)
  })
}
