// vitest globalSetup: one userdouble for the whole run, on a free port, in memory.
import type { TestProject } from 'vitest/node'
import { startUserDouble, type UserDouble } from 'userdouble'

let userdouble: UserDouble

export async function setup (project: TestProject) {
  userdouble = await startUserDouble()
  project.provide('userdouble', { url: userdouble.url, zendesk: userdouble.zendesk, usercom: userdouble.usercom })
}

export async function teardown () {
  await userdouble.close()
}

declare module 'vitest' {
  export interface ProvidedContext {
    userdouble: Pick<UserDouble, 'url' | 'zendesk' | 'usercom'>
  }
}
