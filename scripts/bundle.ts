// `npm run build`, second step: rewrites dist/index.js and dist/server.js (tsc's output, the package's
// two entry points) as esbuild bundles, so a cold start reads and compiles ~50 modules instead of
// ~530. Node's module loaders pay per module (resolve, read, compile, link): TypeBox's ESM build alone
// is 247 modules, userdouble's own dist/ 77, and Fastify with its dependencies ~200 CommonJS files.
// The A/B that justified it is in docs/performance.md ("Optimisations kept").
//
// Bundled: userdouble and every pure-JavaScript package it loads at start-up. Left as imports of
// node_modules, resolved by Node at run time:
// - better-sqlite3 (a native addon, found through its own package paths);
// - pino and what its worker-thread transports load by file name (pino-pretty, thread-stream);
// - what is only loaded on demand: the docs page (@fastify/swagger, @fastify/swagger-ui, which
//   serves files from its own folder), the OpenAPI documents' YAML parser, the seed progress bar,
//   Zendesk's form parser (qs), and the schema compilers (src/kernel/lazy-compilers.ts requires
//   them on a route's first use);
// - Node's own modules.
// The packages stay dependencies, installed beside the package: the bundle is a copy of the versions
// this build resolved, so a consumer's `overrides` of one of them does not reach the bundled copy
// (docs/performance.md says so). tsc's other files stay in dist/ with their .d.ts, so the types and
// any deep import keep working; the dynamic imports (the seed file loader) stay lazy, as chunks.
import { rmSync } from 'node:fs'
import { build, type Plugin } from 'esbuild'

const IMPORTED = [
  'better-sqlite3',
  'pino', 'pino-pretty', 'thread-stream', 'sonic-boom',
  '@fastify/swagger', '@fastify/swagger-ui', 'yaml', 'cli-progress', 'qs',
  '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'
]

const imported: Plugin = {
  name: 'imported',
  setup (b) {
    b.onResolve({ filter: /^[^./]/ }, args =>
      args.path.startsWith('node:') || IMPORTED.some(name => args.path === name || args.path.startsWith(`${name}/`))
        ? { path: args.path, external: true }
        : undefined)
  }
}

// Chunk names carry a content hash: the previous build's would otherwise pile up.
rmSync('dist/chunks', { recursive: true, force: true })

await build({
  entryPoints: ['dist/index.js', 'dist/server.js'],
  outdir: 'dist',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [imported],
  // The bundled CommonJS packages call `require` for Node's modules and their lazy loads; an ES
  // module has none, so each output file makes its own.
  banner: { js: 'import { createRequire as __userdoubleRequire } from \'node:module\'; const require = __userdoubleRequire(import.meta.url);' },
  sourcemap: true,
  // tsc already emitted `#!/usr/bin/env node` for server.js; esbuild keeps an entry point's hashbang.
  legalComments: 'eof',
  logLevel: 'warning'
})
