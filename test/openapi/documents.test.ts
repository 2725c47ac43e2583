import { readFile } from 'node:fs/promises'
import SwaggerParser from '@apidevtools/swagger-parser'
import { beforeAll, describe, expect } from 'vitest'
import { parse } from 'yaml'
import { generateDocuments, renderYaml, type Documents } from '../../scripts/openapi/generate.js'
import { VENDOR_EXAMPLES } from '../../scripts/openapi/examples.js'
import { combine } from '../../src/openapi/index.js'
import { PLANES } from '../../src/registry.js'
import { postmanCollection, postmanEnvironment, seedCollection } from '../../scripts/openapi/postman.js'
import { makeApp, test } from '../helpers/app.js'
import { loadContract } from '../helpers/contract.js'

const committed = async (file: string): Promise<string> => readFile(new URL(`../../openapi/${file}`, import.meta.url), 'utf8')

describe('the committed documents', () => {
  let generated: Documents
  beforeAll(async () => { generated = await generateDocuments() }, 60_000)

  test.for(PLANES.map(p => [p.name, p.file] as const))('openapi/%s is what npm run openapi writes today (else run it)', async ([name, file]) => {
    expect(await committed(file)).toBe(renderYaml(generated[name]!))
  })

  test('the Postman collection, its environment and the seed collection are what npm run openapi writes', async () => {
    const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n'
    expect(await committed('userdouble.postman_collection.json')).toBe(json(postmanCollection()))
    expect(await committed('userdouble.postman_environment.json')).toBe(json(postmanEnvironment()))
    const seed = JSON.parse(await committed('zendesk-seed.postman_collection.json'))
    expect(await committed('zendesk-seed.postman_collection.json')).toBe(json(seedCollection(seed.item[0])))
    expect(postmanCollection().info).toMatchObject({ schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' })
  })

  test.for(PLANES.map(p => p.file))('openapi/%s is a valid OpenAPI 3.1 document (swagger-parser)', async (file) => {
    const doc = parse(await committed(file))
    expect(doc.openapi).toBe('3.1.0')
    await expect(SwaggerParser.validate(doc)).resolves.toBeTruthy()
  })

  test('the combined document of the docs page is valid too', async () => {
    const docs = await Promise.all(PLANES.map(async p => parse(await committed(p.file))))
    await expect(SwaggerParser.validate(combine(docs, PLANES) as never)).resolves.toBeTruthy()
  })

  test('every route of the app is in exactly one document, under its prefix', () => {
    const seen = new Map<string, string>()
    for (const plane of PLANES) {
      for (const path of Object.keys(generated[plane.name]!.paths as object)) {
        expect(path.startsWith(plane.prefix + '/') || path === plane.prefix, `${path} in ${plane.file}`).toBe(true)
        expect(seen.has(path), `${path} twice`).toBe(false)
        seen.set(path, plane.name)
      }
    }
    expect(seen.get('/api/v2/users/create_or_update')).toBe('zendesk')
    expect(seen.get('/api/public/users/update_or_create/')).toBe('usercom')
    expect(seen.get('/__mock/health')).toBe('control')
    // The `.json` twins are folded into their canonical path, and flagged.
    expect(seen.has('/api/v2/users/create_or_update.json')).toBe(false)
    expect((generated.zendesk.paths as Record<string, Record<string, unknown>>)['/api/v2/users/create_or_update']!['x-json-suffix']).toBe(true)
  })

  test('security schemes per document: Zendesk basic + bearer, User.com Token header, control bearer', () => {
    const schemes = (name: keyof Documents) => (generated[name]!.components as { securitySchemes: Record<string, Record<string, string>> }).securitySchemes
    expect(schemes('zendesk')).toMatchObject({ zendeskBasic: { type: 'http', scheme: 'basic' }, zendeskBearer: { type: 'http', scheme: 'bearer' } })
    expect(schemes('usercom')).toEqual({ usercomToken: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }) })
    expect(schemes('control')).toEqual({ adminToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }) })
  })

  test('the error answers are declared with their media types: Zendesk\'s text/plain 429 and 422 RecordInvalid, DRF\'s 400', async () => {
    const contract = await loadContract()
    const op = (method: string, path: string) => contract.operations.find(o => o.method === method && o.path === path)!
    const zdCreate = op('post', '/api/v2/users/create_or_update')
    expect(Object.keys(zdCreate.responses)).toEqual(expect.arrayContaining(['200', '201', '401', '422', '429']))
    expect(Object.keys(zdCreate.responses['429']!.content as object)).toContain('text/plain')
    const ucCreate = op('post', '/api/public/users/update_or_create/')
    expect(Object.keys(ucCreate.responses)).toEqual(expect.arrayContaining(['400', '401', '429']))
  })

  test('every vendor example the generator attached validates against its schema, and the key ones found a home', async () => {
    const contract = await loadContract()
    let attached = 0
    for (const op of contract.operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, { schema?: Record<string, unknown>, examples?: Record<string, { value: unknown }> }>)) {
          for (const [name, example] of Object.entries(media.examples ?? {})) {
            attached++
            const validate = contract.validator(media.schema ?? {})
            expect(validate(example.value), `${op.method} ${op.path} ${status} ${type} example ${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
          }
        }
      }
    }
    expect(attached).toBeGreaterThan(20)
    const yaml = await committed('zendesk.yaml')
    expect(yaml).toContain('You have exceeded the rate limit for updating a single unique user.')
    expect(yaml).toContain('grouparoo123')
    expect(await committed('usercom.yaml')).toContain('Ensure this field has no more than 40 characters.')
    expect(VENDOR_EXAMPLES.length).toBeGreaterThan(20)
  })
})

describe('served documents', () => {
  test.for(PLANES.map(p => [p.name, p.file] as const))('GET /__mock/openapi/%s.json is the committed YAML as JSON, its first server the serving origin', async ([name, file], { app }) => {
    const res = await app.inject({ method: 'GET', url: `/__mock/openapi/${name}.json`, headers: { host: '127.0.0.1:9999' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    const doc = parse(await committed(file))
    expect(doc.servers[0].url).toBe('http://127.0.0.1:8080')
    doc.servers[0].url = 'http://127.0.0.1:9999'
    expect(res.json()).toEqual(doc)
  })

  test('the docs page: Swagger UI from the npm package, listing the combined document first, then each one', async ({ app }) => {
    const page = await app.inject({ method: 'GET', url: '/__mock/docs' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    const scripts = [...page.body.matchAll(/src="([^"]+)"/g)].map(m => m[1]!)
    expect(scripts).toEqual(['/__mock/docs/static/swagger-ui-bundle.js', '/__mock/docs/static/swagger-ui-standalone-preset.js', '/__mock/docs/static/swagger-initializer.js'])
    expect(page.body).not.toMatch(/https?:\/\//)
    const bundle = await app.inject({ method: 'GET', url: '/__mock/docs/static/swagger-ui-bundle.js' })
    expect(bundle.statusCode).toBe(200)
    expect(bundle.headers['content-type']).toBe('application/javascript; charset=utf-8')
    expect(bundle.body.length).toBeGreaterThan(500_000)
    const init = await app.inject({ method: 'GET', url: '/__mock/docs/static/swagger-initializer.js' })
    const urls = init.body.indexOf('"urls"')
    expect(urls).toBeGreaterThan(-1)
    expect(init.body.indexOf('/__mock/docs/json', urls)).toBeLessThan(init.body.indexOf('/__mock/openapi/zendesk.json', urls))
    const combined = await app.inject({ method: 'GET', url: '/__mock/docs/json' })
    expect(combined.statusCode).toBe(200)
    const paths = Object.keys(combined.json().paths)
    expect(paths).toEqual(expect.arrayContaining(['/api/v2/users/create_or_update', '/api/public/users/update_or_create/', '/__mock/health']))
    expect(combined.json().servers).toEqual([{ url: '/', description: 'this userdouble' }])
  })

  test('an unknown docs path is the control plane\'s JSON 404, not Fastify\'s', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/__mock/docs/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no control-plane route GET /__mock/docs/nope' } })
  })

  test('with ADMIN_TOKEN set, the documents and the docs page need it like the rest of /__mock', async () => {
    const app = await makeApp({ config: { ADMIN_TOKEN: 'sesame' } })
    try {
      for (const url of ['/__mock/openapi/zendesk.json', '/__mock/docs']) {
        const denied = await app.inject({ method: 'GET', url })
        expect(denied.statusCode).toBe(401)
        expect(denied.headers['www-authenticate']).toBe('Bearer realm="userdouble control plane"')
        expect(denied.json()).toEqual({ error: { code: 'unauthorized', message: 'the control plane needs Authorization: Bearer <ADMIN_TOKEN>' } })
        const allowed = await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer sesame' } })
        expect(allowed.statusCode).toBe(200)
      }
    } finally {
      await app.close()
    }
  })
})
