/**
 * CLI cold start: wall time of a fresh process for `--version` and for `validate` of the built-in workflow,
 * measured from spawn to exit. Needs the build (scripts/setup.sh).
 *
 * Run alone: npx tsx bench/cli-cold-start.ts [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argValue, formatStats, stats } from './stats.js';

const bin = join(import.meta.dirname, '..', 'dist', 'cli', 'bin.js');

function timeCommand(args: string[], cwd: string, runs: number) {
  const samples: number[] = [];
  for (let run = 0; run < runs + 1; run += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (result.status !== 0)
      throw new Error(`phasewise ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    if (run > 0) samples.push(elapsed); // the first run warms the file cache
  }
  return stats(samples);
}

export function cliColdStart(options: { runs: number }): string[] {
  if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run scripts/setup.sh first');
  const empty = mkdtempSync(join(tmpdir(), 'phasewise-bench-'));
  const baseline = stats(
    Array.from({ length: options.runs }, () => {
      const started = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      return performance.now() - started;
    }),
  );
  return [
    `CLI cold start (spawn to exit, Node ${process.versions.node})`,
    formatStats('  node -e 0 (Node itself, for reference)', baseline, 'ms', 1),
    formatStats('  phasewise --version', timeCommand(['--version'], empty, options.runs), 'ms', 1),
    formatStats(
      '  phasewise validate (built-in workflow)',
      timeCommand(['validate'], empty, options.runs),
      'ms',
      1,
    ),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(cliColdStart({ runs: argValue('runs', 15) }).join('\n'));
}
