/**
 * CPython's `json` module as DRF's JSONParser runs it: the same grammar, the same error messages
 * at the same positions (`Expecting value: line 1 column 1 (char 0)`), and Python's value types,
 * because DRF's field coercions depend on them (`5.0` is a float whose `str()` is `'5.0'`, `1e20`
 * is `'1e+20'`). Messages follow the C scanner of Python 3.8 to 3.12; 3.13 reworded trailing
 * commas, and which Python User.com runs is unknown.
 *
 * @see https://github.com/python/cpython/blob/3.12/Modules/_json.c
 */

/** A Python float, kept apart from ints because `str(5.0)` is `'5.0'` and `str(5)` is `'5'`. */
export class PyFloat {
  readonly value: number
  constructor (value: number) { this.value = value }
}

/** A value as Python's json module builds it: dicts keep insertion order, whatever the keys. */
export type PyValue = null | boolean | number | bigint | PyFloat | string | PyValue[] | PyDict
export type PyDict = Map<string, PyValue>

/** `json.JSONDecodeError` and friends: `message` is what `str(exc)` gives, as DRF prints it. */
export class PyJsonError extends Error {}

/** The C decoder recurses on the C stack; a RecursionError is not a ValueError, so DRF lets it through as a 500. */
export class PyRecursionError extends Error {}

const MAX_DEPTH = 990
const MAX_INT_DIGITS = 4300

const WS = new Set([' ', '\t', '\n', '\r'])

/** Python's `str.count`-based position: code points, not UTF-16 units. */
function position (s: string, pos: number): string {
  const before = s.slice(0, pos)
  const char = [...before].length
  const lineno = (before.match(/\n/g)?.length ?? 0) + 1
  const lastNl = before.lastIndexOf('\n')
  const colno = lastNl === -1 ? char + 1 : [...before.slice(lastNl + 1)].length + 1
  return `line ${lineno} column ${colno} (char ${char})`
}

class StopIteration {
  readonly idx: number
  constructor (idx: number) { this.idx = idx }
}

/**
 * `json.loads(text)` with DRF's `parse_constant=strict_constant`: NaN and Infinity are refused.
 * Throws PyJsonError with CPython's message.
 */
export function pyJsonLoads (s: string): PyValue {
  if (s.startsWith('\ufeff')) throw new PyJsonError(`Unexpected UTF-8 BOM (decode using utf-8-sig): ${position(s, 0)}`)
  const p = new Parser(s)
  let idx = p.skip(0)
  let value: PyValue
  try {
    [value, idx] = p.scanOnce(idx, 0)
  } catch (err) {
    if (err instanceof StopIteration) throw new PyJsonError(`Expecting value: ${position(s, err.idx)}`)
    throw err
  }
  idx = p.skip(idx)
  if (idx !== s.length) throw new PyJsonError(`Extra data: ${position(s, idx)}`)
  return value
}

class Parser {
  private readonly s: string
  constructor (s: string) { this.s = s }

  skip (idx: number): number {
    while (idx < this.s.length && WS.has(this.s[idx]!)) idx++
    return idx
  }

  fail (message: string, idx: number): never {
    throw new PyJsonError(`${message}: ${position(this.s, idx)}`)
  }

  scanOnce (idx: number, depth: number): [PyValue, number] {
    const s = this.s
    if (idx >= s.length) throw new StopIteration(idx)
    const c = s[idx]
    switch (c) {
      case '"': return this.scanString(idx + 1)
      case '{': return this.parseObject(idx + 1, depth + 1)
      case '[': return this.parseArray(idx + 1, depth + 1)
      case 'n': if (s.startsWith('null', idx)) return [null, idx + 4]; break
      case 't': if (s.startsWith('true', idx)) return [true, idx + 4]; break
      case 'f': if (s.startsWith('false', idx)) return [false, idx + 5]; break
      case 'N': if (s.startsWith('NaN', idx)) strictConstant('NaN'); break
      case 'I': if (s.startsWith('Infinity', idx)) strictConstant('Infinity'); break
      case '-': if (s.startsWith('-Infinity', idx)) strictConstant('-Infinity'); break
    }
    return this.matchNumber(idx)
  }

  private matchNumber (start: number): [PyValue, number] {
    const s = this.s
    const end = s.length - 1
    let idx = start
    if (s[idx] === '-') {
      idx++
      if (idx > end) throw new StopIteration(start)
    }
    const first = s[idx]!
    if (first >= '1' && first <= '9') {
      idx++
      while (idx <= end && isDigit(s[idx])) idx++
    } else if (first === '0') {
      idx++
    } else {
      throw new StopIteration(start)
    }
    let isFloat = false
    if (idx < end && s[idx] === '.' && isDigit(s[idx + 1])) {
      isFloat = true
      idx += 2
      while (idx <= end && isDigit(s[idx])) idx++
    }
    if (idx < end && (s[idx] === 'e' || s[idx] === 'E')) {
      const eStart = idx
      idx++
      if (idx < end && (s[idx] === '-' || s[idx] === '+')) idx++
      while (idx <= end && isDigit(s[idx])) idx++
      if (isDigit(s[idx - 1])) isFloat = true
      else idx = eStart
    }
    const text = s.slice(start, idx)
    if (isFloat) {
      const value = Number(text)
      // Python reads 1e400 as inf, which DRF's strict renderer cannot write back (a 500 on every
      // later read): refused here, in the words DRF uses for the NaN/Infinity constants.
      if (!Number.isFinite(value)) strictConstant(text)
      return [new PyFloat(value), idx]
    }
    const digits = text.replace('-', '').length
    if (digits > MAX_INT_DIGITS) {
      throw new PyJsonError(`Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`)
    }
    const n = Number(text)
    return [Number.isSafeInteger(n) ? n : BigInt(text), idx]
  }

  private scanString (end: number): [string, number] {
    const s = this.s
    const len = s.length
    const begin = end - 1
    let out = ''
    for (;;) {
      let next = end
      let c = ''
      for (; next < len; next++) {
        c = s[next]!
        if (c === '"' || c === '\\') break
        if (c.charCodeAt(0) <= 0x1f) this.fail('Invalid control character at', next)
      }
      if (!(c === '"' || c === '\\') || next >= len) this.fail('Unterminated string starting at', begin)
      out += s.slice(end, next)
      next++
      if (c === '"') return [out, next]
      if (next === len) this.fail('Unterminated string starting at', begin)
      c = s[next]!
      if (c !== 'u') {
        end = next + 1
        const mapped = ESCAPES[c]
        if (mapped === undefined) this.fail('Invalid \\escape', end - 2)
        out += mapped
        continue
      }
      next++
      end = next + 4
      if (end >= len) this.fail('Invalid \\uXXXX escape', next - 1)
      const hex = s.slice(next, end)
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', end - 5)
      let code = parseInt(hex, 16)
      // A high surrogate followed by an escaped low one is one character, as in CPython.
      if (code >= 0xd800 && code <= 0xdbff && s[end] === '\\' && s[end + 1] === 'u') {
        const low = s.slice(end + 2, end + 6)
        if (/^[0-9a-fA-F]{4}$/.test(low)) {
          const lc = parseInt(low, 16)
          if (lc >= 0xdc00 && lc <= 0xdfff) {
            code = 0x10000 + (((code - 0xd800) << 10) | (lc - 0xdc00))
            end += 6
          }
        }
      }
      out += String.fromCodePoint(code)
    }
  }

  private parseObject (idx: number, depth: number): [PyDict, number] {
    if (depth > MAX_DEPTH) throw new PyRecursionError('maximum recursion depth exceeded while decoding a JSON object from a unicode string')
    const s = this.s
    const out: PyDict = new Map()
    idx = this.skip(idx)
    if (idx < s.length && s[idx] === '}') return [out, idx + 1]
    for (;;) {
      if (idx >= s.length || s[idx] !== '"') this.fail('Expecting property name enclosed in double quotes', idx)
      let key: string
      [key, idx] = this.scanString(idx + 1)
      idx = this.skip(idx)
      if (idx >= s.length || s[idx] !== ':') this.fail("Expecting ':' delimiter", idx)
      idx = this.skip(idx + 1)
      let value: PyValue
      [value, idx] = this.scanOnce(idx, depth)
      out.set(key, value)
      idx = this.skip(idx)
      if (idx < s.length && s[idx] === '}') return [out, idx + 1]
      if (idx >= s.length || s[idx] !== ',') this.fail("Expecting ',' delimiter", idx)
      idx = this.skip(idx + 1)
    }
  }

  private parseArray (idx: number, depth: number): [PyValue[], number] {
    if (depth > MAX_DEPTH) throw new PyRecursionError('maximum recursion depth exceeded while decoding a JSON array from a unicode string')
    const s = this.s
    const out: PyValue[] = []
    idx = this.skip(idx)
    if (idx < s.length && s[idx] === ']') return [out, idx + 1]
    for (;;) {
      let value: PyValue
      [value, idx] = this.scanOnce(idx, depth)
      out.push(value)
      idx = this.skip(idx)
      if (idx < s.length && s[idx] === ']') return [out, idx + 1]
      if (idx >= s.length || s[idx] !== ',') this.fail("Expecting ',' delimiter", idx)
      idx = this.skip(idx + 1)
    }
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

function isDigit (c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9'
}

/** DRF's `strict_constant`. */
function strictConstant (name: string): never {
  throw new PyJsonError(`Out of range float values are not JSON compliant: '${name}'`)
}

/** `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr (x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (x === Infinity) return 'inf'
  if (x === -Infinity) return '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const sign = x < 0 ? '-' : ''
  const [mant, expText] = Math.abs(x).toExponential().split('e') as [string, string]
  const exp = Number(expText)
  const digits = mant.replace('.', '')
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0')
  const frac = digits.slice(exp + 1)
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`
}

/** `repr(str)` for the common cases: the quote choice and escapes Python makes. */
export function pyStrRepr (s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = ''
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (ch === quote) out += '\\' + ch
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0)) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\u' + cp.toString(16).padStart(4, '0')
    else out += ch
  }
  return quote + out + quote
}

/** `type(value).__name__` */
export function pyTypeName (v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number' || typeof v === 'bigint') return 'int'
  if (v instanceof PyFloat) return 'float'
  if (typeof v === 'string') return 'str'
  if (Array.isArray(v)) return 'list'
  return 'dict'
}

/** `repr(value)` */
export function pyRepr (v: PyValue): string {
  if (typeof v === 'string') return pyStrRepr(v)
  return pyStr(v)
}

/** `str(value)`, as DRF's messages and coercions apply it. */
export function pyStr (v: PyValue): string {
  if (v === null) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  if (v instanceof PyFloat) return pyFloatRepr(v.value)
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  return `{${[...v].map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(', ')}}`
}

/**
 * `json.dumps(value, ensure_ascii=False, separators=(',', ':'))` as DRF's JSONRenderer writes it,
 * U+2028 and U+2029 escaped as DRF does. `indent` gives DRF's `; indent=N` rendering.
 */
export function pyJsonDumps (v: unknown, indent: number | null = null): string {
  const out = dump(v, indent, '')
  return out.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/** A value already rendered as JSON text (custom attribute values are stored that way). */
export class RawJson {
  readonly text: string
  constructor (text: string) { this.text = text }
}

function dump (v: unknown, indent: number | null, pad: string): string {
  if (v === null || v === undefined) return 'null'
  if (v === true) return 'true'
  if (v === false) return 'false'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v)
  if (typeof v === 'bigint') return String(v)
  if (typeof v === 'string') return JSON.stringify(v)
  if (v instanceof PyFloat) return pyFloatRepr(v.value)
  if (v instanceof RawJson) return v.text
  const inner = indent === null ? '' : pad + ' '.repeat(indent)
  const nl = indent === null ? '' : '\n'
  const sep = indent === null ? ':' : ': '
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return `[${nl}${v.map(x => inner + dump(x, indent, inner)).join(',' + nl)}${nl}${indent === null ? '' : pad}]`
  }
  const entries: Array<[string, unknown]> = v instanceof Map ? [...v] : Object.entries(v as Record<string, unknown>)
  if (entries.length === 0) return '{}'
  return `{${nl}${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}${sep}${dump(x, indent, inner)}`).join(',' + nl)}${nl}${indent === null ? '' : pad}}`
}
