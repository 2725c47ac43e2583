import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { DEFAULT_ACCOUNT_ID } from './kernel/accounts.js'
import { requestOrigin } from './kernel/origin.js'

/**
 * `GET /`: what this userdouble is, for whoever opens its URL: the version, each vendor's base
 * URL and the default account's credentials (test credentials, from configuration), and where
 * the docs page and the inspector are. HTML for a browser, JSON for `Accept: application/json`.
 * With ADMIN_TOKEN set the credentials are not shown: the control plane shows them to the token.
 */
export interface HomeDocument {
  name: 'userdouble'
  version: string
  vendors: Array<{ name: string, title: string, baseUrl: string, credentials: Record<string, string> | null }>
  /** Set when the credentials are left out, saying why and where they are. */
  credentialsHidden?: string
  docs: string
  inspector: string
  controlPlane: string
}

export const HIDDEN = 'ADMIN_TOKEN is set: GET /__mock/accounts/default with Authorization: Bearer <ADMIN_TOKEN> shows the credentials'

export function homeDocument (req: FastifyRequest): HomeDocument {
  const { kernel, services } = req.server
  const origin = requestOrigin(req)
  const hidden = kernel.config.ADMIN_TOKEN !== undefined
  const account = kernel.accounts.get(DEFAULT_ACCOUNT_ID)
  return {
    name: 'userdouble',
    version: kernel.version,
    vendors: services.map(s => ({
      name: s.name,
      title: s.title,
      baseUrl: origin + s.baseUrlPath,
      credentials: hidden ? null : (account?.credentials[s.name] as Record<string, string> | undefined) ?? null
    })),
    ...(hidden ? { credentialsHidden: HIDDEN } : {}),
    docs: `${origin}/__mock/docs`,
    inspector: `${origin}/__mock/ui`,
    controlPlane: `${origin}/__mock`
  }
}

const esc = (s: string): string => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

export function homeHtml (doc: HomeDocument): string {
  const vendors = doc.vendors.map(v => {
    const credentials = v.credentials
      ? Object.entries(v.credentials).map(([k, value]) => `<div><span class="k">${esc(k)}</span> <code>${esc(String(value))}</code></div>`).join('')
      : '<em>hidden</em>'
    return `<tr><th>${esc(v.title)}</th><td><code>${esc(v.baseUrl)}</code></td><td>${credentials}</td></tr>`
  }).join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>userdouble ${esc(doc.version)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222 }
h1 { font-size: 1.6rem; margin-bottom: 0 } h1 small { color: #777; font-weight: normal; font-size: 1rem }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 } th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid #ddd }
code { font: 13px ui-monospace, monospace; background: #f4f4f4; padding: 0 .25rem; word-break: break-all } .k { color: #777 }
</style>
</head>
<body>
<h1>userdouble <small>${esc(doc.version)}</small></h1>
<p>A local emulator of these vendors' user APIs. Point a client at a base URL with the default account's credentials${doc.credentialsHidden ? '' : ' (test credentials, from configuration)'}.</p>
<table>
<thead><tr><th>Vendor</th><th>Base URL</th><th>Default account</th></tr></thead>
<tbody>
${vendors}
</tbody>
</table>
${doc.credentialsHidden ? `<p><em>${esc(doc.credentialsHidden)}.</em></p>\n` : ''}<ul>
<li><a href="${esc(doc.docs)}">API docs</a>: every operation, with "Try it out"</li>
<li><a href="${esc(doc.inspector)}">Inspector</a>: accounts, users and the live request journal</li>
<li>Control plane: <code>${esc(doc.controlPlane)}</code></li>
</ul>
</body>
</html>
`
}

/** Registered at the root, before the vendors; every other method and path keeps the JSON 404. */
export const homePage: FastifyPluginAsync = async (app) => {
  app.get('/', async (req, reply) => {
    const doc = homeDocument(req)
    reply.header('vary', 'Accept').header('cache-control', 'no-store')
    const accept = req.headers.accept ?? ''
    if (accept.includes('application/json') && !accept.includes('text/html')) return reply.type('application/json; charset=utf-8').send(doc)
    return reply.type('text/html; charset=utf-8').send(homeHtml(doc))
  })
}

/**
 * What the CLI prints once it listens: the first line as always (`userdouble V listening on URL`),
 * then each vendor's base URL, the docs page and the inspector, one per line.
 */
export function startupBanner (address: string, version: string, services: ReadonlyArray<{ title: string, baseUrlPath: string }>): string {
  const rows: Array<[string, string]> = [
    ...services.map(s => [s.title, address + s.baseUrlPath] as [string, string]),
    ['API docs', `${address}/__mock/docs`],
    ['Inspector', `${address}/__mock/ui`]
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  return `userdouble ${version} listening on ${address}\n` + rows.map(([label, url]) => `  ${label.padEnd(width)}  ${url}\n`).join('')
}
