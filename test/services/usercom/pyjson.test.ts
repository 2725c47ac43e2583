import { describe, expect, test } from 'vitest'
import { PyFloat, pyFloatRepr, pyJsonDumps, pyJsonLoads, pyStr } from '../../../src/services/usercom/pyjson.js'

/** What `json.loads(text)` raises in CPython 3.11/3.12, as `str(exc)`. */
const message = (text: string): string => {
  try {
    pyJsonLoads(text)
  } catch (err) {
    return (err as Error).message
  }
  throw new Error(`parsed: ${text}`)
}

describe('CPython json error messages', () => {
  test.each([
    // The spec's §6.2 table (verified against Python 3.11).
    ['user_id=my_custom_id&first_name=John&last_name=Doe', 'Expecting value: line 1 column 1 (char 0)'],
    ['{bad', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ["{'a': 1}", 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
    ['{"a":1} x', 'Extra data: line 1 column 9 (char 8)'],
    ['{"a":"b', 'Unterminated string starting at: line 1 column 6 (char 5)'],
    // Further cases of the C scanner.
    ['', 'Expecting value: line 1 column 1 (char 0)'],
    ['   ', 'Expecting value: line 1 column 4 (char 3)'],
    ['{', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['[', 'Expecting value: line 1 column 2 (char 1)'],
    ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
    ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['{"a":1 "b":2}', "Expecting ',' delimiter: line 1 column 8 (char 7)"],
    ['{"a":}', 'Expecting value: line 1 column 6 (char 5)'],
    ['{\n"a": tru\n}', 'Expecting value: line 2 column 6 (char 7)'],
    ['"a\u0001"', 'Invalid control character at: line 1 column 3 (char 2)'],
    ['"\\x"', 'Invalid \\escape: line 1 column 2 (char 1)'],
    ['"\\u12"', 'Invalid \\uXXXX escape: line 1 column 3 (char 2)'],
    ['"\\u12zz"', 'Invalid \\uXXXX escape: line 1 column 3 (char 2)'],
    ['-', 'Expecting value: line 1 column 1 (char 0)'],
    ['01', 'Extra data: line 1 column 2 (char 1)'],
    ['{"é":"x" x}', "Expecting ',' delimiter: line 1 column 10 (char 9)"],
    ['{"😀":"x" x}', "Expecting ',' delimiter: line 1 column 10 (char 9)"],
    ['\ufeff{}', 'Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)'],
    ['NaN', "Out of range float values are not JSON compliant: 'NaN'"],
    ['[-Infinity]', "Out of range float values are not JSON compliant: '-Infinity'"]
  ])('%j', (text, expected) => {
    expect(message(text)).toBe(expected)
  })

  test('keeps Python types: ints, floats, insertion-ordered dicts', () => {
    const v = pyJsonLoads('{"b": 1, "a": 2.0, "1": [true, null, "x"], "b": 3}') as Map<string, unknown>
    expect([...v.keys()]).toEqual(['b', 'a', '1'])
    expect(v.get('b')).toBe(3)
    expect(v.get('a')).toEqual(new PyFloat(2))
    expect(pyStr(v.get('1') as never)).toBe("[True, None, 'x']")
  })
})

describe('Python float repr and json.dumps', () => {
  test.each([
    [5, '5.0'], [0.1, '0.1'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [1e-5, '1e-05'],
    [0.0001, '0.0001'], [-2.5, '-2.5'], [1.5e300, '1.5e+300'], [123456789.123, '123456789.123']
  ])('repr(%d)', (x, expected) => {
    expect(pyFloatRepr(x)).toBe(expected)
  })

  test('dumps compact, UTF-8, U+2028 escaped as DRF does', () => {
    expect(pyJsonDumps({ a: 'é\u2028', b: [new PyFloat(1), 2], c: null })).toBe('{"a":"é\\u2028","b":[1.0,2],"c":null}')
    expect(pyJsonDumps({ a: [1] }, 2)).toBe('{\n  "a": [\n    1\n  ]\n}')
  })
})
