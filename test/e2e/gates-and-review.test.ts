/**
 * Gates, escalation, the review loop, manual review and verification's verdict, end to end: the CLI in a
 * subprocess, a real git repository and real tools, the Anthropic client against the fake LLM server.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import {
  type FakeLlmScript,
  type FakeLlmServer,
  type FakeTurn,
  startFakeLlmServer,
} from '../../src/testing/index.js';
import { cli, startCli } from '../support/cli.js';
import { makeGitWorkspace } from '../support/e2e-workspace.js';

const KEY = 'e2e-gates-key';
let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function reportOf(role: string, extra: Record<string, string> = {}, skip: string[] = []): string {
  return builtinAgents[role]!.deliverables.filter((section) => !skip.includes(section))
    .map((section) => `## ${section}\n${extra[section] ?? `${role} notes on ${section.toLowerCase()}.`}`)
    .join('\n\n');
}

const call = (name: string, input: unknown): FakeTurn => ({ toolCalls: [{ name, input }] });
const noFindings = '```json\n[]\n```';
const criticalFinding =
  '```json\n[{"severity": "critical", "file": "src/health.js", "line": 1, "issue": "health reports ok even when the store is down", "fix": "check the store"}]\n```';

function config(baseUrl: string, extra = ''): string {
  return `version: 1
task: Add a health check module with tests.
budget: 3.00
models:
  tiers: [haiku, sonnet, opus]
  haiku: vendor:claude-haiku-4-5
  sonnet: vendor:claude-sonnet-4-5
  opus: vendor:claude-opus-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: E2E_GATES_KEY }
${extra}`;
}

async function runCli(args: string[], workspace: string) {
  return startCli(args, { cwd: workspace, env: { E2E_GATES_KEY: KEY } }).done;
}

describe('gates, escalation, the review loop and verification', () => {
  it('retries, escalates, refuses a research write, loops review back, and ends no-go on a broken suite', async () => {
    const planning = (attemptNote: string[], text: string) => ({
      name: `planning ${attemptNote}`,
      match: ['## Executive summary', ...attemptNote],
      turns: [{ text }],
    });
    const script: FakeLlmScript = {
      conversations: [
        {
          name: 'research',
          match: ['## File map'],
          turns: [
            call('write', { path: 'notes.md', content: 'research notes' }),
            { text: reportOf('research') },
          ],
        },
        // Attempt 3 (escalated to opus) passes; attempts 1 and 2 forget sections. Later conversations are matched
        // first, so the feedback that names the previous attempt picks the answer.
        planning(['previous attempt (2)'], reportOf('planning')),
        planning(['previous attempt (1)'], reportOf('planning', {}, ['Risks'])),
        planning([], reportOf('planning', {}, ['Risks', 'Migration'])),
        {
          name: 'implementation, round 2',
          match: ['## Changes', 'critical findings to fix'],
          turns: [
            call('write', {
              path: 'src/health.js',
              content: 'export const health = (store) => ({ ok: store.ready() });\n',
            }),
            { text: reportOf('implementation') },
          ],
        },
        {
          name: 'implementation',
          match: ['## Changes'],
          turns: [
            call('write', {
              path: 'src/health.js',
              content: 'export const health = () => ({ ok: true });\n',
            }),
            call('write', {
              path: 'test/broken.test.js',
              content:
                "import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('broken', () => assert.equal(1, 2));\n",
            }),
            { text: reportOf('implementation') },
          ],
        },
        {
          name: 'review, round 2',
          match: ['## Findings', 'handoff from implementation@2'],
          turns: [{ text: reportOf('review', { Findings: noFindings, 'Go/no-go': 'Go.' }) }],
        },
        {
          name: 'review',
          match: ['## Findings'],
          turns: [
            { text: reportOf('review', { Findings: criticalFinding, 'Go/no-go': 'No-go until fixed.' }) },
          ],
        },
        {
          name: 'verification',
          match: ['## Checks run'],
          turns: [
            call('run_command', { command: 'node --test' }),
            {
              text: reportOf('verification', {
                'Go/no-go': '**No-go**: the test suite fails (test/broken.test.js).',
              }),
            },
          ],
        },
      ],
    };
    server = await startFakeLlmServer({ script, apiKey: KEY });
    const workspace = makeGitWorkspace();
    writeFileSync(
      join(workspace, 'phasewise.yaml'),
      config(
        server.anthropicBaseUrl,
        `phases:
  research: {}
  planning: { model: sonnet, depends_on: research, escalation: [retry, escalate, halt] }
  implementation: { depends_on: planning }
  review: { depends_on: implementation }
  verification:
    depends_on: review
    quality_gate:
      threshold: 0.7
      checks:
        - { kind: sections, weight: 0.6 }
        - { kind: command, name: tests, command: "node --test", weight: 0.2 }
        - { kind: cost, weight: 0.2, required: true }
`,
      ),
    );
    const result = await runCli(['run', '--json'], workspace);
    expect(server.unexpected).toEqual([]);
    expect(result.code, result.stderr).toBe(3);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'run-end', status: 'no_go', exitCode: 3 });

    const decisions = events.filter(
      (event) => event.type === 'escalation-end' && event.phaseId === 'planning',
    );
    expect(decisions.map((event) => [event.action, event.toTier])).toEqual([
      ['retry', 'sonnet'],
      ['escalate', 'opus'],
    ]);
    const planningModels = events
      .filter((event) => event.type === 'attempt-start' && event.phaseId === 'planning')
      .map((event) => event.model);
    expect(planningModels).toEqual([
      'vendor:claude-sonnet-4-5',
      'vendor:claude-sonnet-4-5',
      'vendor:claude-opus-4-5',
    ]);

    const researchRefusal = events.find(
      (event) => event.type === 'tool-call-end' && event.phaseId === 'research',
    );
    expect(researchRefusal).toMatchObject({ tool: 'write', ok: false });
    expect(
      execFileSync('git', ['status', '--porcelain', 'notes.md'], { cwd: workspace, encoding: 'utf8' }),
    ).toBe('');

    const phaseStarts = events.filter((event) => event.type === 'phase-start').map((event) => event.phaseId);
    expect(phaseStarts).toEqual([
      'research',
      'planning',
      'implementation',
      'review',
      'implementation@2',
      'review@2',
      'verification',
    ]);

    const verificationGate = events.find(
      (event) => event.type === 'gate-end' && event.phaseId === 'verification',
    );
    const tests = verificationGate.checks.find((check: { name: string }) => check.name === 'tests');
    expect(tests).toMatchObject({ passed: false, score: 0 });
    expect(cli(['status', '--json'], { cwd: workspace }).stdout).toContain('"status":"no_go"');
  });

  it.each([
    ['approve', []],
    ['reject', ['--feedback', 'Add the risks of the migration.']],
  ] as const)('halts for review and continues after `%s`', async (action, extra) => {
    const script: FakeLlmScript = {
      conversations: [
        { name: 'research', match: ['## File map'], turns: [{ text: reportOf('research') }] },
        {
          name: 'planning after feedback',
          match: ['## Executive summary', 'Add the risks'],
          turns: [{ text: reportOf('planning') }],
        },
        {
          name: 'planning',
          match: ['## Executive summary'],
          turns: [{ text: reportOf('planning', {}, ['Risks']) }],
        },
      ],
    };
    server = await startFakeLlmServer({ script, apiKey: KEY });
    const workspace = makeGitWorkspace();
    writeFileSync(
      join(workspace, 'phasewise.yaml'),
      config(
        server.anthropicBaseUrl,
        'phases:\n  research: {}\n  planning: { depends_on: research, escalation: [halt] }\n',
      ),
    );
    const halted = await runCli(['run'], workspace);
    expect(halted.code, halted.stderr).toBe(3);
    const runId = /run (\S+) halted/.exec(halted.stderr)![1]!;
    const answered = await runCli([action, runId, ...extra], workspace);
    expect(answered.code, answered.stderr).toBe(0);
    expect(JSON.parse(cli(['status', runId, '--json'], { cwd: workspace }).stdout).status).toBe('succeeded');
    const planningRequests = server.requests.filter((request) =>
      JSON.stringify(request.body).includes('## Executive summary'),
    );
    expect(planningRequests).toHaveLength(action === 'approve' ? 1 : 2);
    expect(server.unexpected).toEqual([]);
  });

  it('retries a failed gate with the failed checks as feedback, and the retry passes', async () => {
    const script: FakeLlmScript = {
      conversations: [
        {
          name: 'research, retried',
          match: ['## File map', 'did not pass the quality gate'],
          turns: [{ text: reportOf('research') }],
        },
        {
          name: 'research',
          match: ['## File map'],
          turns: [
            { text: reportOf('research', {}, ['Security', 'Patterns', 'Performance', 'Dependencies']) },
          ],
        },
      ],
    };
    server = await startFakeLlmServer({ script, apiKey: KEY });
    const workspace = makeGitWorkspace();
    writeFileSync(
      join(workspace, 'phasewise.yaml'),
      config(server.anthropicBaseUrl, 'phases:\n  research: {}\n'),
    );
    const result = await runCli(['run', '--json'], workspace);
    expect(result.code, result.stderr).toBe(0);
    const gates = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((event) => event.type === 'gate-end');
    expect(gates.map((gate) => gate.passed)).toEqual([false, true]);
    const retry = server.requests.at(-1)!;
    expect(JSON.stringify(retry.body)).toContain('missing section(s)');
  });
});
