import type { ValidationProblem } from './errors.js'
import type { UserInput } from './users.input.js'

/**
 * Length limits of a user's strings, checked with the other 422s. Only the name's limit has
 * evidence: a requester name over 255 characters is refused with RecordInvalid
 * (alphagov/support#323, 2017). The others are chosen (the usual Rails/MySQL sizes: 255 for
 * string columns, 65,535 for text columns) and listed in docs/zendesk.md's fidelity table. The
 * wording is Rails' `too_long` message with Zendesk's "Label: " prefix and an error code in the
 * style of `ValueTooShort` [INF].
 */
export const LENGTH_LIMITS = {
  name: 255,
  alias: 255,
  external_id: 255,
  phone: 255,
  details: 65_535,
  notes: 65_535,
  signature: 65_535,
  tags: 255
} as const

/** Rails' humanized attribute names (`external_id` → "External"). */
const LABELS: Record<keyof typeof LENGTH_LIMITS, string> = {
  name: 'Name', alias: 'Alias', external_id: 'External', phone: 'Phone', details: 'Details', notes: 'Notes', signature: 'Signature', tags: 'Tags'
}

export const tooLong = (key: keyof typeof LENGTH_LIMITS): ValidationProblem =>
  ({ description: `${LABELS[key]}: is too long (maximum is ${LENGTH_LIMITS[key]} characters)`, error: 'ValueTooLong' })

/** Characters as Rails counts them (code points), not UTF-16 units. */
const length = (s: string): number => Array.from(s).length

const over = (s: string | null | undefined, max: number): boolean => typeof s === 'string' && s.length > max && length(s) > max

/** Adds a problem for every string over its limit but the name (checked with the name's other rule). */
export function checkLengths (input: UserInput, details: Record<string, ValidationProblem[]>): void {
  for (const key of ['alias', 'external_id', 'phone', 'details', 'notes', 'signature'] as const) {
    if (over(input[key], LENGTH_LIMITS[key])) (details[key] ??= []).push(tooLong(key))
  }
  if (input.tags?.some(t => over(t, LENGTH_LIMITS.tags))) (details.tags ??= []).push(tooLong('tags'))
}

export const nameTooLong = (name: string): boolean => over(name, LENGTH_LIMITS.name)
