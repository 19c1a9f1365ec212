/**
 * A V8 startup snapshot of the CLI's run path, timed against the bundled CLI. The earlier rounds of issue 21 named
 * it as the one way left to a 150 ms start: a process that deserializes a heap in which the run path's modules
 * (zod and the schemas, yaml, the AI SDK and its three providers, the commands) have already been evaluated, so
 * that no module code runs before the first request. An experiment, not how phasewise starts (bench/README.md).
 *
 * In a temporary folder: esbuild bundles the built CLI's `main` with the `run` and `validate` commands and the
 * provider packages as one CommonJS script (Node snapshots a single script only; the packages left out and zod's
 * trim are the build's), wrapped so that the script's `require` reaches node_modules once deserialized; `node
 * --build-snapshot` evaluates it and writes the heap. Then, alternating with the bundle, in rounds whose order flips:
 *   - Node's start and exit from a snapshot with nothing in it and from this one with a main that returns at once
 *     (the cost of deserializing the larger heap), `node -e 0` beside them;
 *   - `validate` in an empty folder, spawn to exit, and `run`, spawn to the first request at the fake server
 *     (bench/cli-cold-start.ts's measures).
 *
 * Run alone (after `npm run build`): npx tsx bench/cli-snapshot.ts [--runs 8] [--rounds 2]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { englishOnlyZodLocales, external } from '../scripts/bundle-cli-options.mjs';
import { builtCli, timeCommand, timeToFirstRequest } from './cli-cold-start.js';
import { argValue, formatStats } from './stats.js';

const root = join(import.meta.dirname, '..');
const cliDir = join(root, 'dist', 'cli');
const bin = join(cliDir, 'bin.js');
const NOOP = 'PHASEWISE_BENCH_SNAPSHOT_NOOP';

/** The bundle as a snapshot's script: `require` is Node's built-ins while the snapshot is built, node_modules after. */
function snapshotScript(bundle: string): string {
  return `const v8 = require('node:v8');
const builtinRequire = require;
let runtimeRequire;
const __phasewiseUrl = ${JSON.stringify(pathToFileURL(bin).href)};
const __phasewiseResolve = (specifier) =>
  builtinRequire('node:url').pathToFileURL(runtimeRequire.resolve(specifier)).href;
const cli = { exports: {} };
(function (module, exports, require) {
${bundle}
})(cli, cli.exports, (id) => (runtimeRequire ?? builtinRequire)(id));
v8.startupSnapshot.setDeserializeMainFunction(async () => {
  if (process.env.${NOOP}) return;
  runtimeRequire = builtinRequire('node:module').createRequire(${JSON.stringify(bin)});
  process.exitCode = await cli.exports.main(process.argv.slice(1));
});
`;
}

async function buildSnapshot(folder: string): Promise<{ blob: string; empty: string; buildMs: number }> {
  const bundled = await build({
    stdin: {
      contents: [
        "export { main } from './main.js';",
        "import './commands/run.js';",
        "import './commands/validate.js';",
        "import '@ai-sdk/anthropic';",
        "import '@ai-sdk/openai';",
        "import '@ai-sdk/openai-compatible';",
      ].join('\n'),
      resolveDir: cliDir,
      sourcefile: 'snapshot-entry.js',
    },
    plugins: [englishOnlyZodLocales],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22.13',
    external,
    define: { 'import.meta.url': '__phasewiseUrl', 'import.meta.resolve': '__phasewiseResolve' },
    write: false,
    logLevel: 'error',
  });
  const script = join(folder, 'snapshot-entry.cjs');
  writeFileSync(script, snapshotScript(bundled.outputFiles[0]!.text));
  const emptyScript = join(folder, 'empty.cjs');
  writeFileSync(emptyScript, "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {});\n");
  const blob = join(folder, 'run-path.blob');
  const empty = join(folder, 'empty.blob');
  const started = performance.now();
  for (const [out, entry] of [
    [blob, script],
    [empty, emptyScript],
  ] as const) {
    const made = spawnSync(process.execPath, ['--snapshot-blob', out, '--build-snapshot', entry], {
      cwd: folder,
      encoding: 'utf8',
    });
    if (made.status !== 0)
      throw new Error(`node --build-snapshot ${entry} exited ${made.status}: ${made.stderr}`);
  }
  return { blob, empty, buildMs: performance.now() - started };
}

export async function cliSnapshot(options: { runs: number; rounds: number }): Promise<string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'phasewise-bench-snapshot-'));
  const empty = mkdtempSync(join(tmpdir(), 'phasewise-bench-'));
  try {
    const snapshot = await buildSnapshot(folder);
    const fromSnapshot = ['--snapshot-blob', snapshot.blob];
    const lines = [
      `CLI from a V8 startup snapshot (Node ${process.versions.node}): run path's blob ${(statSync(snapshot.blob).size / 1e6).toFixed(1)} MB, the empty one ${(statSync(snapshot.empty).size / 1e6).toFixed(1)} MB, both built in ${(snapshot.buildMs / 1000).toFixed(1)} s`,
    ];
    for (let round = 0; round < options.rounds; round += 1) {
      const order = round % 2 === 0 ? (['bundle', 'snapshot'] as const) : (['snapshot', 'bundle'] as const);
      lines.push(`round ${round + 1} (${order.join(' first, then ')})`);
      lines.push(formatStats('  node -e 0', timeCommand(['-e', '0'], empty, options.runs, []), 'ms', 1));
      lines.push(
        formatStats(
          '  a snapshot with nothing in it, to exit',
          timeCommand([], empty, options.runs, ['--snapshot-blob', snapshot.empty]),
          'ms',
          1,
        ),
        formatStats(
          '  run-path snapshot, main returns at once',
          timeCommand([], empty, options.runs, fromSnapshot, { ...process.env, [NOOP]: '1' }),
          'ms',
          1,
        ),
      );
      for (const which of order) {
        const launch = which === 'bundle' ? builtCli : fromSnapshot;
        lines.push(
          formatStats(
            `  ${which}: validate, spawn to exit`,
            timeCommand(['validate'], empty, options.runs, launch),
            'ms',
            1,
          ),
          formatStats(
            `  ${which}: run, spawn to first request`,
            await timeToFirstRequest(options.runs, launch),
            'ms',
            1,
          ),
        );
      }
    }
    return lines;
  } finally {
    rmSync(folder, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await cliSnapshot({ runs: argValue('runs', 8), rounds: argValue('rounds', 2) })).join('\n'));
}
