/** The CLI as users run it: a subprocess of the built binary, its output and its exit codes. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { cli, startCli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'phasewise-cli-'));
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'config');

function expectCleanFailure(result: ReturnType<typeof cli>, code: number) {
  expect(result.code, result.stdout + result.stderr).toBe(code);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr.split('\n').length).toBeLessThanOrEqual(25);
}

/** Starts a run and kills it with SIGKILL right after its first event; returns its id. */
async function killedRun(workspace: string): Promise<string> {
  const killed = startCli(['run', '--json'], { cwd: workspace });
  let runId = '';
  killed.onLine((line, index) => {
    if (index === 1) {
      runId = JSON.parse(line).runId;
      killed.child.kill('SIGKILL');
    }
  });
  await killed.done;
  return runId;
}

describe('help and version', () => {
  it('prints the package version', () => {
    const result = cli(['--version'], { cwd: emptyDir() });
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    expect(result.stdout.trim()).toBe(pkg.version);
    expect(result.code).toBe(0);
  });

  it.each([
    'init',
    'validate',
    'run',
    'resume',
    'status',
    'runs',
    'report',
    'approve',
    'reject',
    'abort',
    'clean',
    'demo',
    'eval',
    'compare',
    'submit',
    'worker',
  ])('has --help with examples for %s', (command) => {
    const result = cli([command, '--help'], { cwd: emptyDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`phasewise ${command}`);
    expect(result.stdout).toContain('Examples:');
  });

  it('exits 2 on an unknown command or option', () => {
    expectCleanFailure(cli(['frobnicate'], { cwd: emptyDir() }), 2);
    expectCleanFailure(cli(['run', '--no-such-flag'], { cwd: emptyDir() }), 2);
    expectCleanFailure(cli(['run', 'task', '--budget', '-3'], { cwd: emptyDir() }), 2);
    expectCleanFailure(cli(['run', 'task', '--budget', '0x10'], { cwd: emptyDir() }), 2);
  });
});

describe('validate', () => {
  it('accepts the built-in workflow and prints the resolved plan', () => {
    const result = cli(['validate'], { cwd: emptyDir() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('built-in five-phase workflow');
    for (const id of ['research', 'planning', 'implementation', 'review', 'verification'])
      expect(result.stdout).toContain(id);
    expect(result.stdout).toMatch(
      /planning\s+planning\s+opus \(anthropic:claude-opus-4-5\)\s+20m\s+\$0\.30\s+≥ 0\.95/,
    );
  });

  it('says which API keys the tiers need, and run refuses to start without them (exit 2)', () => {
    const dir = emptyDir();
    const validated = cli(['validate'], { cwd: dir, env: { ANTHROPIC_API_KEY: '' } });
    expect(validated.stdout).toContain('credentials: ANTHROPIC_API_KEY (haiku, sonnet, opus): not set');
    const run = cli(['run', 'Add a health endpoint'], { cwd: dir, env: { ANTHROPIC_API_KEY: '' } });
    expectCleanFailure(run, 2);
    expect(run.stderr).toContain('ANTHROPIC_API_KEY');
    expect(existsSync(join(dir, '.phasewise', 'journal.db'))).toBe(false);
  });

  it('accepts a file in the pattern document’s own spelling', () => {
    const dir = emptyDir();
    copyFileSync(join(fixtures, 'pattern-spelling.yaml'), join(dir, 'orchestrator.yaml'));
    const result = cli(['validate'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/phase2_planning\s+planning\s+opus.*\$0\.30\s+≥ 0\.95.*phase1_research/);
    expect(result.stdout).toMatch(/phase1_research\s+research\s+haiku.*10m\s+\$0\.05\s+≥ 0\.80/);
  });

  const bad: Array<[string, string, RegExp]> = [
    [
      'cycle',
      'phases:\n  a: { agent: research, depends_on: b }\n  b: { agent: planning, depends_on: a }\n',
      /cycle.*a → b → a|cycle.*b → a → b/i,
    ],
    [
      'unknown dependency',
      'phases:\n  research: {}\n  planning: { depends_on: reserch }\n',
      /reserch.*research/s,
    ],
    ['unknown tier', 'phases:\n  research: { model: hiaku }\n', /hiaku/],
    ['unknown agent', 'phases:\n  scout: { agent: explorer }\n', /explorer/],
    ['negative limit', 'phases:\n  research: { cost_limit: -1 }\n', /cost_limit/],
    ['non-numeric timeout', 'phases:\n  research: { timeout: soon }\n', /timeout/],
    ['threshold out of range', 'phases:\n  research: { quality_gate: { threshold: 1.5 } }\n', /threshold/],
    [
      'unknown key',
      'phases:\n  research: { quality_gat: { threshold: 0.8 } }\n',
      /did you mean .?quality_gate/i,
    ],
    ['YAML syntax', 'phases:\n  research: { model: [haiku\n', /phasewise\.yaml:\d+:\d+/],
  ];
  it.each(bad)('rejects a %s with exit 2, file:line:col and no stack trace', (_name, yaml, message) => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'phasewise.yaml'), yaml);
    const result = cli(['validate'], { cwd: dir });
    expectCleanFailure(result, 2);
    expect(result.stderr).toMatch(/phasewise\.yaml:\d+:\d+/);
    expect(result.stderr).toMatch(message);
  });

  it('refuses an unpriced model in validate and estimate, as run would, naming the pricing to add', () => {
    const dir = emptyDir();
    writeFileSync(
      join(dir, 'phasewise.yaml'),
      [
        'task: add a health check',
        'models:',
        '  tiers: [small, large]',
        '  small: local:qwen-small',
        '  large: anthropic:claude-opus-4-5',
        '  providers:',
        '    local: { kind: openai-compatible, base_url: "http://127.0.0.1:9/v1" }',
        '',
      ].join('\n'),
    );
    for (const command of ['validate', 'estimate']) {
      const result = cli([command], { cwd: dir });
      expectCleanFailure(result, 2);
      expect(result.stderr).toContain('no price is known for local:qwen-small');
      expect(result.stderr).toContain('models.providers.local.pricing["qwen-small"]');
    }
  });

  it('names a config file that does not exist', () => {
    const result = cli(['validate', '-c', 'missing.yaml'], { cwd: emptyDir() });
    expectCleanFailure(result, 2);
    expect(result.stderr).toContain('missing.yaml');
  });
});

describe('init', () => {
  it('writes a phasewise.yaml that validates, and will not overwrite it without --force', () => {
    const dir = emptyDir();
    expect(cli(['init'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, 'phasewise.yaml'), 'utf8')).toMatch(/^#/);
    const validated = cli(['validate'], { cwd: dir });
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toContain(join(dir, 'phasewise.yaml'));
    expectCleanFailure(cli(['init'], { cwd: dir }), 2);
    expect(cli(['init', '--force'], { cwd: dir }).code).toBe(0);
  });
});

describe('run, status, runs', () => {
  it('runs five phases, then status and runs show the run', () => {
    const workspace = makeCrashWorkspace(0);
    const run = cli(['run'], { cwd: workspace });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/research: gate \d\.\d\d \/ 0\.80 passed/);
    expect(run.stderr).toMatch(/planning: retry — retry with the failed checks/);
    const runId = /run (\S+) succeeded/.exec(run.stderr)![1]!;
    expect(existsSync(join(workspace, '.phasewise', 'runs', runId, 'verification', 'report.md'))).toBe(true);

    const status = cli(['status'], { cwd: workspace });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`run ${runId}  succeeded (exit 0)`);
    expect(status.stdout).toMatch(/planning\s+passed\s+scripted:claude-haiku-4-5\s+2/);
    const summary = JSON.parse(cli(['status', runId, '--json'], { cwd: workspace }).stdout);
    expect(summary.phases.map((phase: { status: string }) => phase.status)).toEqual(Array(5).fill('passed'));

    const runs = cli(['runs'], { cwd: workspace });
    expect(runs.stdout).toContain(runId);
    const listed = cli(['runs', '--json'], { cwd: workspace })
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(listed.map((entry: { runId: string; status: string }) => [entry.runId, entry.status])).toEqual([
      [runId, 'succeeded'],
    ]);
  });

  it('streams typed events with --json, from run-start to run-end', () => {
    const result = cli(['run', '--json'], { cwd: makeCrashWorkspace(0) });
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events[0].type).toBe('run-start');
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded', exitCode: 0 });
    expect(new Set(events.map((event: { type: string }) => event.type))).toEqual(
      new Set([
        'run-start',
        'phase-start',
        'attempt-start',
        'model-call-start',
        'model-call-end',
        'tool-call',
        'tool-call-end',
        'attempt-end',
        'gate-end',
        'escalation-end',
        'phase-end',
        'run-end',
      ]),
    );
  });

  it('asks for a task when there is none, and explains an empty workspace', () => {
    expectCleanFailure(cli(['run'], { cwd: emptyDir() }), 2);
    const status = cli(['status'], { cwd: emptyDir() });
    expectCleanFailure(status, 2);
    expect(status.stderr).toContain('no runs yet');
  });

  it('refuses to resume after the configuration changed, unless --force', async () => {
    const workspace = makeCrashWorkspace(0);
    const runId = await killedRun(workspace);
    const config = join(workspace, 'phasewise.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('budget: 1.50', 'budget: 2.50'));
    const refused = cli(['resume', runId], { cwd: workspace });
    expectCleanFailure(refused, 2);
    expect(refused.stderr).toContain('budgetUsd: 1.5 → 2.5');
    expect(refused.stderr).toContain('--force');
    expect(cli(['resume', runId, '--force'], { cwd: workspace }).code).toBe(0);
  });

  it('lets exactly one of two processes resume a run, and tells the other who holds it', async () => {
    const workspace = makeCrashWorkspace(150);
    const first = startCli(['run', '--json'], { cwd: workspace });
    let runId = '';
    first.onLine((line, index) => {
      if (index === 1) runId = JSON.parse(line).runId;
      if (index === 8) first.child.kill('SIGKILL');
    });
    await first.done;
    const a = startCli(['resume', runId, '--json'], { cwd: workspace });
    const b = startCli(['resume', runId, '--json'], { cwd: workspace });
    const results = await Promise.all([a.done, b.done]);
    const codes = results.map((result) => result.code).sort();
    expect(codes).toEqual([0, 2]);
    const loser = results.find((result) => result.code === 2)!;
    expect(loser.stderr).toMatch(/being executed by another process \(pid \d+ on /);
  });

  it('keeps running when the reader of its output goes away, and finishes the run', async () => {
    const workspace = makeCrashWorkspace(0);
    const running = startCli(['run', '--json'], { cwd: workspace });
    running.onLine((_line, index) => {
      if (index === 1) running.child.stdout!.destroy();
    });
    const result = await running.done;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(cli(['status', '--json'], { cwd: workspace }).stdout).status).toBe('succeeded');
  });

  it('refuses a task file that does not exist instead of running its name as the task', () => {
    const result = cli(['run', './TASKK.md'], { cwd: makeCrashWorkspace(0) });
    expectCleanFailure(result, 2);
    expect(result.stderr).toContain('TASKK.md does not exist');
  });

  it('says a succeeded run has nothing to resume, and an unknown run is unknown, without creating a journal', () => {
    const workspace = makeCrashWorkspace(0);
    const runId = /run (\S+) succeeded/.exec(cli(['run'], { cwd: workspace }).stderr)![1]!;
    const again = cli(['resume', runId], { cwd: workspace });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already succeeded');
    const empty = emptyDir();
    expectCleanFailure(cli(['resume', 'no-such-run'], { cwd: empty }), 2);
    expect(existsSync(join(empty, '.phasewise'))).toBe(false);
  });

  it('takes a run from a holder on another host only when told to (--break-lock)', async () => {
    const workspace = makeCrashWorkspace(0);
    const runId = await killedRun(workspace);
    const journal = openJournal({ workspace });
    await journal.releaseLock(runId, (await journal.getLockHolder(runId))?.token ?? '');
    await journal.acquireLock(runId, {
      pid: 4242,
      host: 'other-container',
      since: new Date().toISOString(),
      token: 'theirs',
    });
    await journal.close();
    const refused = cli(['resume', runId], { cwd: workspace });
    expectCleanFailure(refused, 2);
    expect(refused.stderr).toContain('pid 4242 on other-container');
    expect(refused.stderr).toContain('--break-lock');
    const taken = cli(['resume', runId, '--break-lock'], { cwd: workspace });
    expect(taken.code, taken.stderr).toBe(0);
  });

  it('halts for review (exit 3), and approve / reject --feedback answer it and continue the run', () => {
    for (const answer of [['approve'], ['reject', '--feedback', 'Add the risks.']]) {
      const workspace = makeCrashWorkspace(0);
      const config = join(workspace, 'phasewise.yaml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace(
          'dependencies: research }',
          'dependencies: research, escalation: [halt] }',
        ),
      );
      const halted = cli(['run'], { cwd: workspace });
      expect(halted.code, halted.stderr).toBe(3);
      expect(halted.stderr).toContain('phasewise approve');
      const runId = /run (\S+) halted/.exec(halted.stderr)![1]!;
      const answered = cli([answer[0]!, runId, ...answer.slice(1)], { cwd: workspace });
      expect(answered.code, answered.stderr).toBe(0);
      expect(answered.stderr).toMatch(/phase planning \(attempt 1\) (approved|rejected)/);
      expect(JSON.parse(cli(['status', runId, '--json'], { cwd: workspace }).stdout).status).toBe(
        'succeeded',
      );
    }
    expectCleanFailure(cli(['reject', 'some-run'], { cwd: emptyDir() }), 2);
  });

  it('reports a run from its journal, as a table, Markdown or JSON', () => {
    const workspace = makeCrashWorkspace(0);
    expect(cli(['run'], { cwd: workspace }).code).toBe(0);
    const terminal = cli(['report'], { cwd: workspace });
    expect(terminal.code, terminal.stderr).toBe(0);
    expect(terminal.stdout).toMatch(
      /on the top tier \(scripted:claude-sonnet-4-5\) the same usage would cost/,
    );
    const json = JSON.parse(cli(['report', '--format', 'json'], { cwd: workspace }).stdout);
    expect(json.phases.map((phase: { id: string }) => phase.id)).toEqual([
      'research',
      'planning',
      'implementation',
      'review',
      'verification',
    ]);
    expect(cli(['report', '-o', 'run.md'], { cwd: workspace }).code).toBe(0);
    expect(readFileSync(join(workspace, 'run.md'), 'utf8')).toMatch(/^# phasewise run \S+: succeeded/);
    expectCleanFailure(cli(['report', '--format', 'pdf'], { cwd: workspace }), 2);
  });
});
