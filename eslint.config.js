import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'openapi/**', 'test-results/**'] }),
  {
    // The README's jest example: jest provides these globals.
    files: ['test/examples/jest/**'],
    languageOptions: { globals: { test: 'readonly', expect: 'readonly', describe: 'readonly' } }
  }
]
