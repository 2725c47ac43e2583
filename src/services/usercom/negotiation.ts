import { errors } from './errors.js'
import { mediaTypeMatches, parseMediaType } from './parsers.js'
import type { ApiVersion } from './serializer.js'

/**
 * DRF's content negotiation (JSONRenderer only) and AcceptHeaderVersioning, which run before
 * authentication. The accepted media type becomes the response's Content-Type, as DRF's
 * JSONRenderer (no charset) does: `Accept: *\/*; version=2` gets `application/json;version=2`.
 *
 * @see https://github.com/encode/django-rest-framework/blob/master/rest_framework/negotiation.py
 */
export interface Negotiated {
  version: ApiVersion
  mediaType: string
  /** `; indent=N` in the accepted media type: DRF pretty-prints. */
  indent: number | null
}

const JSON_TYPE = parseMediaType('application/json')

function precedence (m: ReturnType<typeof parseMediaType>): number {
  if (m.main === '*') return 0
  if (m.sub === '*') return 1
  if (m.params.size === 0 || (m.params.size === 1 && m.params.has('q'))) return 2
  return 3
}

/**
 * `format` is DRF's URL_FORMAT_OVERRIDE query parameter: a format no renderer has is a 404
 * before anything else; `json` keeps the Accept header's say.
 */
export function negotiate (accept: string | undefined, format?: string): Negotiated {
  if (format !== undefined && format !== '' && format !== 'json') throw errors.notFound()
  const header = accept ?? '*/*'
  const tokens = header.split(',').map(t => t.trim())
  const parsed = tokens.map(t => ({ text: t, type: parseMediaType(t) }))
  let chosen: string | undefined
  for (const level of [3, 2, 1, 0]) {
    const match = parsed.find(p => precedence(p.type) === level && mediaTypeMatches(JSON_TYPE, p.type))
    if (!match) continue
    if (precedence(JSON_TYPE) > level) {
      chosen = ['application/json', ...[...match.type.params].filter(([k]) => k !== 'q').map(([k, v]) => `${k}=${v}`)].join(';')
    } else {
      chosen = match.text
    }
    break
  }
  // Not emulated: the browsable API; with JSON as the only renderer, text/html is unacceptable.
  if (chosen === undefined) throw errors.notAcceptable()
  const params = parseMediaType(chosen).params
  const versionText = params.get('version')
  let version: ApiVersion = 1
  if (versionText === '2') version = 2
  else if (versionText !== undefined && versionText !== '1') throw errors.invalidVersion()
  let indent: number | null = null
  const indentText = params.get('indent')
  if (indentText !== undefined && /^\s*[+-]?\d+\s*$/.test(indentText)) {
    const n = Math.max(Math.min(Number(indentText), 8), 0)
    indent = n === 0 ? null : n
  }
  return { version, mediaType: chosen, indent }
}
