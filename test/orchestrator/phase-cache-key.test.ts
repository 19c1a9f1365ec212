import { describe, expect, it } from 'vitest';
import type { ResolvedWorkflow } from '../../src/config/types.js';
import { type PhaseCacheKeyInputs, phaseCacheKey } from '../../src/orchestrator/phase-cache-key.js';
import { phase, testWorkflow } from '../support/workflow.js';

/** The key's inputs for a planning phase after research, in a workspace of two files. */
function inputs(): PhaseCacheKeyInputs {
  const workflow = testWorkflow({ workspace: '/tmp/ws', phases: [phase('research'), phase('planning')] });
  return {
    phase: workflow.phases[1]!,
    workflow,
    task: 'Move session auth to JWT',
    upstream: [{ phaseId: 'research', handoff: 'Sessions live in src/session.ts.', report: 'a1b2' }],
    workspace: { version: 1, kind: 'files', files: { 'src/session.ts': 'aaa', 'README.md': 'bbb' } },
  };
}

function withAgent(workflow: ResolvedWorkflow, change: Partial<ResolvedWorkflow['agents'][string]>) {
  const planning = workflow.agents.planning!;
  return { ...workflow, agents: { ...workflow.agents, planning: { ...planning, ...change } } };
}

const changes: [string, (base: PhaseCacheKeyInputs) => PhaseCacheKeyInputs][] = [
  [
    'the role (its permissions)',
    (b) => ({ ...b, workflow: withAgent(b.workflow, { permissions: ['read', 'write'] }) }),
  ],
  ['the role prompt', (b) => ({ ...b, workflow: withAgent(b.workflow, { prompt: 'You plan, briefly.' }) })],
  ['the deliverables', (b) => ({ ...b, workflow: withAgent(b.workflow, { deliverables: ['Plan'] }) })],
  ['the tier', (b) => ({ ...b, phase: { ...b.phase, model: { kind: 'tier', tier: 'medium' } } })],
  [
    "the tier's model",
    (b) => ({
      ...b,
      workflow: { ...b.workflow, tierModels: { ...b.workflow.tierModels, small: 'scripted:other' } },
    }),
  ],
  [
    'a model named directly',
    (b) => ({ ...b, phase: { ...b.phase, model: { kind: 'model', ref: 'scripted:large' } } }),
  ],
  ['the gate threshold', (b) => ({ ...b, phase: { ...b.phase, gate: { ...b.phase.gate, threshold: 0.8 } } })],
  [
    'a gate check',
    (b) => ({
      ...b,
      phase: {
        ...b.phase,
        gate: {
          ...b.phase.gate,
          checks: [...b.phase.gate.checks, { kind: 'work-items', name: 'items', weight: 0, required: true }],
        },
      },
    }),
  ],
  ['the escalation ladder', (b) => ({ ...b, phase: { ...b.phase, escalation: ['retry', 'halt'] } })],
  ['the task text', (b) => ({ ...b, task: 'Move session auth to JWT.' })],
  [
    'an upstream handoff',
    (b) => ({ ...b, upstream: [{ ...b.upstream[0]!, handoff: 'Sessions live in src/auth.ts.' }] }),
  ],
  ["an upstream phase's report", (b) => ({ ...b, upstream: [{ ...b.upstream[0]!, report: 'c3d4' }] })],
  [
    'one workspace file',
    (b) => ({
      ...b,
      workspace: { version: 1, kind: 'files', files: { 'src/session.ts': 'aab', 'README.md': 'bbb' } },
    }),
  ],
  [
    'the git tree',
    (b) => ({ ...b, workspace: { version: 1, kind: 'git', tree: 'f'.repeat(40), prefix: '' } }),
  ],
];

describe('the phase cache key', () => {
  it('is the same for identical inputs, built apart (object key order does not matter)', () => {
    const a = inputs();
    const b = inputs();
    const files = b.workspace.kind === 'files' ? b.workspace.files : {};
    const reordered = {
      ...b,
      workspace: {
        version: 1 as const,
        kind: 'files' as const,
        files: { 'README.md': files['README.md']!, 'src/session.ts': files['src/session.ts']! },
      },
    };
    expect(phaseCacheKey(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(phaseCacheKey(reordered)).toBe(phaseCacheKey(a));
  });

  it.each(changes)('changes when %s changes', (_name, change) => {
    const base = inputs();
    expect(phaseCacheKey(change(base))).not.toBe(phaseCacheKey(base));
  });

  it('ignores limits that do not change a passed phase’s work (cost, time)', () => {
    const base = inputs();
    expect(phaseCacheKey({ ...base, phase: { ...base.phase, costLimitUsd: 5, timeoutMs: 1 } })).toBe(
      phaseCacheKey(base),
    );
  });
});
