/**
 * `phasewise demo`: the bundled example repository run through all five phases — real engine, real journal,
 * real files, real gates, the real Anthropic client — against phasewise's fake LLM server on 127.0.0.1, which
 * answers from a script. A newcomer sees a complete run without an API key, and nothing leaves the machine.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { UsageError } from '../../errors/index.js';
import { loadFakeLlmScript, startFakeLlmServer } from '../../testing/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { asInvoked, shellWord } from '../invocation.js';
import { packageRoot } from '../package-root.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';

/** The examples shipped with phasewise (the `files` of its package.json). */
const examplesDir = join(packageRoot(), 'examples');

/** The variable the demo's provider reads its key from: a fixed value the fake server accepts, not a secret. */
export const DEMO_KEY_ENV = 'PHASEWISE_DEMO_KEY';
export const DEMO_KEY = 'demo-key-for-the-local-fake-server';

export interface DemoOptions {
  dir?: string;
  json?: boolean;
  /** Time to first token of each scripted answer, so progress is visible (default 300 ms). */
  latencyMs?: number;
}

export async function demoCommand(options: DemoOptions): Promise<number> {
  const workspace =
    options.dir === undefined ? mkdtempSync(join(tmpdir(), 'phasewise-demo-')) : resolve(options.dir);
  if (existsSync(workspace) && readdirSync(workspace).length > 0 && options.dir !== undefined) {
    throw new UsageError(`${workspace} is not empty; the demo needs a new or empty directory`, {
      hint: 'omit --dir to use a temporary directory',
    });
  }
  requireGit();
  const scriptFile = join(examplesDir, 'demo', 'script.yaml');
  const server = await startFakeLlmServer({
    script: loadFakeLlmScript(scriptFile),
    apiKey: DEMO_KEY,
    latencyMs: options.latencyMs ?? 300,
  });
  try {
    cpSync(join(examplesDir, 'auth-service'), workspace, { recursive: true });
    cpSync(join(examplesDir, 'demo', 'TASK.md'), join(workspace, 'TASK.md'));
    writeFileAtomic(join(workspace, 'phasewise.yaml'), demoConfig(server.anthropicBaseUrl));
    commitExample(workspace);
    process.env[DEMO_KEY_ENV] = DEMO_KEY;
    if (options.json !== true) {
      process.stderr.write(
        `${pc.bold('phasewise demo')}: ${pc.cyan('no real LLM is called')} and no API key is needed.\n` +
          `The real Anthropic client talks to phasewise's fake LLM server on ${server.url}, which answers from a\n` +
          `script (${scriptFile}). Tools, files, tests and gates are real;\n` +
          'tokens are counted from the actual requests and priced as the Claude models the tiers name.\n' +
          `workspace: ${workspace}\n\n`,
      );
    }
    process.chdir(workspace);
    const exitCode = await runCommand(undefined, { json: options.json === true });
    try {
      server.assertAllUsed();
    } catch (error) {
      process.stderr.write(`\n${(error as Error).message}\n`);
    }
    if (server.unexpected.length > 0) {
      process.stderr.write(
        `\nthe fake LLM server had no scripted answer for ${server.unexpected.length} request(s):\n  ${server.unexpected.join('\n  ')}\n`,
      );
    }
    if (options.json !== true) {
      process.stderr.write('\n');
      await reportCommand(undefined, { workspace });
      const html = join(workspace, '.phasewise', 'report.html');
      await reportCommand(undefined, { workspace, output: html });
      process.stderr.write(
        `\nthe HTML report (open it in a browser): ${html}\nsee it again with: ${asInvoked(`phasewise report --workspace ${shellWord(workspace)}`)}\nphase reports: ${join(workspace, '.phasewise', 'runs')}\n`,
      );
    }
    return exitCode;
  } finally {
    await server.close();
  }
}

/** The demo's `phasewise.yaml`, its provider pointed at the fake server at `baseUrl` (bench/demo-cost.ts uses it too). */
export function demoConfig(baseUrl: string): string {
  return `# Written by \`phasewise demo\`: the built-in five phases on the bundled example. No real LLM is called: the
# \`demo\` provider is the real Anthropic client pointed at phasewise's fake LLM server (it ran on 127.0.0.1 for the
# demo only), which answered from examples/demo/script.yaml.
version: 1
task: ./TASK.md
workspace: .
budget: { usd: 1.50 }
models:
  tiers: [haiku, sonnet, opus]
  haiku: demo:claude-haiku-4-5
  sonnet: demo:claude-sonnet-4-5
  opus: demo:claude-opus-4-5
  providers:
    demo: { kind: anthropic, base_url: "${baseUrl}", api_key_env: ${DEMO_KEY_ENV} }
phases:
  research: { agent: research, model: haiku, timeout: 10m, quality_gate: { threshold: 0.80 }, cost_limit: $0.05 }
  planning: { agent: planning, model: opus, timeout: 20m, quality_gate: { threshold: 0.95 }, cost_limit: $0.30, depends_on: [research] }
  implementation:
    agent: implementation
    model: sonnet
    timeout: 45m
    cost_limit: $0.60
    depends_on: [planning]
    # One agent per work item of the plan, each in its own git worktree, merged before the gate.
    fan_out: { from: planning, max_parallel: 3 }
    # A failed gate goes straight to the next tier here (the default ladder retries first).
    escalation: [escalate, halt]
    quality_gate:
      threshold: 0.88
      checks:
        - { kind: sections, weight: 0.4 }
        - { kind: diff, expect: changed, weight: 0.2, required: true }
        # The spec reporter ends with the failing tests, which a retry is shown with the end of the output.
        - { kind: command, name: tests, command: node --test --test-reporter=spec, weight: 0.2, required: true }
        - { kind: cost, weight: 0.2, required: true }
  review: { agent: review, model: opus, timeout: 30m, quality_gate: { threshold: 0.92 }, cost_limit: $0.35, depends_on: [implementation] }
  verification:
    agent: verification
    model: sonnet
    timeout: 25m
    cost_limit: $0.18
    depends_on: [review]
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.5 }
        - { kind: command, name: tests, command: node --test, weight: 0.3, required: true }
        - { kind: cost, weight: 0.2, required: true }
`;
}

/**
 * The example as a git repository with one commit, as a user's checkout would be: implementation fans out over
 * the plan's work items, each in a worktree of it. A fixed author and date keep the demo the same every time
 * (test/report/one-figure-run.ts records the same story).
 */
/** The demo fans implementation out, one git worktree per work item: without git it cannot run. */
function requireGit(): void {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new UsageError(
      'the demo needs git (its implementation phase runs each work item in a git worktree), and `git` was not found',
      {
        hint: 'install git (on Debian or Ubuntu: apt-get install git), or run bash scripts/setup.sh, which does',
      },
    );
  }
}

export function commitExample(workspace: string): void {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'phasewise demo',
    GIT_AUTHOR_EMAIL: 'demo@localhost',
    GIT_COMMITTER_NAME: 'phasewise demo',
    GIT_COMMITTER_EMAIL: 'demo@localhost',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  };
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
      cwd: workspace,
      env,
      stdio: 'ignore',
    });
  git('init', '--quiet');
  git('add', '--all');
  git('commit', '--quiet', '--no-verify', '--message', 'auth-service, as bundled with phasewise');
}
