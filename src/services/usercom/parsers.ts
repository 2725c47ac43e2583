import type { FastifyRequest } from 'fastify'
import { errors } from './errors.js'
import { PyJsonError, pyJsonLoads, type PyValue } from './pyjson.js'

/**
 * DRF's default parsers (JSONParser, FormParser, MultiPartParser), chosen by Content-Type alone
 * and run lazily: like `request.data`, the body is read only when a view needs it, so auth,
 * throttling and 404s answer first whatever the body holds.
 *
 * @see https://github.com/encode/django-rest-framework/blob/master/rest_framework/request.py (`_parse`)
 */

/** A file part of a multipart body; DRF puts files in `request.data` beside the fields. */
export class UploadedFile {
  readonly filename: string
  constructor (filename: string) { this.filename = filename }
}

export type FormValue = string | UploadedFile
/** Django's QueryDict: every key keeps all its values, `dict[key]` reads the last. */
export type QueryDict = Map<string, FormValue[]>

export type RequestData =
  | { kind: 'json', value: PyValue }
  | { kind: 'form', dict: QueryDict }

interface MediaType { main: string, sub: string, params: Map<string, string> }

/** Django's `parse_header_parameters` as DRF's `_MediaType` uses it. */
export function parseMediaType (text: string): MediaType {
  const [full = '', ...rest] = text.split(';')
  const [main = '', sub = ''] = full.trim().toLowerCase().split('/')
  const params = new Map<string, string>()
  for (const p of rest) {
    const i = p.indexOf('=')
    if (i < 0) continue
    let value = p.slice(i + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    params.set(p.slice(0, i).trim().toLowerCase(), value)
  }
  return { main: main.trim(), sub: sub.trim(), params }
}

/** DRF's `media_type_matches(lhs, rhs)`: wildcards on either side, lhs's params must be in rhs. */
export function mediaTypeMatches (lhs: MediaType, rhs: MediaType): boolean {
  for (const [k, v] of lhs.params) if (k !== 'q' && rhs.params.get(k) !== v) return false
  if (lhs.sub !== '*' && rhs.sub !== '*' && rhs.sub !== lhs.sub) return false
  if (lhs.main !== '*' && rhs.main !== '*' && rhs.main !== lhs.main) return false
  return true
}

const PARSERS = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'] as const
const PARSER_TYPES = PARSERS.map(p => parseMediaType(p))

/** `request.data`: parses the body the way DRF would, or throws DRF's 400/415. */
export async function readRequestData (req: FastifyRequest): Promise<RequestData> {
  const contentType = req.headers['content-type'] ?? ''
  const media = parseMediaType(contentType)
  const body = req.body as Buffer | undefined
  const isMultipart = req.isMultipart()
  const empty = !isMultipart && (body === undefined || body === null || body.length === 0)
  if (empty) {
    const form = contentType !== '' && (mediaTypeMatches(PARSER_TYPES[1]!, media) || mediaTypeMatches(PARSER_TYPES[2]!, media))
    return form ? { kind: 'form', dict: new Map() } : { kind: 'json', value: new Map() }
  }
  const index = contentType === '' ? -1 : PARSER_TYPES.findIndex(p => mediaTypeMatches(p, media))
  if (index === 0) return { kind: 'json', value: parseJson(body!, media.params.get('charset')) }
  if (index === 1) return { kind: 'form', dict: parseForm(body!) }
  if (index === 2) return { kind: 'form', dict: await parseMultipart(req) }
  throw errors.unsupportedMediaType(contentType)
}

function parseJson (body: Buffer, charset: string | undefined): PyValue {
  let text: string
  const cs = (charset ?? 'utf-8').toLowerCase().replace(/_/g, '-')
  // Not emulated: charsets other than UTF-8 and Latin-1 are read as UTF-8.
  if (cs === 'latin-1' || cs === 'latin1' || cs === 'iso-8859-1') {
    text = body.toString('latin1')
  } else {
    const bad = utf8Error(body)
    if (bad) throw errors.parseError(`JSON parse error - 'utf-8' codec can't decode byte 0x${bad.byte.toString(16).padStart(2, '0')} in position ${bad.pos}: ${bad.reason}`)
    // codecs' StreamReader keeps an incomplete trailing sequence for a read that never comes.
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body.subarray(0, completeLength(body)))
  }
  try {
    return pyJsonLoads(text)
  } catch (err) {
    if (err instanceof PyJsonError) throw errors.parseError(`JSON parse error - ${err.message}`)
    throw err
  }
}

/** Python's strict UTF-8 decoder: the first bad byte and CPython's reason, ignoring a truncated tail. */
export function utf8Error (b: Buffer): { pos: number, byte: number, reason: string } | undefined {
  let i = 0
  while (i < b.length) {
    const c = b[i]!
    if (c < 0x80) { i++; continue }
    let need: number
    let lo = 0x80
    let hi = 0xbf
    if (c >= 0xc2 && c <= 0xdf) need = 1
    else if (c >= 0xe0 && c <= 0xef) { need = 2; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f } else if (c >= 0xf0 && c <= 0xf4) { need = 3; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f } else return { pos: i, byte: c, reason: 'invalid start byte' }
    for (let k = 1; k <= need; k++) {
      if (i + k >= b.length) return undefined
      const d = b[i + k]!
      const ok = k === 1 ? d >= lo && d <= hi : d >= 0x80 && d <= 0xbf
      if (!ok) return { pos: i, byte: c, reason: 'invalid continuation byte' }
    }
    i += need + 1
  }
  return undefined
}

function completeLength (b: Buffer): number {
  for (let back = 1; back <= 3 && back <= b.length; back++) {
    const c = b[b.length - back]!
    if (c >= 0xc0) {
      const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2
      return len > back ? b.length - back : b.length
    }
    if (c < 0x80) return b.length
  }
  return b.length
}

/** Django's QueryDict: `&`-separated, `+` is a space, bad escapes kept, UTF-8 else Latin-1. */
export function parseForm (body: Buffer | string): QueryDict {
  let text: string
  if (typeof body === 'string') {
    text = body
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body)
    } catch {
      text = body.toString('latin1')
    }
  }
  const dict: QueryDict = new Map()
  for (const pair of text.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const name = unquote(eq < 0 ? pair : pair.slice(0, eq))
    const value = eq < 0 ? '' : unquote(pair.slice(eq + 1))
    const list = dict.get(name)
    if (list) list.push(value)
    else dict.set(name, [value])
  }
  return dict
}

function unquote (s: string): string {
  s = s.replace(/\+/g, ' ')
  if (!s.includes('%')) return s
  const bytes: number[] = []
  const out: string[] = []
  const flush = (): void => {
    if (bytes.length) out.push(new TextDecoder('utf-8').decode(Uint8Array.from(bytes)))
    bytes.length = 0
  }
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!
    if (ch === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      flush()
      out.push(ch)
    }
  }
  flush()
  return out.join('')
}

async function parseMultipart (req: FastifyRequest): Promise<QueryDict> {
  const dict: QueryDict = new Map()
  const add = (k: string, v: FormValue): void => {
    const list = dict.get(k)
    if (list) list.push(v)
    else dict.set(k, [v])
  }
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        await part.toBuffer()
        add(part.fieldname, new UploadedFile(part.filename))
      } else {
        add(part.fieldname, String(part.value))
      }
    }
  } catch (err) {
    const message = (err as Error).message
    // Django's MultiPartParser words a missing boundary its own way.
    const text = /boundary/i.test(message) ? 'Invalid boundary in multipart: None' : message
    throw errors.parseError(`Multipart form parse error - ${text}`)
  }
  return dict
}
