import { ErrorSchema } from '../../src/control/schemas.js'
import type { Json, PlaneName } from '../../src/openapi/planes.js'

/**
 * Answers no route schema declares because a plane's hook or error handler gives them, for any
 * route it guards: the control plane's ADMIN_TOKEN check, its body parsing and validation. Each
 * is added to an operation only where the route did not declare that status itself.
 */
export interface PlaneResponse {
  status: string
  /** Its name under `components.responses`. */
  name: string
  applies: (method: string, path: string, operation: Json) => boolean
}

export interface PlaneResponses {
  responses: PlaneResponse[]
  components: Record<string, Json>
}

const json = (schema: unknown): Json => JSON.parse(JSON.stringify(schema)) as Json

const controlError = (): Json => {
  const schema = json(ErrorSchema)
  delete schema.$id
  return schema
}

const hasBody = (method: string): boolean => method === 'post' || method === 'put' || method === 'patch' || method === 'delete'

const control: PlaneResponses = {
  responses: [
    { status: '400', name: 'ControlInvalidRequest', applies: (method, _path, op) => hasBody(method) || Array.isArray(op.parameters) },
    { status: '401', name: 'ControlUnauthorized', applies: (_method, path) => path !== '/__mock/health' },
    { status: '413', name: 'ControlPayloadTooLarge', applies: hasBody },
    { status: '415', name: 'ControlUnsupportedMediaType', applies: hasBody }
  ],
  components: {
    ControlInvalidRequest: {
      description: 'The body is not JSON, or the body, query or path fails the schema (`code`: `invalid_request`).',
      content: { 'application/json': { schema: controlError(), example: { error: { code: 'invalid_request', message: 'body must NOT have additional properties' } } } }
    },
    ControlUnauthorized: {
      description: '`ADMIN_TOKEN` is set and the request does not carry it as `Authorization: Bearer <token>`.',
      headers: { 'WWW-Authenticate': { required: true, schema: { type: 'string', const: 'Bearer realm="userdouble control plane"' } } },
      content: { 'application/json': { schema: controlError(), example: { error: { code: 'unauthorized', message: 'the control plane needs Authorization: Bearer <ADMIN_TOKEN>' } } } }
    },
    ControlPayloadTooLarge: {
      description: 'The body is over the size limit (`code`: `payload_too_large`).',
      content: { 'application/json': { schema: controlError() } }
    },
    ControlUnsupportedMediaType: {
      description: 'The body is neither JSON nor text (`code`: `unsupported_media_type`).',
      content: { 'application/json': { schema: controlError() } }
    }
  }
}

/**
 * What the HTTP layer answers before any route runs (src/kernel/http-errors.ts, each service's
 * `clientError`): 400 for a request Node cannot parse (unknown method, NUL in a header,
 * Content-Length with Transfer-Encoding), 408 when the request does not arrive whole within
 * REQUEST_TIMEOUT_MS, 431 when the request line and headers pass 16 KiB. The connection closes after.
 */
const HTTP_LAYER = 'Answered below routing (userdouble\'s HTTP layer), after which the connection closes: '
const httpLayer = (prefix: string, statuses: Record<'400' | '408' | '431', Json>): PlaneResponses => ({
  responses: (['400', '408', '431'] as const).map(status => ({ status, name: `${prefix}HttpLayer${status}`, applies: () => true })),
  components: Object.fromEntries((['400', '408', '431'] as const).map(status => [`${prefix}HttpLayer${status}`, statuses[status]]))
})
const WHY = {
  400: 'the request cannot be parsed as HTTP (an unknown method, a NUL in a header, Content-Length with Transfer-Encoding).',
  408: 'the request did not arrive whole within REQUEST_TIMEOUT_MS.',
  431: 'the request line and headers exceed 16 KiB.'
}
const zendeskText = (status: 400 | 408 | 431, body: string): Json => ({
  description: HTTP_LAYER + WHY[status] + ' Rails never sees it: the front proxy\'s plain-text reason [INF].',
  headers: { 'X-Zendesk-API-Version': { schema: { type: 'string', const: 'v2' } } },
  content: { 'text/plain; charset=utf-8': { schema: { type: 'string' }, example: body } }
})
const drf = (status: 400 | 408 | 431, detail: string): Json => ({
  description: HTTP_LAYER + WHY[status] + ' Django never sees it: DRF\'s `{"detail": …}` shape [INF].',
  content: { 'application/json': { schema: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } }, example: { detail } } }
})
const ours = (status: 400 | 408 | 431, code: string): Json => ({
  description: HTTP_LAYER + WHY[status],
  content: { 'application/json': { schema: controlError(), example: { error: { code, message: '…' } } } }
})

const zendesk = httpLayer('Zendesk', { 400: zendeskText(400, 'Bad Request'), 408: zendeskText(408, 'Request Timeout'), 431: zendeskText(431, 'Request Header Fields Too Large') })
const usercom = httpLayer('Usercom', { 400: drf(400, 'Bad request.'), 408: drf(408, 'Request timeout.'), 431: drf(431, 'Request header fields too large.') })
const controlHttp = httpLayer('Control', { 400: ours(400, 'bad_request'), 408: ours(408, 'request_timeout'), 431: ours(431, 'header_fields_too_large') })
// The control plane's own 400 (validation) stays; 408 and 431 come from the HTTP layer.
const controlAll: PlaneResponses = {
  responses: [...control.responses, ...controlHttp.responses.filter(r => r.status !== '400')],
  components: { ...control.components, ...Object.fromEntries(Object.entries(controlHttp.components).filter(([k]) => !k.endsWith('400'))) }
}

export function planeResponses (plane: PlaneName): PlaneResponses {
  return plane === 'control' ? controlAll : plane === 'zendesk' ? zendesk : plane === 'usercom' ? usercom : { responses: [], components: {} }
}
