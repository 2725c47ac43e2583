import { createRequire } from 'node:module'

/**
 * Fastify compiles every route's validators (Ajv) and serializers (fast-json-stringify) while it
 * gets ready: with some sixty routes and a schema for every status, that was most of the start-up
 * time. These factories wrap Fastify's own compilers so each schema is compiled the first time
 * its route needs it, once, and then reused: start-up pays nothing, and no request pays twice.
 */
const require = createRequire(import.meta.url)

/**
 * Compiled functions by schema object, for the whole process: every app that `buildApp` makes
 * registers the same schema objects with the same compiler options, so the second app (the next
 * test's fresh fixture) reuses what the first compiled. Only schemas compiled without shared
 * (`addSchema`) schemas are cached: those could differ between apps.
 */
const compiled = {
  validators: new WeakMap<object, Map<string, Validate>>(),
  serializers: new WeakMap<object, Map<string, (data: unknown) => string>>()
}

interface RouteSchemaArgs { schema?: unknown, httpPart?: string, httpStatus?: string }

function cached<F> (cache: WeakMap<object, Map<string, F>>, externalSchemas: unknown, args: unknown, compile: () => F): F {
  const { schema, httpPart = '', httpStatus = '' } = (args ?? {}) as RouteSchemaArgs
  const shareable = schema !== null && typeof schema === 'object' &&
    (externalSchemas === undefined || externalSchemas === null || Object.keys(externalSchemas).length === 0)
  if (!shareable) return compile()
  let byPart = cache.get(schema)
  if (!byPart) cache.set(schema, byPart = new Map())
  const key = `${httpPart}:${httpStatus}`
  let fn = byPart.get(key)
  if (!fn) byPart.set(key, fn = compile())
  return fn
}

type Compile<A, F> = (args: A) => F
type Factory<A, F> = (externalSchemas: unknown, options: unknown) => Compile<A, F>

interface Validate { (data: unknown): unknown, errors?: unknown }

export function lazyValidatorFactory (): Factory<unknown, Validate> {
  // Ajv itself is loaded on the first compile, too.
  let selector: Factory<unknown, Validate> | undefined
  const select: Factory<unknown, Validate> = (e, o) => (selector ??= (require('@fastify/ajv-compiler') as () => Factory<unknown, Validate>)())(e, o)
  return (externalSchemas, options) => {
    let compiler: Compile<unknown, Validate> | undefined
    return (args) => {
      let fn: Validate | undefined
      const lazy: Validate = (data) => {
        fn ??= cached(compiled.validators, externalSchemas, args, () => (compiler ??= select(externalSchemas, options))(args))
        const result = fn(data)
        lazy.errors = fn.errors
        return result
      }
      return lazy
    }
  }
}

export function lazySerializerFactory (): Factory<unknown, (data: unknown) => string> {
  let selector: Factory<unknown, (data: unknown) => string> | undefined
  const select: Factory<unknown, (data: unknown) => string> = (e, o) => (selector ??= (require('@fastify/fast-json-stringify-compiler') as () => Factory<unknown, (data: unknown) => string>)())(e, o)
  return (externalSchemas, options) => {
    let compiler: Compile<unknown, (data: unknown) => string> | undefined
    return (args) => {
      let fn: ((data: unknown) => string) | undefined
      return (data) => (fn ??= cached(compiled.serializers, externalSchemas, args, () => (compiler ??= select(externalSchemas, options))(args)))(data)
    }
  }
}
