import { readFile } from 'node:fs/promises'
import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { parse } from 'yaml'
import type { PlaneName } from '../../src/openapi/planes.js'
import { PLANES } from '../../src/registry.js'

/**
 * No drift between the documents and the server: every response the test suite receives from a
 * documented operation is checked against the committed `openapi/*.yaml` (status, declared
 * headers, media type, body). Validators are built once per worker, on first use.
 */

type Json = Record<string, unknown>
// ajv-formats is CommonJS with a default export that TypeScript's NodeNext view sees one level down.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void

interface Operation {
  plane: PlaneName
  path: string
  method: string
  regex: RegExp
  /** Literal characters in the template: the most specific match wins (`/users/me` over `/users/{id}`). */
  weight: number
  responses: Record<string, Json>
}

export interface Contract {
  operations: Operation[]
  find: (method: string, url: string) => Operation | undefined
  validator: (schema: Json) => ValidateFunction
}

export interface ObservedResponse {
  method: string
  url: string
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  payload: string
}

const DIR = new URL('../../openapi/', import.meta.url)
let loaded: Promise<Contract> | undefined

/** The committed documents, dereferenced, with a path matcher and an Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect). */
export function loadContract (): Promise<Contract> {
  loaded ??= build()
  return loaded
}

async function build (): Promise<Contract> {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  const compiled = new WeakMap<Json, ValidateFunction>()
  const operations: Operation[] = []
  for (const plane of PLANES) {
    const raw = parse(await readFile(new URL(plane.file, DIR), 'utf8')) as Json
    const doc = await SwaggerParser.dereference(raw as never) as unknown as { paths: Record<string, Json> }
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const suffix = item['x-json-suffix'] === true ? '(?:\\.json)?' : ''
      const pattern = path.split(/\{[^}]+\}/).map(escape).join('[^/]+')
      const regex = new RegExp(`^${pattern}${suffix}$`)
      const weight = path.replace(/\{[^}]+\}/g, '').length
      for (const [method, op] of Object.entries(item)) {
        if (method.startsWith('x-') || typeof op !== 'object' || op === null || !('responses' in op)) continue
        operations.push({ plane: plane.name, path, method, regex, weight, responses: op.responses as Record<string, Json> })
      }
    }
  }
  operations.sort((a, b) => b.weight - a.weight)
  return {
    operations,
    find: (method, url) => {
      const path = url.split('?')[0]!
      const m = method.toLowerCase()
      return operations.find(o => o.method === m && o.regex.test(path))
    },
    validator: (schema) => {
      let v = compiled.get(schema)
      if (!v) compiled.set(schema, v = ajv.compile(schema))
      return v
    }
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** What is wrong with a response, measured against the documents; empty when it conforms or is undocumented. */
export async function contractProblems (res: ObservedResponse): Promise<string[]> {
  const contract = await loadContract()
  const op = contract.find(res.method, res.url)
  if (!op) return []
  const where = `${res.method} ${res.url} → ${res.statusCode} (documented as ${op.method.toUpperCase()} ${op.path} in openapi/${op.plane}.yaml)`
  const status = String(res.statusCode)
  const response = op.responses[status] ?? op.responses[`${status[0]}XX`] ?? op.responses.default
  if (!response) return [`${where}: status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`]
  const problems: string[] = []

  const headers = (response.headers ?? {}) as Record<string, Json>
  for (const [name, header] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type') continue
    const value = res.headers[name.toLowerCase()]
    if (value === undefined) {
      if (header.required === true) problems.push(`header ${name} is documented as required and missing`)
      continue
    }
    const schema = header.schema as Json | undefined
    if (!schema) continue
    const type = schema.type
    const text = String(value)
    const typed = type === 'integer' || type === 'number' ? Number(text) : type === 'boolean' ? text === 'true' : text
    const v = contract.validator(schema)
    if (!v(typed)) problems.push(`header ${name}: ${JSON.stringify(text)} ${(v.errors ?? []).map(e => e.message).join('; ')}`)
  }

  const content = response.content as Record<string, Json> | undefined
  const isHead = res.method.toUpperCase() === 'HEAD'
  if (!content) {
    if (res.payload.length > 0 && !isHead) problems.push(`a body (${res.payload.slice(0, 80)}) where the document declares none`)
    return problems.map(p => `${where}: ${p}`)
  }
  const actualType = String(res.headers['content-type'] ?? '')
  const mediaType = Object.keys(content).find(declared => mediaTypeMatches(declared, actualType))
  if (!mediaType) {
    problems.push(`content-type ${JSON.stringify(actualType)} is not one of the documented ${Object.keys(content).join(', ')}`)
    return problems.map(p => `${where}: ${p}`)
  }
  const schema = content[mediaType]!.schema as Json | undefined
  if (schema && !isHead) {
    let body: unknown = res.payload
    if (/json/i.test(mediaType)) {
      try {
        body = JSON.parse(res.payload)
      } catch {
        problems.push(`the body is not JSON: ${res.payload.slice(0, 80)}`)
        return problems.map(p => `${where}: ${p}`)
      }
    }
    const v = contract.validator(schema)
    if (!v(body)) {
      const errors = (v.errors ?? []).slice(0, 5).map(e => `${e.instancePath || '(body)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
      problems.push(`the body does not match the schema: ${errors.join('; ')}; body: ${res.payload.slice(0, 300)}`)
    }
  }
  return problems.map(p => `${where}: ${p}`)
}

/**
 * A documented media type without parameters matches on type/subtype; one that names parameters
 * (e.g. `application/json; charset=utf-8`) pins them too, so a dropped charset is drift.
 */
export function mediaTypeMatches (declared: string, actual: string): boolean {
  const [dType, ...dParams] = declared.toLowerCase().split(';').map(s => s.trim())
  const [aType, ...aParams] = actual.toLowerCase().split(';').map(s => s.trim())
  if (!dType || !aType) return false
  const typeOk = dType === aType || dType === '*/*' || (dType.endsWith('/*') && aType.startsWith(dType.slice(0, -1)))
  return typeOk && dParams.every(p => aParams.includes(p))
}

export class ContractError extends Error {
  override name = 'ContractError'
}

/** Throws a ContractError listing every problem of a response. */
export async function assertContract (res: ObservedResponse): Promise<void> {
  const problems = await contractProblems(res)
  if (problems.length > 0) throw new ContractError(`the response breaks the OpenAPI documents:\n  ${problems.join('\n  ')}`)
}

const observed = (res: LightMyRequestResponse, method: string, url: string): ObservedResponse =>
  ({ method, url, statusCode: res.statusCode, headers: res.headers, payload: res.payload })

const WRAPPED = Symbol('contract')

/**
 * Makes `app.inject(options)` reject with a ContractError when a documented operation answers
 * something its document does not show. Responses shaped by fault rules (`/__mock/faults`) are
 * the test's own inventions and are not checked; neither are the chained and callback forms.
 */
export function withContract<T extends FastifyInstance> (app: T): T {
  const target = app as T & { [WRAPPED]?: true }
  if (target[WRAPPED]) return app
  const original = app.inject.bind(app) as (...args: unknown[]) => unknown
  const faults = (): number => (app as { kernel?: { faults?: { size: number } } }).kernel?.faults?.size ?? 0
  const inject = (...args: unknown[]): unknown => {
    if (args.length !== 1 || args[0] === undefined) return original(...args)
    const faultsBefore = faults()
    return (original(args[0]) as Promise<LightMyRequestResponse>).then(async res => {
      const req = res.raw.req as { method?: string, url?: string }
      const faulted = faultsBefore > 0 || faults() > 0
      const url = req.url ?? ''
      if (!(faulted && !url.startsWith('/__mock'))) await assertContract(observed(res, req.method ?? 'GET', url))
      return res
    })
  }
  Object.defineProperty(target, 'inject', { value: inject, configurable: true, writable: true })
  target[WRAPPED] = true
  return app
}
