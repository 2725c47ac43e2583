// newman ships no types and @types/newman is not installed: the part of its API the tests use.
declare module 'newman' {
  interface Execution {
    item: { name: string }
    response?: { code: number, stream?: Buffer, headers: { get: (name: string) => string | undefined } }
    assertions?: Array<{ assertion: string, error?: { message: string } }>
  }
  interface Summary {
    run: {
      stats: { requests: { total: number, failed: number }, assertions: { total: number, failed: number } }
      failures: Array<{ error: { name: string, message: string, test?: string }, source?: { name?: string } }>
      executions: Execution[]
    }
  }
  interface RunOptions {
    collection: string | object
    environment?: string | object
    envVar?: Array<{ key: string, value: string }>
    reporters?: string[]
    timeoutRequest?: number
  }
  export function run (options: RunOptions, callback: (err: Error | null, summary: Summary) => void): void
}
