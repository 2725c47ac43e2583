import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'openapi/**', 'test-results/**'] }),
  {
    // The README's jest example: jest provides these globals.
    files: ['test/examples/jest/**'],
    languageOptions: { globals: { test: 'readonly', expect: 'readonly', describe: 'readonly' } }
  },
  {
    // The web inspector's page (/__mock/ui): plain ES modules run by the browser.
    files: ['ui/**'],
    languageOptions: {
      globals: Object.fromEntries(['window', 'document', 'location', 'navigator', 'sessionStorage', 'fetch', 'AbortController', 'TextDecoderStream',
        'URL', 'URLSearchParams', 'FormData', 'Blob', 'Node', 'requestAnimationFrame', 'btoa'].map(name => [name, 'readonly']))
    }
  }
]
