/**
 * `npm run openapi`: writes openapi/{zendesk,usercom,control}.yaml from the route schemas.
 * `npm run openapi -- --check` writes nothing and exits 1 when a committed file is stale.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { generateDocuments, renderYaml } from '../src/openapi/generate.js'
import { PLANES } from '../src/openapi/planes.js'

const dir = new URL('../openapi/', import.meta.url)
const check = process.argv.includes('--check')
const docs = await generateDocuments()
let stale = 0
await mkdir(dir, { recursive: true })
for (const plane of PLANES) {
  const file = new URL(plane.file, dir)
  const text = renderYaml(docs[plane.name])
  const current = await readFile(file, 'utf8').catch(() => '')
  if (current === text) continue
  stale++
  if (check) console.error(`openapi/${plane.file} is stale: run npm run openapi`)
  else {
    await writeFile(file, text)
    console.log(`wrote openapi/${plane.file}`)
  }
}
if (check && stale > 0) process.exit(1)
if (!check && stale === 0) console.log('openapi/ is up to date')
