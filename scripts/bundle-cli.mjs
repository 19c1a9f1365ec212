/**
 * The last step of `npm run build`: bundles the command line (dist/cli/bin.js, as tsc wrote it, and everything it
 * imports) into dist/cli/bin.js and its chunks (dist/cli/chunk-*.js), so `phasewise` starts from a few files
 * instead of some 650 modules: resolving, reading and linking each costs Node more than its code does. Every
 * dynamic import stays a chunk of its own, loaded when a command reaches it. The library (dist/index.js,
 * dist/testing) stays as tsc wrote it.
 *
 * Left outside the bundle, loaded from node_modules as before: packages that find files beside their own code
 * (ripgrep's binary), the optional Claude Agent SDK, and the large ones only some commands load (Postgres, DBOS,
 * Octokit, OpenTelemetry, MCP, puppeteer). Chunks sit beside bin.js, at the depth of every module that finds a
 * file of the package from its own URL (`../../package.json`). Source maps chain to src/ through tsc's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { englishOnlyZodLocales, external } from './bundle-cli-options.mjs';

await build({
  entryPoints: ['dist/cli/bin.js'],
  plugins: [englishOnlyZodLocales],
  outdir: 'dist/cli',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.13',
  chunkNames: 'chunk-[name]-[hash]',
  external,
  sourcemap: true,
  sourcesContent: false,
  // Bundled CommonJS packages call `require` for Node's own modules; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __phasewiseRequire } from 'node:module'; const require = __phasewiseRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// phasewise's errors name themselves after their class (`new.target.name`); a class esbuild renamed to avoid a
// clash of names (`UsageError2`) would change what users read. esbuild's keepNames would cost ~40 ms a start,
// so the build fails instead, and the clash is fixed at its source.
const ownClasses = new Set();
for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js') || entry.name.startsWith('chunk-')) continue;
  const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  for (const match of text.matchAll(/^export class (\w+)/gm)) ownClasses.add(match[1]);
}
const renamed = new Set();
for (const name of readdirSync('dist/cli').filter(
  (file) => file.startsWith('chunk-') && file.endsWith('.js'),
)) {
  const text = readFileSync(join('dist/cli', name), 'utf8');
  for (const match of text.matchAll(/\bclass (\w+?)(\d+)\b/g)) {
    if (ownClasses.has(match[1]) && !ownClasses.has(match[1] + match[2])) renamed.add(match[1]);
  }
}
if (renamed.size > 0) {
  console.error(`bundle-cli: classes renamed in the bundle (two share a name): ${[...renamed].join(', ')}`);
  process.exit(1);
}
