// `npm run build`, second step: rewrites dist/index.js and dist/server.js (tsc's output, the package's
// two entry points) as esbuild bundles, so a cold start loads a handful of files instead of ~330.
// TypeBox's ESM build alone is 247 modules, and userdouble's own dist/ 77; Node's ESM loader pays for
// each one (resolve, read, compile, link). Every other dependency stays an ordinary import of
// node_modules (native better-sqlite3, pino's worker transports, Fastify's lazy requires), and the
// dynamic imports (the seed file loader) stay lazy, as chunks under dist/chunks/.
// The A/B that justified it is in docs/performance.md ("Optimisations kept"). tsc's other files stay
// in dist/ with their .d.ts, so the types and any deep import keep working.
import { rmSync } from 'node:fs'
import { build, type Plugin } from 'esbuild'

/** Packages bundled rather than imported: only those whose ESM module count costs at start-up. */
const BUNDLED = ['@sinclair/typebox']

/** Every other bare specifier (a package, `node:*`) stays an import, resolved by Node at run time. */
const onlyBundled: Plugin = {
  name: 'only-bundled',
  setup (b) {
    b.onResolve({ filter: /^[^./]/ }, args =>
      BUNDLED.some(name => args.path === name || args.path.startsWith(`${name}/`)) ? undefined : { path: args.path, external: true })
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
  plugins: [onlyBundled],
  sourcemap: true,
  // tsc already emitted `#!/usr/bin/env node` for server.js; esbuild keeps an entry point's hashbang.
  legalComments: 'eof',
  logLevel: 'warning'
})
