/**
 * The gates of the refactor, docs, security, performance and feature templates doing their job, end to end
 * (the CLI in a subprocess, a real git repository, the fake LLM server): a refactor that edits a test, a docs
 * change outside the docs paths and a final benchmark without its figures are each refused; an audit stays
 * read-only; the feature template runs the five phases as the built-in workflow does.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { type FakeConversation, type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { e2eScript, makeGitWorkspace } from '../support/e2e-workspace.js';
import {
  call,
  lastGate,
  phase,
  phasesStarted,
  report,
  runTemplate,
  TEMPLATE_E2E_KEY,
  writeTemplateConfig,
} from '../support/template-e2e.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const research = phase('research', 'File map', [{ text: report(builtinAgents.research!.deliverables) }]);

async function serve(conversations: FakeConversation[]): Promise<FakeLlmServer> {
  server = await startFakeLlmServer({ apiKey: TEMPLATE_E2E_KEY, script: { conversations } });
  return server;
}

function gitStatus(workspace: string): string {
  return execFileSync('git', ['status', '--porcelain'], { cwd: workspace, encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '' && !line.includes('phasewise.yaml') && !line.includes('.phasewise'))
    .join('\n');
}

describe('the refactor template', () => {
  it('refuses a refactor that changes a test', async () => {
    const fake = await serve([
      research,
      phase('refactor', 'Behaviour preserved', [
        call('write', { path: 'src/auth-errors.js', content: "export { AuthError } from './auth.js';\n" }),
        call('edit', {
          path: 'test/auth.test.js',
          old: "describe('auth'",
          new: "describe('auth (refactored)'",
        }),
        { text: report(['Refactoring', 'Behaviour preserved', 'Handoff']) },
      ]),
    ]);
    const workspace = makeGitWorkspace();
    writeTemplateConfig(
      workspace,
      'refactor',
      fake.anthropicBaseUrl,
      'phases:\n  refactor: { escalation: [halt] }\n',
    );
    const run = await runTemplate(workspace, 'Tidy src/auth.js without changing what it does');
    expect(fake.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(3);
    expect(phasesStarted(run)).toEqual(['research', 'refactor']);
    const gate = lastGate(run, 'refactor');
    expect(gate['tests-unchanged']).toMatchObject({ passed: false });
    expect(gate['tests-unchanged']?.message).toContain('changed forbidden paths');
    expect(gate['tests-unchanged']?.message).toContain('test/auth.test.js');
    expect(gate['tests-unchanged']?.message).not.toContain('src/auth-errors.js');
    // The suite itself still passes: it is the changed test, not a failure, that stops the refactor.
    expect(gate['tests-pass']).toMatchObject({ passed: true });
  });
});

describe('the docs template', () => {
  it('refuses a documentation change that touches code', async () => {
    const fake = await serve([
      research,
      phase('write', 'Pages changed', [
        call('write', { path: 'docs/sessions.md', content: '# Sessions\n\nSee `src/session-store.js`.\n' }),
        call('write', { path: 'src/sessions-doc.js', content: '// documented in docs/sessions.md\n' }),
        { text: report(['Pages changed', 'Sources', 'Handoff']) },
      ]),
    ]);
    const workspace = makeGitWorkspace();
    writeTemplateConfig(
      workspace,
      'docs',
      fake.anthropicBaseUrl,
      'phases:\n  write: { escalation: [halt] }\n',
    );
    const run = await runTemplate(workspace, 'Document how sessions are stored');
    expect(fake.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(3);
    expect(phasesStarted(run)).toEqual(['research', 'write']);
    const write = lastGate(run, 'write');
    expect(write['docs-only']).toMatchObject({ passed: false });
    expect(write['docs-only']?.message).toContain('changed outside the allowed paths');
    expect(write['docs-only']?.message).toContain('src/sessions-doc.js');
    expect(write['docs-only']?.message).not.toContain('docs/sessions.md');
  });
});

describe('the security template', () => {
  it('stays read-only (run --template with a user template extending it): the auditor cannot write, the workspace is unchanged', async () => {
    const finding =
      '```json\n[{"severity": "high", "file": "src/auth.js", "line": 1, "issue": "no rate limit on login", ' +
      '"evidence": "login() accepts unlimited attempts", "fix": "limit attempts per user"}]\n```';
    const fake = await serve([
      research,
      phase('audit', 'Scope', [
        call('write', { path: 'src/auth.js', content: 'patched' }),
        call('read', { path: 'src/auth.js' }),
        { text: report(['Scope', 'Findings', 'Handoff'], { Findings: finding }) },
      ]),
      phase('triage', 'Fix order', [
        { text: report(['Confirmed', 'Findings', 'Fix order', 'Handoff'], { Findings: finding }) },
      ]),
    ]);
    const workspace = makeGitWorkspace();
    // No phasewise.yaml: a template of the user's own, extending security, run by name.
    writeTemplateConfig(workspace, 'security', fake.anthropicBaseUrl, '', '.phasewise/templates/audit.yaml');
    const run = await runTemplate(workspace, 'Audit the login flow', ['--template', 'audit']);
    expect(fake.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
    expect(phasesStarted(run)).toEqual(['research', 'audit', 'triage']);
    const refused = run.events.find((event) => event.type === 'tool-call-end' && event.phaseId === 'audit');
    expect(refused).toMatchObject({ tool: 'write', ok: false });
    expect(gitStatus(workspace)).toBe('');
    const audit = lastGate(run, 'audit');
    expect(audit['read-only']).toMatchObject({ passed: true });
    expect(audit.findings).toMatchObject({ passed: true });
    expect(lastGate(run, 'triage').findings).toMatchObject({ passed: true });
  });
});

describe('the performance template', () => {
  it('refuses a final measurement that does not state the figures', async () => {
    const fake = await serve([
      research,
      phase('optimize', 'Expected effect', [
        call('write', { path: 'src/login-cache.js', content: 'export const loginCache = new Map();\n' }),
        { text: report(['Changes', 'Expected effect', 'Handoff']) },
      ]),
      // Baseline and measurement share the benchmarker; the measurement's prompt carries the optimize handoff.
      {
        name: 'measure',
        match: ['## Figures', 'optimize'],
        turns: [{ text: report(['Benchmark', 'Figures', 'Handoff'], { Figures: 'Faster than before.' }) }],
      },
      phase('baseline', 'Figures', [
        call('run_command', { command: 'node --test' }),
        {
          text: report(['Benchmark', 'Figures', 'Handoff'], {
            Figures: '**Before:** 120 ms per login (median of 5)',
          }),
        },
      ]),
    ]);
    const workspace = makeGitWorkspace();
    writeTemplateConfig(
      workspace,
      'performance',
      fake.anthropicBaseUrl,
      'phases:\n  measure: { escalation: [halt] }\n',
    );
    const run = await runTemplate(workspace, 'Make login faster');
    expect(fake.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(3);
    expect(phasesStarted(run)).toEqual(['research', 'baseline', 'optimize', 'measure']);
    expect(lastGate(run, 'baseline')['baseline-figure']).toMatchObject({ passed: true });
    expect(lastGate(run, 'optimize')['tests-pass']).toMatchObject({ passed: true });
    const measure = lastGate(run, 'measure');
    expect(measure['benchmark-figures']).toMatchObject({ passed: false });
    expect(measure['benchmark-figures']?.message).toContain('does not state');
  });
});

describe('the feature template', () => {
  it('runs the five phases as the built-in workflow does', async () => {
    const fake = await serve(e2eScript().conversations);
    const workspace = makeGitWorkspace();
    writeTemplateConfig(workspace, 'feature', fake.anthropicBaseUrl);
    const run = await runTemplate(workspace, 'Add a health check module with a test');
    expect(fake.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
    expect(phasesStarted(run)).toEqual(['research', 'planning', 'implementation', 'review', 'verification']);
    for (const id of ['research', 'planning', 'implementation', 'review', 'verification']) {
      expect(
        Object.values(lastGate(run, id)).every((check) => check.passed),
        id,
      ).toBe(true);
    }
  });
});
