/**
 * The `bugfix` template end to end (the CLI in a subprocess, a real git repository, the fake LLM server): a
 * reproduction whose test passes is refused by the gate, so no fix is attempted; a fix that rewrites the test is
 * refused; a failing test, then a fix that leaves the tests alone, runs the whole template through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { makeGitWorkspace } from '../support/e2e-workspace.js';
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

const TASK = 'health() must report ok: true; it is missing';
const research = phase('research', 'File map', [{ text: report(builtinAgents.research!.deliverables) }]);
const HEALTH_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { health } from '../src/health.js';

test('health reports ok', () => assert.deepEqual(health(), { ok: true }));
`;
const PASSING_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';

test('health reports ok', () => assert.ok(true));
`;
const reproduceReport = report(['Reproduction', 'Failing test', 'Handoff'], {
  'Failing test': '`test/health.test.js` fails: `src/health.js` does not exist.',
});

describe('the bugfix template', () => {
  it('refuses a reproduction whose test does not fail, and never starts the fix', async () => {
    server = await startFakeLlmServer({
      apiKey: TEMPLATE_E2E_KEY,
      script: {
        conversations: [
          research,
          phase('reproduce', 'Failing test', [
            call('write', { path: 'test/health.test.js', content: PASSING_TEST }),
            { text: reproduceReport },
          ]),
        ],
      },
    });
    const workspace = makeGitWorkspace();
    writeTemplateConfig(
      workspace,
      'bugfix',
      server.anthropicBaseUrl,
      'phases:\n  reproduce: { escalation: [halt] }\n',
    );
    const run = await runTemplate(workspace, TASK);
    expect(server.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(3);
    expect(phasesStarted(run)).toEqual(['research', 'reproduce']);
    const gate = lastGate(run, 'reproduce');
    expect(gate['test-only']).toMatchObject({ passed: true });
    expect(gate['test-fails']).toMatchObject({ passed: false });
    expect(gate['test-fails']?.message).toContain('expected it to fail');
  });

  it('refuses a fix that weakens the test instead of fixing the code', async () => {
    server = await startFakeLlmServer({
      apiKey: TEMPLATE_E2E_KEY,
      script: {
        conversations: [
          research,
          phase('reproduce', 'Failing test', [
            call('write', { path: 'test/health.test.js', content: HEALTH_TEST }),
            { text: reproduceReport },
          ]),
          phase('fix', 'Cause', [
            call('write', { path: 'src/health.js', content: 'export const health = () => ({});\n' }),
            call('write', { path: 'test/health.test.js', content: PASSING_TEST }),
            { text: report(['Cause', 'Fix', 'Handoff']) },
          ]),
        ],
      },
    });
    const workspace = makeGitWorkspace();
    writeTemplateConfig(
      workspace,
      'bugfix',
      server.anthropicBaseUrl,
      'phases:\n  fix: { escalation: [halt] }\n',
    );
    const run = await runTemplate(workspace, TASK);
    expect(server.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(3);
    expect(phasesStarted(run)).toEqual(['research', 'reproduce', 'fix']);
    const gate = lastGate(run, 'fix');
    expect(gate['tests-untouched']).toMatchObject({ passed: false });
    expect(gate['tests-untouched']?.message).toContain('test/health.test.js');
    // The weakened suite passes: only the rule on the tests catches the cheat.
    expect(gate['tests-pass']).toMatchObject({ passed: true });
  });

  it('runs through: a failing test first, then a fix that leaves the tests alone and passes them', async () => {
    server = await startFakeLlmServer({
      apiKey: TEMPLATE_E2E_KEY,
      script: {
        conversations: [
          research,
          phase('reproduce', 'Failing test', [
            call('write', { path: 'test/health.test.js', content: HEALTH_TEST }),
            call('run_command', { command: 'npm test' }),
            { text: reproduceReport },
          ]),
          phase('fix', 'Cause', [
            call('write', {
              path: 'src/health.js',
              content: 'export const health = () => ({ ok: true });\n',
            }),
            { text: report(['Cause', 'Fix', 'Handoff']) },
          ]),
          phase('verification', 'Checks run', [
            call('run_command', { command: 'npm test' }),
            { text: report(builtinAgents.verification!.deliverables, { 'Go/no-go': 'Go.' }) },
          ]),
        ],
      },
    });
    const workspace = makeGitWorkspace();
    writeTemplateConfig(workspace, 'bugfix', server.anthropicBaseUrl);
    const run = await runTemplate(workspace, TASK);
    expect(server.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
    expect(phasesStarted(run)).toEqual(['research', 'reproduce', 'fix', 'verification']);
    expect(lastGate(run, 'reproduce')['test-fails']).toMatchObject({ passed: true });
    expect(lastGate(run, 'fix')['tests-untouched']).toMatchObject({ passed: true });
    expect(lastGate(run, 'fix')['tests-pass']).toMatchObject({ passed: true });
    expect(lastGate(run, 'verification')['tests-pass']).toMatchObject({ passed: true });
  });
});
