/**
 * `npm run openapi`: writes openapi/{zendesk,usercom,control}.yaml from the route schemas, and
 * the Postman collections and environment beside them.
 * `npm run openapi -- --check` writes nothing and exits 1 when a committed file is stale.
 * `npm run openapi -- --seed <page>` takes the Zendesk seed item from a seed page (the
 * "Postman Collection Item JSON" of Zendesk's collection); otherwise the committed one is kept.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { generateDocuments, renderYaml } from './openapi/generate.js'
import { PLANES } from '../src/registry.js'
import { postmanCollection, postmanEnvironment, seedCollection, seedItemFrom } from './openapi/postman.js'

const dir = new URL('../openapi/', import.meta.url)
const args = process.argv.slice(2)
const check = args.includes('--check')
const seedPage = args.includes('--seed') ? args[args.indexOf('--seed') + 1] : undefined
const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n'

const SEED = 'zendesk-seed.postman_collection.json'
const seedItem = seedPage
  ? seedItemFrom(await readFile(seedPage, 'utf8'))
  : (JSON.parse(await readFile(new URL(SEED, dir), 'utf8')) as { item: [Record<string, unknown>] }).item[0]

const docs = await generateDocuments()
const files: Array<[string, string]> = [
  ...PLANES.map(p => [p.file, renderYaml(docs[p.name]!)] as [string, string]),
  ['userdouble.postman_collection.json', json(postmanCollection())],
  ['userdouble.postman_environment.json', json(postmanEnvironment())],
  [SEED, json(seedCollection(seedItem))]
]

let stale = 0
await mkdir(dir, { recursive: true })
for (const [name, text] of files) {
  const file = new URL(name, dir)
  const current = await readFile(file, 'utf8').catch(() => '')
  if (current === text) continue
  stale++
  if (check) console.error(`openapi/${name} is stale: run npm run openapi`)
  else {
    await writeFile(file, text)
    console.log(`wrote openapi/${name}`)
  }
}
if (check && stale > 0) process.exit(1)
if (!check && stale === 0) console.log('openapi/ is up to date')
