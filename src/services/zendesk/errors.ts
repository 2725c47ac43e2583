/**
 * Zendesk's error answers, one class per vendor error code. Each carries its status, its headers
 * and its body exactly as the wire shows it (§3 of the spec); the module's error handler sends
 * them pre-serialized, so no response schema can drop or reorder a field.
 * @see https://developer.zendesk.com/api-reference/introduction/requests/
 */
export abstract class ZendeskError extends Error {
  abstract readonly statusCode: number
  /** `json` bodies are objects sent as `application/json; charset=utf-8`; `text` is text/plain. */
  readonly kind: 'json' | 'text' = 'json'
  readonly headers: Record<string, string | number> = {}
  abstract body (): unknown
}

/** 404 for any path (or method) Zendesk does not route. */
export class InvalidEndpoint extends ZendeskError {
  readonly statusCode = 404
  body () { return { error: 'InvalidEndpoint', description: 'Not found' } }
}

/** 404 for an id that names nothing. */
export class RecordNotFound extends ZendeskError {
  readonly statusCode = 404
  body () { return { error: 'RecordNotFound', description: 'Not found' } }
}

export interface ValidationProblem {
  description: string
  /** Absent in the 2013 and 2021 captures (email format), present later (DuplicateValue, ValueTooShort). */
  error?: string
}

/** 422 with `details` keyed by field, each an array of problems. */
export class RecordInvalid extends ZendeskError {
  readonly statusCode = 422
  readonly details: Record<string, ValidationProblem[]>
  constructor (details: Record<string, ValidationProblem[]>) {
    super('Record validation errors')
    this.details = details
  }

  body () { return { error: 'RecordInvalid', description: 'Record validation errors', details: this.details } }
}

/**
 * 400 from Zendesk's typed parameter filter (the `stronger_parameters` gem): the nested
 * `{"error": {"title", "message"}}` shape, naming the key, the rule and the controller action.
 */
export class InvalidAttribute extends ZendeskError {
  readonly statusCode = 400
  readonly key: string
  readonly rule: string
  readonly action: string
  constructor (key: string, rule: string, action: string) {
    super(`${key} ${rule}`)
    this.key = key
    this.rule = rule
    this.action = action
  }

  body () {
    return {
      error: {
        title: 'Invalid attribute',
        message: `You passed an invalid value for the ${this.key} attribute. Invalid parameter: ${this.key} ${this.rule} from api/v2/users/${this.action}`
      }
    }
  }
}

/** 400 for more than 100 users in one bulk call (recorded text). */
export class TooManyValues extends ZendeskError {
  readonly statusCode = 400
  body () { return { error: 'TooManyValues', description: 'Maximum 100 users may be created per call' } }
}

/** 400 for `show_many` with more than 100 values (the organizations/tickets wording). */
export class TooManyParameterValues extends ZendeskError {
  readonly statusCode = 400
  readonly parameter: string
  constructor (parameter: string) {
    super('TooManyValues')
    this.parameter = parameter
  }

  body () { return { error: 'TooManyValues', description: `Parameter ${this.parameter} cannot specify more than 100 values`, max_count: 100 } }
}

/** 429 when the account has its maximum of bulk jobs queued or running. */
export class TooManyJobs extends ZendeskError {
  readonly statusCode = 429
  readonly jobIds: string[]
  constructor (jobIds: string[], retryAfter: number) {
    super('TooManyJobs')
    this.jobIds = jobIds
    this.headers['retry-after'] = retryAfter
  }

  body () {
    return {
      error: 'TooManyJobs',
      description: 'Too many UserBulkUpdateJobV2 jobs are currently queued or running. Try again later.',
      current_job_ids: this.jobIds
    }
  }
}

/** 401 for Basic credentials (password or API token) that are missing, malformed or wrong. */
export class CouldNotAuthenticate extends ZendeskError {
  readonly statusCode = 401
  override readonly headers = { 'www-authenticate': 'Basic realm="Web Password"' }
  body () { return { error: "Couldn't authenticate you" } }
}

/** 401 for a Bearer token that names no account. */
export class InvalidToken extends ZendeskError {
  readonly statusCode = 401
  override readonly headers = { 'www-authenticate': 'Bearer realm="Web Password", error="invalid_token", error_description="The access token provided is expired, revoked, malformed or invalid for other reasons."' }
  body () { return { error: 'invalid_token', error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.' } }
}

/** 400 text/plain for a body the parser cannot read (text unknown; Rails' parse-error wording). */
export class MalformedBody extends ZendeskError {
  readonly statusCode = 400
  override readonly kind = 'text' as const
  body () { return 'Error occurred while parsing request parameters' }
}

/** 413 text/plain for a body over the size limit. */
export class BodyTooLarge extends ZendeskError {
  readonly statusCode = 413
  override readonly kind = 'text' as const
  body () { return 'Request Entity Too Large' }
}

/** 429 text/plain: the account's per-minute budget is spent. */
export class AccountRateLimited extends ZendeskError {
  readonly statusCode = 429
  override readonly kind = 'text' as const
  constructor (retryAfter: number) {
    super('Number of allowed API requests per minute exceeded')
    this.headers['retry-after'] = retryAfter
  }

  body () { return 'Number of allowed API requests per minute exceeded' }
}

/** 429 text/plain: the per-end-user (or per-second account) budget of create_or_update / PUT is spent. */
export class UserRateLimited extends ZendeskError {
  readonly statusCode = 429
  override readonly kind = 'text' as const
  readonly text: string
  constructor (profile: { email: string, id: string, externalId: string }, retryAfter: number, header: string) {
    super('You have exceeded the rate limit for updating a single unique user.')
    this.text = `You have exceeded the rate limit for updating a single unique user. user email: ${profile.email} id: ${profile.id} external_id: ${profile.externalId}`
    this.headers['retry-after'] = retryAfter
    this.headers['Zendesk-RateLimit-create-update-user'] = header
  }

  body () { return this.text }
}
