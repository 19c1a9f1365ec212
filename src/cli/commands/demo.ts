/**
 * `phasewise demo`: the bundled example repository run through all five phases by a scripted model — real
 * engine, real journal, real files — so a newcomer sees a complete run without an API key.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { UsageError } from '../../errors/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));

export async function demoCommand(options: { dir?: string; json?: boolean }): Promise<number> {
  const workspace =
    options.dir === undefined ? mkdtempSync(join(tmpdir(), 'phasewise-demo-')) : resolve(options.dir);
  if (existsSync(workspace) && readdirSync(workspace).length > 0 && options.dir !== undefined) {
    throw new UsageError(`${workspace} is not empty; the demo needs a new or empty directory`, {
      hint: 'omit --dir to use a temporary directory',
    });
  }
  cpSync(join(examplesDir, 'auth-service'), workspace, { recursive: true });
  cpSync(join(examplesDir, 'demo', 'TASK.md'), join(workspace, 'TASK.md'));
  writeFileAtomic(join(workspace, 'phasewise.yaml'), demoConfig(join(examplesDir, 'demo', 'script.yaml')));
  if (options.json !== true) {
    process.stderr.write(
      `${pc.bold('phasewise demo')}: no API key needed — a ${pc.cyan('scripted model')} answers instead of an LLM, priced as the Claude models it stands for.\n` +
        `workspace: ${workspace}\n\n`,
    );
  }
  process.chdir(workspace);
  const exitCode = await runCommand(undefined, { json: options.json === true });
  if (options.json !== true) {
    process.stderr.write('\n');
    reportCommand(undefined, { workspace });
    const html = join(workspace, '.phasewise', 'report.html');
    reportCommand(undefined, { workspace, output: html });
    process.stderr.write(
      `\nthe HTML report (open it in a browser): ${html}\nsee it again with: phasewise report --workspace ${workspace}\nphase reports: ${join(workspace, '.phasewise', 'runs')}\n`,
    );
  }
  return exitCode;
}

function demoConfig(script: string): string {
  return `# Written by \`phasewise demo\`: the built-in five phases, answered by a scripted model.
version: 1
task: ./TASK.md
workspace: .
budget: { usd: 1.50 }
models:
  tiers: [haiku, sonnet, opus]
  haiku: scripted:claude-haiku-4-5
  sonnet: scripted:claude-sonnet-4-5
  opus: scripted:claude-opus-4-5
  providers:
    scripted: { kind: scripted, script: ${JSON.stringify(script)}, latency_ms: 400 }
phases:
  research: { agent: research, model: haiku, timeout: 10m, quality_gate: { threshold: 0.80 }, cost_limit: $0.05 }
  planning: { agent: planning, model: opus, timeout: 20m, quality_gate: { threshold: 0.95 }, cost_limit: $0.30, depends_on: [research] }
  implementation: { agent: implementation, model: sonnet, timeout: 45m, quality_gate: { threshold: 0.88 }, cost_limit: $0.20, depends_on: [planning] }
  review: { agent: review, model: opus, timeout: 30m, quality_gate: { threshold: 0.92 }, cost_limit: $0.25, depends_on: [implementation] }
  verification: { agent: verification, model: sonnet, timeout: 25m, quality_gate: { threshold: 0.90 }, cost_limit: $0.18, depends_on: [review] }
`;
}
