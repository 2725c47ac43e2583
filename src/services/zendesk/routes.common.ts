import { Type } from '@sinclair/typebox'
import { InvalidAttribute, InvalidEndpoint } from './errors.js'
import { InvalidEndpointSchema, RecordNotFoundSchema } from './users.schemas.js'

/** What the user field and identity routes share (issue 13 points 4 and 5). */

/** Routes answer with and without the `.json` format suffix (§1.1). */
export const withJson = (path: string): string[] => [path, `${path}.json`]

const ID = /^(-?\d+)(?:\.json)?$/
const ONE_SEGMENT = /^[^.]+(?:\.json)?$/

/** The 400 of Zendesk's parameter filter, naming the controller the route belongs to. */
export class ControllerInvalidAttribute extends InvalidAttribute {
  readonly controller: string
  constructor (key: string, rule: string, controller: string, action: string) {
    super(key, rule, action)
    this.controller = controller
  }

  override body () {
    return {
      error: {
        title: 'Invalid attribute',
        message: `You passed an invalid value for the ${this.key} attribute. Invalid parameter: ${this.key} ${this.rule} from api/v2/${this.controller}/${this.action}`
      }
    }
  }
}

/**
 * A path id (the last segment may carry `.json`): an integer, else the 400 naming the action;
 * a doubled or foreign suffix is not routed at all (404 InvalidEndpoint).
 */
export function pathId (raw: string, name: string, controller: string, action: string): number {
  const m = ID.exec(raw)
  if (m) return Number(m[1])
  if (!ONE_SEGMENT.test(raw)) throw new InvalidEndpoint()
  throw new ControllerInvalidAttribute(name, 'must be an integer', controller, action)
}

export const NotFoundSchema = Type.Union([RecordNotFoundSchema, InvalidEndpointSchema], { description: 'RecordNotFound for an unknown id; InvalidEndpoint for a path Zendesk does not route.' })
export const NoContentSchema = Type.Null({ description: 'No content.' })
