/**
 * The claude-code runtime against the real Agent SDK and the Claude Code binary it ships, talking to the fake
 * Anthropic server on 127.0.0.1 (no network): a phase that uses tools and succeeds, one that hits its turn cap,
 * one stopped by budget, one cancelled by its timeout, and one whose tool call leaves the workspace — each with
 * its outcome, usage and cost checked in the journal.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { costOfUsage } from '../../src/budget/cost.js';
import { lookupPrice } from '../../src/budget/price-table.js';
import { createCliModelResolver } from '../../src/cli/models.js';
import type { ProviderConfig, ResolvedPhase, ResolvedWorkflow } from '../../src/config/types.js';
import { InterruptedError } from '../../src/errors/index.js';
import type { RunWorkflowOptions } from '../../src/orchestrator/run-workflow.js';
import type { ModelUsage } from '../../src/provider/model.js';
import { type FakeLlmServer, type FakeTurn, startFakeLlmServer } from '../../src/testing/index.js';
import { createRedactor } from '../../src/util/redact.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();
const KEY_ENV = 'PHASEWISE_CC_TEST_KEY';
const KEY = 'cc-test-key-0123456789';
const MODEL = 'claude-sonnet-4-5';
const price = lookupPrice(MODEL)!;

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function claudeCodeRun(
  workspace: string,
  turns: FakeTurn[],
  phaseOverrides: Partial<ResolvedPhase>,
  pricing: ProviderConfig['pricing'] = {},
  runOptions: Partial<RunWorkflowOptions> = {},
) {
  server = await startFakeLlmServer({
    script: { conversations: [{ name: 'phase', match: [], turns }] },
    apiKey: KEY,
  });
  const workflow = claudeCodeWorkflow(workspace, server.anthropicBaseUrl, phaseOverrides);
  workflow.providers.cc!.pricing = pricing;
  const h = make(workflow, { phases: {} });
  const outcome = await h.run({ resolveModel: createCliModelResolver(workflow), ...runOptions });
  const steps = await h.journal.listSteps(outcome.runId);
  const responses = steps.filter((step) => step.kind === 'model');
  const sessions = steps.filter((step) => step.kind === 'session');
  return { h, outcome, workflow, steps, responses, sessions, server: server! };
}

function claudeCodeWorkflow(
  workspace: string,
  baseUrl: string,
  phaseOverrides: Partial<ResolvedPhase>,
): ResolvedWorkflow {
  process.env[KEY_ENV] = KEY;
  const base = testWorkflow({ workspace });
  mkdirSync(join(base.workspace, 'src'), { recursive: true });
  writeFileSync(join(base.workspace, 'src', 'app.js'), 'export const answer = 42;\n');
  return {
    ...base,
    agents: {
      ...base.agents,
      verification: { ...base.agents.verification!, permissions: ['read', 'run'] },
    },
    tiers: ['sonnet'],
    tierModels: { sonnet: `cc:${MODEL}` },
    providers: {
      cc: {
        name: 'cc',
        kind: 'claude-code',
        baseUrl,
        apiKeyEnv: KEY_ENV,
        pricing: {},
      },
    },
    phases: [
      phase('implementation', {
        model: { kind: 'tier', tier: 'sonnet' },
        escalation: ['halt'],
        timeoutMs: 60_000,
        ...phaseOverrides,
      }),
    ],
  };
}

/** What the fake server billed, request by request, as phasewise's usage. */
function billed(fake: FakeLlmServer): ModelUsage[] {
  return fake.requests
    .filter((request) => request.usage !== undefined)
    .map((request) => {
      const usage = request.usage!;
      return {
        inputNoCache: usage.input,
        cacheRead: usage.cacheRead,
        cacheWrite: usage.cacheWrite5m + usage.cacheWrite1h,
        ...(usage.cacheWrite1h > 0 ? { cacheWrite1h: usage.cacheWrite1h } : {}),
        output: usage.output,
        reasoning: 0,
      };
    });
}

describe('the claude-code runtime', () => {
  it('runs a phase that uses tools to success, with each response charged once at phasewise prices', async () => {
    const turns: FakeTurn[] = [
      { toolCalls: [{ name: 'Read', input: { file_path: 'WORKSPACE/src/app.js' } }] },
      {
        toolCalls: [
          {
            name: 'Write',
            input: { file_path: 'WORKSPACE/src/hello.js', content: 'export const hello = 1;\n' },
          },
        ],
        text: 'Writing the module now.',
      },
      { text: report('implementation') },
    ];
    const run = await claudeCodeRunIn(turns);
    expect(run.outcome.status, run.outcome.message ?? '').toBe('succeeded');
    expect(readFileSync(join(run.workflow.workspace, 'src', 'hello.js'), 'utf8')).toBe(
      'export const hello = 1;\n',
    );
    // One journal step per model response: three requests, three charges, even though the second response
    // streamed two content blocks (two SDK frames with the same id).
    expect(run.server.requests).toHaveLength(3);
    expect(run.responses).toHaveLength(3);
    const usages = run.responses.map((step) => (step.result as { usage: ModelUsage }).usage);
    expect(usages).toEqual(billed(run.server));
    const expectedCost = usages.reduce((sum, usage) => sum + costOfUsage(usage, price), 0);
    expect(run.outcome.costUsd).toBeCloseTo(expectedCost, 12);
    expect(run.responses.reduce((sum, step) => sum + step.costUsd, 0)).toBeCloseTo(expectedCost, 12);
    const end = run.sessions.find((step) => step.key.endsWith('/end'))!.result as Record<string, unknown>;
    expect(end).toMatchObject({ subtype: 'success', stopReason: 'answered', responses: 3 });
    expect(end.text).toContain('## Changes');
    const transcript = end.transcript as string;
    expect(existsSync(transcript)).toBe(true);
    expect(readFileSync(transcript, 'utf8')).toContain('"type":"result"');
    // The key reached the server (it authenticated) but never the journal or the transcript.
    expect(JSON.stringify(run.steps)).not.toContain(KEY);
    expect(readFileSync(transcript, 'utf8')).not.toContain(KEY);
  }, 90_000);

  it('ends at the turn cap with error_max_turns, keeping its usage and cost', async () => {
    const read = { toolCalls: [{ name: 'Read', input: { file_path: 'WORKSPACE/src/app.js' } }] };
    const run = await claudeCodeRunIn([read, read, read, read], { maxTurns: 2 });
    expect(run.outcome.status, run.outcome.message ?? '').toBe('halted');
    const end = run.sessions.find((step) => step.key.endsWith('/end'))!.result as Record<string, unknown>;
    expect(end).toMatchObject({ subtype: 'error_max_turns', stopReason: 'max-turns' });
    expect(run.responses).toHaveLength(2);
    const usages = run.responses.map((step) => (step.result as { usage: ModelUsage }).usage);
    expect(usages).toEqual(billed(run.server));
    expect(run.outcome.costUsd).toBeGreaterThan(0);
  }, 90_000);

  it('is stopped by phasewise when the ledger says the phase limit is spent', async () => {
    const expensive: FakeTurn = {
      toolCalls: [{ name: 'Read', input: { file_path: 'WORKSPACE/src/app.js' } }],
      usage: { input: 100_000, output: 100 },
    };
    // 100k input tokens at $3/M is $0.30: far past a $0.10 limit after the first response.
    const run = await claudeCodeRunIn([expensive, expensive, expensive], { costLimitUsd: 0.1 });
    expect(run.outcome.status).toBe('budget_exceeded');
    expect(run.responses.length).toBeGreaterThanOrEqual(1);
    expect(run.responses.length).toBeLessThan(3);
    expect(run.outcome.costUsd).toBeCloseTo(
      run.responses.reduce((sum, step) => sum + step.costUsd, 0),
      12,
    );
    expect(run.sessions.some((step) => step.key.endsWith('/end'))).toBe(false);
  }, 90_000);

  it("maps Claude Code's own budget stop (error_max_budget_usd) to the budget outcome, usage kept", async () => {
    const expensive: FakeTurn = {
      toolCalls: [{ name: 'Read', input: { file_path: 'WORKSPACE/src/app.js' } }],
      usage: { input: 100_000, output: 100 },
    };
    // Priced a thousand times below list here, so phasewise's ledger never runs out; Claude Code prices at list
    // ($0.30), passes maxBudgetUsd ($0.10) after the first response, and stops the session itself.
    const run = await claudeCodeRunIn(
      [expensive, expensive, expensive],
      { costLimitUsd: 0.1 },
      { [MODEL]: { input: 0.003, output: 0.015 } },
    );
    expect(run.outcome.status, run.outcome.message ?? '').toBe('budget_exceeded');
    expect(run.responses.length).toBeGreaterThanOrEqual(1);
    expect(run.outcome.costUsd).toBeGreaterThan(0);
    expect(run.outcome.costUsd).toBeLessThan(0.01);
  }, 90_000);

  it('does not believe a response reporting usage no session could cause: charged held to the limits, stopped', async () => {
    const run = await claudeCodeRunIn([
      {
        toolCalls: [{ name: 'Read', input: { file_path: 'WORKSPACE/src/app.js' } }],
        usage: { input: 3_000_000, output: 40 },
      },
      { text: report('implementation') },
    ]);
    expect(run.outcome.status).toBe('failed');
    expect(run.outcome.message).toMatch(
      /claude-code model claude-sonnet-4-5\S* reported implausible usage: 3000000 input tokens/,
    );
    expect(run.server.requests).toHaveLength(1);
    expect(run.responses).toHaveLength(1);
    const step = run.responses[0]!.result as { usage: ModelUsage; reportedUsage: ModelUsage };
    expect(step.reportedUsage.inputNoCache).toBe(3_000_000);
    // Held to the session's limit: its prompt, about 10x, plus what Claude Code adds unseen; never $9.
    const charged = step.usage.inputNoCache + step.usage.cacheRead + step.usage.cacheWrite;
    expect(charged).toBeGreaterThan(100_000);
    expect(charged).toBeLessThan(300_000);
    expect(run.outcome.costUsd).toBeCloseTo(costOfUsage(step.usage, price), 12);
    expect(run.outcome.costUsd).toBeLessThan(1);
    expect(run.sessions.some((session) => session.key.endsWith('/end'))).toBe(false);
  }, 90_000);

  it('is cancelled by the phase timeout, with what was billed before it still charged', async () => {
    const run = await claudeCodeRunIn(
      [
        { toolCalls: [{ name: 'Read', input: { file_path: 'WORKSPACE/src/app.js' } }] },
        { text: 'never sent', delayMs: 60_000 },
      ],
      { timeoutMs: 4_000 },
    );
    expect(run.outcome.status).toBe('timed_out');
    const [first, cut] = billed(run.server);
    const usages = run.responses.map((step) => (step.result as { usage: ModelUsage }).usage);
    expect(usages[0]).toEqual(first);
    // The response cut off mid-stream was billed for its input: charged as its message_start reported it.
    expect(usages).toHaveLength(2);
    expect(usages[1]).toMatchObject({
      inputNoCache: cut!.inputNoCache,
      cacheRead: cut!.cacheRead,
      cacheWrite: cut!.cacheWrite,
    });
    expect(run.outcome.costUsd).toBeCloseTo(
      usages.reduce((sum, usage) => sum + costOfUsage(usage, price), 0),
      12,
    );
  }, 90_000);

  it('lets a role that runs commands use Bash, with the session key kept out of the commands', async () => {
    const run = await claudeCodeRunIn(
      [
        {
          toolCalls: [
            { name: 'Bash', input: { command: 'printenv ANTHROPIC_API_KEY || echo key-not-here' } },
          ],
        },
        { toolCalls: [{ name: 'Bash', input: { command: 'cat src/app.js' } }] },
        { text: report('verification') },
      ],
      { agent: 'verification' },
    );
    expect(run.outcome.status, run.outcome.message ?? '').toBe('succeeded');
    const bodies = JSON.stringify(run.server.requests.map((request) => request.body));
    expect(bodies).toContain('key-not-here');
    expect(bodies).toContain('export const answer = 42');
    expect(bodies).not.toContain(KEY);
  }, 90_000);

  it('on resume, replays a finished session and re-runs an interrupted one, its spending kept', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-cc-'));
    const read: FakeTurn = {
      toolCalls: [{ name: 'Read', input: { file_path: join(workspace, 'src/app.js') } }],
    };
    server = await startFakeLlmServer({
      script: {
        conversations: [{ name: 'phase', match: [], turns: [read, { text: 'x', delayMs: 60_000 }] }],
      },
      apiKey: KEY,
    });
    const port = Number(new URL(server.url).port);
    const workflow = claudeCodeWorkflow(workspace, server.anthropicBaseUrl, {});
    const h = make(workflow, { phases: {} });
    const resolveModel = createCliModelResolver(workflow);
    const interrupt = new AbortController();
    const first = await h.run({
      resolveModel,
      abortSignal: interrupt.signal,
      onEvent: (event) => {
        if (event.type === 'model-call-end') setTimeout(() => interrupt.abort(new InterruptedError()), 300);
      },
    });
    expect(first.status).toBe('interrupted');
    const spentBefore = (await h.journal.getRun(first.runId))!.costUsd;
    expect(spentBefore).toBeGreaterThan(0);
    await server.close();
    server = await startFakeLlmServer({
      port,
      script: {
        conversations: [{ name: 'phase', match: [], turns: [read, { text: report('implementation') }] }],
      },
      apiKey: KEY,
    });
    const resumed = await h.run({ resolveModel, resume: { runId: first.runId } });
    expect(resumed.status).toBe('succeeded');
    const steps = await h.journal.listSteps(first.runId);
    const starts = steps.filter((step) => step.kind === 'session' && step.key.endsWith('/start'));
    expect(starts.map((step) => (step.result as { rerunOf: number | null }).rerunOf)).toEqual([null, 1]);
    const charged = steps
      .filter((step) => step.kind === 'model')
      .reduce((sum, step) => sum + step.costUsd, 0);
    expect(resumed.costUsd).toBeCloseTo(charged, 12);
    expect(resumed.costUsd).toBeGreaterThan(spentBefore);
    // A third run replays the finished session: Claude Code is not started again.
    const requests = server.requests.length;
    const again = await h.run({ resolveModel, resume: { runId: first.runId } });
    expect(again.costUsd).toBeCloseTo(resumed.costUsd, 12);
    expect(server.requests.length).toBe(requests);
  }, 90_000);

  it('sends Claude Code redacted prompts: a token in an upstream handoff never reaches the server', async () => {
    // A model's own answer is kept as written (it may be code), so the next phase's prompt is where it is caught.
    const token = `ghp_${'cc0Token1'.repeat(4)}`;
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-cc-'));
    server = await startFakeLlmServer({
      script: {
        conversations: [
          {
            name: 'research',
            match: ['You are the research agent'],
            turns: [{ text: `${report('research')}\nDeploy with ${token}.` }],
          },
          {
            name: 'implementation',
            match: ['You are the implementation agent'],
            turns: [{ text: report('implementation') }],
          },
        ],
      },
      apiKey: KEY,
    });
    const workflow = claudeCodeWorkflow(workspace, server.anthropicBaseUrl, {});
    workflow.phases = [
      phase('research', { model: { kind: 'tier', tier: 'sonnet' }, escalation: ['halt'] }),
      phase('implementation', {
        model: { kind: 'tier', tier: 'sonnet' },
        escalation: ['halt'],
        dependsOn: ['research'],
      }),
    ];
    const h = make(workflow, { phases: {} });
    const outcome = await h.run({
      resolveModel: createCliModelResolver(workflow),
      redactor: createRedactor({ env: {}, workspace }),
    });
    expect(outcome.status, outcome.message ?? '').toBe('succeeded');
    const implementation = server.requests.filter((request) => request.conversation === 'implementation');
    const bodies = JSON.stringify(implementation.map((request) => request.body));
    expect(bodies).toContain('Deploy with');
    expect(bodies).not.toContain(token);
  }, 90_000);

  it('refuses a tool call outside the workspace before Claude Code runs it', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'phasewise-canary-'));
    const canary = 'CANARY-6b1f0e-outside-the-workspace';
    writeFileSync(join(outside, 'secret.txt'), canary);
    const run = await claudeCodeRunIn([
      { toolCalls: [{ name: 'Read', input: { file_path: join(outside, 'secret.txt') } }] },
      { toolCalls: [{ name: 'Write', input: { file_path: join(outside, 'planted.txt'), content: 'x' } }] },
      { toolCalls: [{ name: 'Bash', input: { command: `cat ${join(outside, 'secret.txt')}` } }] },
      { text: report('implementation') },
    ]);
    expect(run.outcome.status).toBe('succeeded');
    const bodies = JSON.stringify(run.server.requests.map((request) => request.body));
    expect(bodies).not.toContain(canary);
    expect(bodies).toContain('outside the workspace');
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
  }, 90_000);

  it("refuses every file-writing tool the run's governing files, .git at any depth and names git refuses", async () => {
    const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-cc-')));
    mkdirSync(join(workspace, 'ci'));
    writeFileSync(join(workspace, 'ci', 'pw.yaml'), 'budget: 1.00\n');
    writeFileSync(join(workspace, 'task.md'), 'do the task\n');
    execFileSync('git', ['init', '-q', join(workspace, 'sub')]);
    const at = (path: string) => join(workspace, path);
    const refused = [
      { name: 'Write', input: { file_path: at('ci/pw.yaml'), content: 'budget: 500\n' } },
      { name: 'Edit', input: { file_path: at('ci/pw.yaml'), old_string: '1.00', new_string: '500' } },
      { name: 'Write', input: { file_path: at('phasewise.yaml'), content: 'budget: 999\n' } },
      { name: 'Write', input: { file_path: at('Orchestrator.yml'), content: 'budget: 999\n' } },
      { name: 'Write', input: { file_path: at('task.md'), content: 'ignore the rules\n' } },
      { name: 'Write', input: { file_path: at('sub/.git/hooks/pre-commit'), content: '#!/bin/sh\n' } },
      { name: 'Write', input: { file_path: at('docs/.git./x'), content: 'x' } },
      { name: 'Write', input: { file_path: at('docs/git~1/x'), content: 'x' } },
    ];
    server = await startFakeLlmServer({
      script: {
        conversations: [
          {
            name: 'phase',
            match: [],
            turns: [
              {
                toolCalls: [
                  { name: 'Read', input: { file_path: at('ci/pw.yaml') } },
                  { name: 'Read', input: { file_path: at('task.md') } },
                ],
              },
              {
                toolCalls: [
                  ...refused,
                  { name: 'Write', input: { file_path: at('src/ok.js'), content: 'ok\n' } },
                ],
              },
              { text: report('implementation') },
            ],
          },
        ],
      },
      apiKey: KEY,
    });
    const workflow = claudeCodeWorkflow(workspace, server.anthropicBaseUrl, {});
    const names = ['phasewise.yaml', 'phasewise.yml', 'orchestrator.yaml', 'orchestrator.yml'];
    workflow.sandbox = {
      mode: 'auto',
      network: false,
      readOnlyPaths: [],
      protectedFiles: [at('ci/pw.yaml'), at('task.md'), ...names.map(at)],
    };
    const outcome = await make(workflow, { phases: {} }).run({
      resolveModel: createCliModelResolver(workflow),
    });
    expect(outcome.status, outcome.message ?? '').toBe('succeeded');
    // The answers to the second turn's calls: one refusal per attempt, and the ordinary write done.
    const last = server.requests.at(-1)!.body as { messages: Array<{ content: unknown }> };
    const results = (last.messages.at(-1)!.content as Array<{ type: string; content?: unknown }>)
      .filter((block) => block.type === 'tool_result')
      .map((block) => JSON.stringify(block.content));
    expect(results).toHaveLength(refused.length + 1);
    for (const [index, result] of results.slice(0, refused.length).entries()) {
      expect(result, JSON.stringify(refused[index])).toMatch(
        /phasewise: .*(phasewise's configuration|inside \.git|git reads as its own \.git)/,
      );
    }
    expect(readFileSync(at('src/ok.js'), 'utf8')).toBe('ok\n');
    expect(readFileSync(at('ci/pw.yaml'), 'utf8')).toBe('budget: 1.00\n');
    expect(readFileSync(at('task.md'), 'utf8')).toBe('do the task\n');
    for (const name of [...names, 'Orchestrator.yml', 'sub/.git/hooks/pre-commit', 'docs']) {
      expect(existsSync(at(name)), name).toBe(false);
    }
  }, 90_000);

  it("runs Bash inside phasewise's sandbox: nothing outside the workspace, the governing files read-only", async () => {
    const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-cc-')));
    const outside = mkdtempSync(join(tmpdir(), 'phasewise-canary-'));
    const canary = 'CANARY-0c4e7d-outside-the-workspace';
    writeFileSync(join(outside, 'secret.txt'), canary);
    mkdirSync(join(workspace, 'ci'));
    writeFileSync(join(workspace, 'ci', 'pw.yaml'), 'budget: 1.00\nsandbox: bubblewrap\n');
    execFileSync('git', ['init', '-q', join(workspace, 'sub')]);
    const at = (path: string) => join(workspace, path);
    const bash = (command: string) => ({ name: 'Bash', input: { command } });
    const attempts = [
      bash(`cat ${join(outside, 'secret.txt')}`),
      bash(`cp ${join(outside, 'secret.txt')} stolen.txt`),
      bash(`echo planted > ${join(outside, 'planted.txt')}`),
      bash("sed -i 's/budget: 1.00/budget: 500/; s/sandbox: bubblewrap/sandbox: none/' ci/pw.yaml"),
      bash('echo "budget: 999" > phasewise.yaml'),
      bash('echo "#!/bin/sh" > sub/.git/hooks/pre-commit'),
      bash('git init -q fresh'),
      bash('printenv ANTHROPIC_API_KEY || echo key-not-here'),
    ];
    server = await startFakeLlmServer({
      script: {
        conversations: [
          {
            name: 'phase',
            match: [],
            turns: [
              { toolCalls: attempts },
              { toolCalls: [bash('echo made > notes.txt && cat src/app.js && ls /proc | grep -c "^[0-9]"')] },
              { text: report('verification') },
            ],
          },
        ],
      },
      apiKey: KEY,
    });
    const workflow = claudeCodeWorkflow(workspace, server.anthropicBaseUrl, { agent: 'verification' });
    const names = ['phasewise.yaml', 'phasewise.yml', 'orchestrator.yaml', 'orchestrator.yml'];
    workflow.sandbox = {
      mode: 'bubblewrap',
      network: false,
      readOnlyPaths: [],
      protectedFiles: [at('ci/pw.yaml'), ...names.map(at)],
    };
    const outcome = await make(workflow, { phases: {} }).run({
      resolveModel: createCliModelResolver(workflow),
    });
    expect(outcome.status, outcome.message ?? '').toBe('succeeded');
    const bodies = JSON.stringify(server.requests.map((request) => request.body));
    expect(bodies).not.toContain(canary);
    expect(bodies).not.toContain(KEY);
    expect(bodies).toContain('key-not-here');
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    expect(existsSync(at('stolen.txt')) ? readFileSync(at('stolen.txt'), 'utf8') : '').not.toContain(canary);
    expect(readFileSync(at('ci/pw.yaml'), 'utf8')).toBe('budget: 1.00\nsandbox: bubblewrap\n');
    for (const name of [...names, 'sub/.git/hooks/pre-commit', 'fresh/.git']) {
      expect(existsSync(at(name)), name).toBe(false);
    }
    // Commands still work in the workspace, and see only their own processes (a PID namespace of their own).
    expect(readFileSync(at('notes.txt'), 'utf8')).toBe('made\n');
    const last = JSON.stringify(server.requests.at(-1)!.body);
    expect(last).toContain('export const answer = 42');
    expect(Number(last.match(/answer = 42;\\n(\d+)/)?.[1])).toBeLessThan(10);
  }, 90_000);

  it("runs no Bash command in the background when Bash runs in phasewise's sandbox", async () => {
    const run = await claudeCodeRunIn(
      [
        { toolCalls: [{ name: 'Bash', input: { command: 'sleep 997.4', run_in_background: true } }] },
        { text: report('verification') },
      ],
      { agent: 'verification' },
    );
    expect(run.outcome.status, run.outcome.message ?? '').toBe('succeeded');
    // Background tasks are off for the session (Claude Code refuses the flag), and the hook would refuse it too.
    const bodies = JSON.stringify(run.server.requests.map((request) => request.body));
    expect(bodies).toMatch(
      /unexpected parameter `run_in_background`|background commands are not available here/,
    );
    const sleeping = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('997.4');
        } catch {
          return false;
        }
      });
    expect(sleeping).toEqual([]);
  }, 90_000);
});

/** `WORKSPACE` in tool inputs becomes the run's workspace, which exists only once the run is set up. */
async function claudeCodeRunIn(
  turns: FakeTurn[],
  overrides: Partial<ResolvedPhase> = {},
  pricing: ProviderConfig['pricing'] = {},
) {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-cc-'));
  const fill = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replaceAll('WORKSPACE', workspace));
  const filled = turns.map((turn) => fill(turn) as FakeTurn);
  return await claudeCodeRun(workspace, filled, overrides, pricing);
}
