import { createHash } from 'node:crypto'

/**
 * The routing rule of a sharded userdouble (docs/scaling.md): which of N upstream processes a
 * request goes to, from its credentials alone.
 *
 * The key is the `Authorization` header with its scheme lower-cased and surrounding blanks
 * trimmed (`Basic x`, `basic x` and ` BASIC x ` are one key; the credentials themselves are
 * compared byte for byte, as the vendors compare them). A request without credentials has the
 * empty key, so it always reaches the same process (the one answering its 401).
 *
 * The upstream is picked by rendezvous (highest-random-weight) hashing: each upstream scores
 * the first 8 bytes of SHA-256(`upstream name` NUL `key`) as an unsigned big-endian integer; the
 * highest score wins, ties to the lower index. Every process of the proxy computes the same answer
 * with no shared state, and adding or removing one upstream moves only the keys that it wins or
 * held (about 1/N of them), like nginx's `hash … consistent` (ketama) or Envoy's ring hash: those
 * use other hash functions, so the process they pick differs, but the property is the same.
 */
export function routeKey (authorization: string | undefined): string {
  if (authorization === undefined) return ''
  const value = authorization.trim()
  const space = value.indexOf(' ')
  if (space < 0) return value.toLowerCase()
  return `${value.slice(0, space).toLowerCase()} ${value.slice(space + 1).trim()}`
}

/** The index, in `upstreams`, of the process that serves `key` (see `routeKey`). */
export function pickUpstream (key: string, upstreams: readonly string[]): number {
  if (upstreams.length === 0) throw new Error('no upstreams')
  let best = 0
  let bestScore = -1n
  for (let i = 0; i < upstreams.length; i++) {
    const score = createHash('sha256').update(upstreams[i]!).update('\0').update(key).digest().readBigUInt64BE(0)
    if (score > bestScore) { best = i; bestScore = score }
  }
  return best
}
