import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { startUserDouble } from 'userdouble'

const run = promisify(execFile)

/** The documented address of a local userdouble, in the forms the pages use. */
const DOCUMENTED = /http:\/\/(?:127\.0\.0\.1|localhost):8080/g

/** Pages whose ```sh blocks hold copy-paste curl commands for a running userdouble, and how many each must have. */
const PAGES: Array<[string, number]> = [
  ['README.md', 5],
  ['docs/zendesk.md', 4],
  ['docs/usercom.md', 4],
  ['docs/control-plane.md', 2],
  ['docs/docker.md', 1]
]

/** The logical lines (backslash-newline joined) of every ```sh block of a Markdown page. */
function shLines (markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(m => m[1]!)
  return blocks.flatMap(b => b.replace(/\\\n/g, ' ').split('\n')).map(l => l.trim())
}

/**
 * The words of one POSIX shell command line: single quotes, double quotes (with `\"`, `\\`, `\$`)
 * and backslash escapes; stops at an unquoted `|`, `;`, `&` or a `#` that starts a word.
 */
function shellWords (line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  let i = 0
  const add = (s: string): void => { word = (word ?? '') + s }
  while (i < line.length) {
    const c = line[i]!
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word)
      word = undefined
      i++
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unterminated ' in: ${line}`)
      add(line.slice(i + 1, end))
      i = end + 1
    } else if (c === '"') {
      let s = ''
      i++
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) i++
        s += line[i]
        i++
      }
      if (i >= line.length) throw new Error(`unterminated " in: ${line}`)
      add(s)
      i++
    } else if (c === '\\') {
      add(line[i + 1] ?? '')
      i += 2
    } else if ('|;&'.includes(c) || (c === '#' && word === undefined)) {
      break
    } else {
      add(c)
      i++
    }
  }
  if (word !== undefined) words.push(word)
  return words
}

/** The curl commands of a page's ```sh blocks, as argument lists (without `curl`). */
function curlCommands (markdown: string): string[][] {
  return shLines(markdown).map(shellWords).filter(w => w[0] === 'curl').map(w => w.slice(1))
}

describe('shellWords', () => {
  it('reads quotes and escapes as sh does, and stops at a pipe or a comment', () => {
    expect(shellWords('curl -s -d \'{"a":"b c"}\' "x\\"y" a\\ b \'u?q=1&r=2\' | jq .count')).toEqual(['curl', '-s', '-d', '{"a":"b c"}', 'x"y', 'a b', 'u?q=1&r=2'])
    expect(shellWords('curl http://x/  # a comment')).toEqual(['curl', 'http://x/'])
  })
})

describe('the copy-paste curl examples', () => {
  for (const [page, atLeast] of PAGES) {
    it(`${page}: each runs as written against a userdouble with the default configuration and gets a 2xx`, async () => {
      const commands = curlCommands(readFileSync(new URL(`../${page}`, import.meta.url), 'utf8'))
      expect(commands.length).toBeGreaterThanOrEqual(atLeast)
      const ud = await startUserDouble()
      try {
        for (const args of commands) {
          // Every example must address the documented local userdouble, nothing else.
          expect(args.some(a => a.match(DOCUMENTED) !== null), args.join(' ')).toBe(true)
          const real = args.map(a => a.replace(DOCUMENTED, ud.url))
          const { stdout } = await run('curl', [...real, '-sS', '--max-time', '10', '-w', '\n%{http_code}'], { timeout: 15_000 })
          const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1))
          expect({ command: args.join(' '), status }).toEqual({ command: args.join(' '), status: expect.toSatisfy((s: number) => s >= 200 && s < 300) })
        }
      } finally {
        await ud.close()
      }
    })
  }
})
