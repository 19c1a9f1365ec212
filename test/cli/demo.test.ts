/**
 * `phasewise demo` as a newcomer runs it: the real CLI in a subprocess, the real Anthropic client against the
 * fake LLM server, real tools and gates on a copy of the example. The story its script tells — a gate failure and
 * retry, an escalation, a critical review finding sent back to implementation — must come out of the real gates,
 * and its HTML report must render in a real browser.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResultSummary, RunEvent } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import { createRedactor } from '../../src/util/redact.js';
import { cli, startCli } from '../support/cli.js';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

let dir: string;
let demo: { code: number | null; stdout: string; stderr: string };
let events: RunEvent[];

type GateEnd = Extract<RunEvent, { type: 'gate-end' }>;
const gates = (phaseId: string) =>
  events.filter((event): event is GateEnd => event.type === 'gate-end' && event.phaseId === phaseId);
const check = (gate: GateEnd, name: string): CheckResultSummary => {
  const found = gate.checks.find((entry) => entry.name === name);
  expect(found, `${gate.phaseId} has a ${name} check`).toBeDefined();
  return found!;
};

/**
 * Random letters the redactor takes for a credential (checked below): the engine runs from the workflow it
 * journaled redacted, so a workspace path hidden there would be a run lost.
 */
const SECRET_LOOKING_FOLDER = 'demo-yHFlAnk9Qz7Lx2Pm4Rt8VwYb3NaZ3kQ9xL7p';

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'phasewise-demo-test-')), SECRET_LOOKING_FOLDER);
  // No API key of any kind in the environment: the demo must not need one.
  demo = await startCli(['demo', '--dir', dir, '--latency', '0'], {
    cwd: tmpdir(),
    env: { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' },
  }).done;
  const journal = openJournal({ workspace: dir });
  try {
    const [run] = await journal.listRuns();
    events = await journal.listEvents(run!.runId);
  } finally {
    await journal.close();
  }
}, 120_000);

describe('phasewise demo', () => {
  it('runs in a folder whose name the redactor would hide anywhere but as the workspace', () => {
    expect(createRedactor({ env: {} }).redact(dir)).not.toBe(dir);
    expect(demo.code, demo.stderr).toBe(0);
  });

  it('runs to a successful end, says plainly that no real LLM is called, and ends with the report', () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).toContain('no real LLM is called');
    expect(demo.stderr).toMatch(/fake LLM server on http:\/\/127\.0\.0\.1:\d+/);
    expect(demo.stderr).toMatch(/run \S+ +succeeded \(exit 0\)/);
    expect(demo.stderr).toContain(
      `the HTML report (open it in a browser): ${join(dir, '.phasewise', 'report.html')}`,
    );
    // Every scripted answer was asked for, and nothing was asked that the script cannot answer.
    expect(demo.stderr).not.toMatch(/never answered|had no scripted answer/);
  });

  it('fails planning’s gate on its missing sections, and passes the retry', () => {
    const [first, second] = gates('planning');
    expect(first!.passed).toBe(false);
    expect(check(first!, 'sections').message).toMatch(/"Migration", "Risks"/);
    expect(second!.passed).toBe(true);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'escalation-end', phaseId: 'planning', action: 'retry' }),
    );
  });

  it('fans implementation out over the plan’s work items, escalates the one whose real test run fails, and resolves the conflict with a merge turn', () => {
    const start = events.find((event) => event.type === 'fan-out-start');
    expect(start?.type === 'fan-out-start' && start.items.map((item) => item.id)).toEqual([
      'tokens',
      'refresh-store',
      'http',
    ]);
    const tokens = gates('implementation').filter((gate) => gate.item === 'tokens');
    const [first, second] = tokens;
    const tests = check(first!, 'tests');
    expect(first!.vetoed).toBe(true);
    expect(tests.evidence).toMatchObject({ exitCode: 1 });
    expect((tests.evidence as { outputTail: string }).outputTail).toContain('a truncated signature fails');
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'escalation-end',
        phaseId: 'implementation',
        item: 'tokens',
        action: 'escalate',
        toTier: 'opus',
      }),
    );
    expect(check(second!, 'tests').passed).toBe(true);
    const merges = events.flatMap((event) =>
      event.type === 'merge-end' ? [[event.item, event.outcome, event.files]] : [],
    );
    expect(merges).toEqual([
      ['tokens', 'merged', []],
      ['refresh-store', 'resolved', ['README.md']],
      ['http', 'merged', []],
    ]);
    // Both sides of the conflict survived until `http` rewrote the README on top of the merged result.
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('JWT_ACTIVE_KID');
    // The phase's own gate judged the merged result, and no worktree is left.
    expect(
      gates('implementation')
        .filter((gate) => gate.item === undefined)
        .map((gate) => gate.passed),
    ).toEqual([true]);
    expect(existsSync(join(dir, '.phasewise', 'worktrees', events[0]!.runId))).toBe(false);
  });

  it('opens every work item and the merge turn with the text the first item cached: each reads it instead of writing it', () => {
    type CallEnd = Extract<RunEvent, { type: 'model-call-end' }>;
    const firstCalls = events.filter(
      (event): event is CallEnd =>
        event.type === 'model-call-end' &&
        event.phaseId === 'implementation' &&
        event.turn === 1 &&
        event.attempt === 1 &&
        event.item !== undefined,
    );
    const readShare = (call: CallEnd) =>
      call.tokens.cacheRead / (call.tokens.inputNoCache + call.tokens.cacheRead + call.tokens.cacheWrite);
    // The lane whose request reaches the model first writes the tools, the role's prompt, the task and the
    // handoffs; the others, all on the same model, read them and write only their own part (the workspace, the
    // item): far less than half their input. `tokens` and `refresh-store` run side by side, so either may be first.
    expect(firstCalls.map((call) => call.item).sort()).toEqual([
      'http',
      'refresh-store',
      'refresh-store',
      'tokens',
    ]);
    const writers = firstCalls.filter((call) => call.tokens.cacheRead === 0);
    expect(writers).toHaveLength(1);
    expect(['tokens', 'refresh-store']).toContain(writers[0]!.item);
    for (const call of firstCalls.filter((other) => other !== writers[0]))
      expect(readShare(call), `${call.item} reads the shared opening`).toBeGreaterThan(0.8);
  });

  it('sends review’s critical finding back to implementation, and the second round passes', () => {
    const [first] = gates('review');
    expect(check(first!, 'findings').message).toMatch(/1 critical/);
    expect(gates('implementation@2')).toHaveLength(1);
    expect(gates('review@2').map((gate) => gate.passed)).toEqual([true]);
    expect(readFileSync(join(dir, 'src', 'refresh-store.js'), 'utf8')).toContain(
      'revokeFamily(entry.familyId)',
    );
  });

  it('leaves a workspace whose own tests pass, and verification ran them for real', () => {
    expect(gates('verification').map((gate) => check(gate, 'tests').passed)).toEqual([true]);
    const tests = spawnSync(process.execPath, ['--test'], { cwd: dir, encoding: 'utf8' });
    expect(tests.status, tests.stdout).toBe(0);
    expect(tests.stdout).toMatch(/# pass 26\n/);
  });

  it('is bracketed by its own estimate', () => {
    const spent = JSON.parse(cli(['report', '--format', 'json'], { cwd: dir }).stdout).costUsd as number;
    const estimate = JSON.parse(cli(['estimate', '--json'], { cwd: dir }).stdout);
    expect(spent).toBeGreaterThan(0);
    expect(estimate.lowUsd).toBeLessThanOrEqual(spent);
    expect(estimate.highUsd).toBeGreaterThanOrEqual(spent);
  });

  it('says in every report format how much of its input was read from the prompt cache, the same figure', () => {
    const json = JSON.parse(cli(['report', '--format', 'json'], { cwd: dir }).stdout) as {
      cacheReadShare: number;
    };
    expect(json.cacheReadShare).toBeGreaterThan(0.3);
    const percent = `${Math.round(json.cacheReadShare * 100)} %`;
    const terminal = cli(['report'], { cwd: dir });
    expect(terminal.code, terminal.stderr).toBe(0);
    expect(terminal.stdout).toContain(`${percent} of the input from the prompt cache`);
    const html = cli(['report', '--format', 'html'], { cwd: dir }).stdout;
    expect(html).toContain(`${percent} of the input read from the prompt cache`);
  });

  it.skipIf(chromium === undefined && process.env.CI === undefined)(
    'writes an HTML report that renders its charts in headless Chromium without errors or network requests',
    () => {
      expect(chromium, 'Debian chromium is needed (.ci/run installs it)').toBeDefined();
      const file = join(dir, '.phasewise', 'report.html');
      mkdirSync(artifacts, { recursive: true });
      const screenshot = join(artifacts, 'demo-report.png');
      const flags = [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, '..', 'chromium-profile')}`,
        '--enable-logging=stderr',
        '--v=0',
      ];
      const dom = execFileSync(chromium!, [...flags, '--dump-dom', `file://${file}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
      expect(dom.match(/<svg /g)).toHaveLength(3);
      expect(dom.match(/<rect /g)?.length ?? 0).toBeGreaterThan(10);
      for (const id of ['research', 'planning', 'implementation', 'review', 'verification'])
        expect(dom).toContain(id);
      const run = spawnSync(
        chromium!,
        [...flags, `--screenshot=${screenshot}`, '--window-size=1100,1600', `file://${file}`],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      // The page's own Content-Security-Policy refuses any fetch; a blocked request or a script error is logged.
      expect(run.stderr).not.toMatch(/Refused to (load|connect)|Uncaught|net::ERR_/);
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    },
    90_000,
  );
});
