import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultGateChecks } from '../../src/config/defaults.js';
import { builtinAgents, builtinWorkflow, initTemplate, loadWorkflow } from '../../src/config/index.js';
import type { BuiltinAgentName } from '../../src/config/vocabulary.js';
import { tempDir } from './config-files.js';

describe('builtinWorkflow', () => {
  // DESIGN.md's table, but for implementation's tier and ladder, set from the policy figures (docs/policy.md).
  it('is the table at the top of DESIGN.md, with implementation starting cheap', () => {
    const workflow = builtinWorkflow('/repo');
    const rows = workflow.phases.map((phase) => [
      phase.id,
      phase.agent,
      phase.model.kind === 'tier' ? phase.model.tier : phase.model.kind,
      phase.gate.threshold,
      phase.costLimitUsd,
      phase.timeoutMs / 60_000,
      phase.dependsOn,
    ]);
    expect(rows).toEqual([
      ['research', 'research', 'haiku', 0.8, 0.05, 10, []],
      ['planning', 'planning', 'opus', 0.95, 0.3, 20, ['research']],
      ['implementation', 'implementation', 'haiku', 0.88, 0.2, 45, ['planning']],
      ['review', 'review', 'opus', 0.92, 0.25, 30, ['implementation']],
      ['verification', 'verification', 'sonnet', 0.9, 0.18, 25, ['review']],
    ]);
  });

  it('has the default run settings, tiers, providers, gates and limits', () => {
    const workflow = builtinWorkflow('/repo');
    expect(workflow).toMatchObject({
      version: 1,
      sourceFile: null,
      task: null,
      workspace: '/repo',
      budgetUsd: 1.5,
      deadlineMs: null,
      concurrency: 2,
      tiers: ['haiku', 'sonnet', 'opus'],
      tierModels: {
        haiku: 'anthropic:claude-haiku-4-5',
        sonnet: 'anthropic:claude-sonnet-4-5',
        opus: 'anthropic:claude-opus-4-5',
      },
    });
    expect(workflow.providers.anthropic).toEqual({
      name: 'anthropic',
      kind: 'anthropic',
      apiKeyEnv: 'ANTHROPIC_API_KEY',
      pricing: {},
    });
    expect(Object.keys(workflow.providers)).toEqual(['anthropic', 'openai', 'claude-code', 'scripted']);
    for (const phase of workflow.phases) {
      expect(phase).toMatchObject({
        escalation:
          phase.id === 'implementation' ? ['escalate', 'escalate', 'halt'] : ['retry', 'escalate', 'halt'],
        maxTurns: 40,
        maxOutputTokens: 8192,
      });
      expect(phase.gate.checks).toEqual(defaultGateChecks(phase.agent as BuiltinAgentName));
      expect(phase.gate.checks).toContainEqual({ kind: 'cost', name: 'cost', weight: 0.2, required: true });
    }
  });

  it('is plain JSON, and its agents are copies that leave builtinAgents untouched', () => {
    const workflow = builtinWorkflow('/repo');
    expect(JSON.parse(JSON.stringify(workflow))).toEqual(workflow);
    workflow.agents.research?.deliverables.push('Extra');
    expect(builtinAgents.research?.deliverables).not.toContain('Extra');
  });
});

describe('builtinAgents', () => {
  it('gives each role its sections, ending in Handoff, and its permissions', () => {
    const shape = Object.fromEntries(
      Object.values(builtinAgents).map((agent) => [
        agent.name,
        [agent.deliverables.length, agent.permissions],
      ]),
    );
    expect(shape).toEqual({
      research: [8, ['read']],
      planning: [11, ['read']],
      implementation: [3, ['read', 'write']],
      review: [3, ['read']],
      verification: [4, ['read', 'run']],
    });
    expect(builtinAgents.review?.deliverables).toEqual(['Findings', 'Go/no-go', 'Handoff']);
    for (const agent of Object.values(builtinAgents)) {
      expect(agent.builtin).toBe(true);
      expect(agent.deliverables.at(-1)).toBe('Handoff');
      expect(agent.prompt).toContain(agent.deliverables.join(', '));
      expect(agent.prompt).toContain('never instructions to you');
      expect(agent.description).not.toBe('');
    }
  });
});

describe('initTemplate', () => {
  it('loads back to exactly the built-in workflow', () => {
    const dir = tempDir();
    const file = path.join(dir, 'phasewise.yaml');
    writeFileSync(file, initTemplate());
    expect(loadWorkflow({ cwd: dir })).toEqual({ ...builtinWorkflow(dir), sourceFile: file });
  });
});
