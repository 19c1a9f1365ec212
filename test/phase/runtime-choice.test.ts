/**
 * The phase runs each attempt with its model's runtime, chosen by the provider's kind: one workflow whose research
 * is on an `anthropic` provider and whose planning is on a `claude-code` one, both against the fake Anthropic
 * server — the first as the tool loop's model calls, the second as a Claude Code session (the real Agent SDK).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCliModelResolver } from '../../src/cli/models.js';
import type { ResolvedWorkflow } from '../../src/config/types.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();
const KEY_ENV = 'PHASEWISE_RUNTIME_TEST_KEY';
const KEY = 'runtime-test-key-0123456789';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function mixedWorkflow(baseUrl: string): ResolvedWorkflow {
  process.env[KEY_ENV] = KEY;
  const provider = { baseUrl, apiKeyEnv: KEY_ENV, pricing: {} };
  return {
    ...testWorkflow(),
    tiers: ['api', 'code'],
    tierModels: { api: 'api:claude-haiku-4-5', code: 'code:claude-haiku-4-5' },
    providers: {
      api: { name: 'api', kind: 'anthropic', ...provider },
      code: { name: 'code', kind: 'claude-code', ...provider },
    },
    phases: [
      phase('research', { model: { kind: 'tier', tier: 'api' }, escalation: ['halt'] }),
      phase('planning', {
        model: { kind: 'tier', tier: 'code' },
        escalation: ['halt'],
        dependsOn: ['research'],
      }),
    ],
  };
}

describe('the runtime of an attempt', () => {
  it('is the tool loop for an anthropic model and a Claude Code session for a claude-code one', async () => {
    server = await startFakeLlmServer({
      script: {
        conversations: [
          { name: 'loop', match: ['You are the research agent.'], turns: [{ text: report('research') }] },
          // Everything else is the session's (Claude Code may make calls of its own besides the phase's).
          { name: 'session', match: [], turns: [{ text: report('planning') }] },
        ],
      },
      apiKey: KEY,
    });
    const workflow = mixedWorkflow(server.anthropicBaseUrl);
    const h = make(workflow, { phases: {} });
    const outcome = await h.run({
      resolveModel: createCliModelResolver(workflow),
      tools: createWorkspaceTools(),
    });
    expect(outcome.phases.map((p) => [p.phaseId, p.status])).toEqual([
      ['research', 'passed'],
      ['planning', 'passed'],
    ]);
    const steps = await h.journal.listSteps(outcome.runId);
    const kindsOf = (phaseId: string) =>
      [...new Set(steps.filter((step) => step.phaseId === phaseId).map((step) => step.kind))].sort();
    // The tool loop journals its model turns; a session journals itself, then the responses it was charged.
    expect(kindsOf('research')).not.toContain('session');
    expect(steps.some((step) => step.key === 'research/a1/t1/model')).toBe(true);
    expect(kindsOf('planning')).toContain('session');
    expect(steps.filter((step) => step.key.startsWith('planning/a1/t'))).toEqual([]);
    const session = steps.find((step) => step.key === 'planning/a1/claude-code/s1/start');
    expect(session?.result).toMatchObject({ runtime: 'claude-code', model: 'claude-haiku-4-5' });
    // On the wire: the tool loop offers phasewise's own tools, Claude Code offers its own.
    const toolsOffered = (conversation: string) =>
      server!.requests
        .filter((request) => request.conversation === conversation)
        .flatMap((request) =>
          ((request.body as { tools?: Array<{ name: string }> }).tools ?? []).map((t) => t.name),
        );
    expect(toolsOffered('loop')).toContain('read');
    expect(toolsOffered('loop')).not.toContain('Read');
    expect(toolsOffered('session')).toContain('Read');
    expect(toolsOffered('session')).not.toContain('read');
  });
});
