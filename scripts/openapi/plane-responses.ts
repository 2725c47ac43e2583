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

const none: PlaneResponses = { responses: [], components: {} }

export function planeResponses (plane: PlaneName): PlaneResponses {
  return plane === 'control' ? control : none
}
