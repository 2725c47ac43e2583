import { createReadStream, statSync } from 'node:fs'
import cliProgress from 'cli-progress'
import type { FastifyInstance } from 'fastify'
import { loadState } from './control/actions.js'
import { DEFAULT_ACCOUNT_ID } from './kernel/accounts.js'

/**
 * `userdouble --seed FILE`: loads a state (the shape `GET /__mock/accounts/default/state` dumps)
 * into the default account at startup. On a terminal, a file over 1 MiB shows a progress bar
 * while it is read.
 */
export async function loadSeedFile (app: FastifyInstance, path: string, progress: boolean): Promise<Record<string, Record<string, number>>> {
  const size = statSync(path).size
  const bar = progress && size > 1024 * 1024
    ? new cliProgress.SingleBar({ format: 'seeding {phase} [{bar}] {percentage}% | {value}/{total} KiB', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined
  bar?.start(Math.ceil(size / 1024), 0, { phase: 'reading' })
  const chunks: Buffer[] = []
  let read = 0
  for await (const chunk of createReadStream(path)) {
    chunks.push(chunk as Buffer)
    read += (chunk as Buffer).length
    bar?.update(Math.floor(read / 1024))
  }
  bar?.update(Math.ceil(size / 1024), { phase: 'loading' })
  let state: unknown
  try {
    state = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch (err) {
    bar?.stop()
    throw new Error(`seed file ${path} is not JSON: ${(err as Error).message}`)
  }
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    bar?.stop()
    throw new Error(`seed file ${path} must hold an object like {"zendesk": {"users": [...]}, "usercom": {"users": [...]}}`)
  }
  try {
    return loadState({ kernel: app.kernel, services: app.services }, DEFAULT_ACCOUNT_ID, state as Record<string, unknown>)
  } finally {
    bar?.stop()
  }
}
