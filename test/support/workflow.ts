/** Hand-built resolved workflows for engine tests, independent of YAML loading. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentDefinition, ResolvedPhase, ResolvedWorkflow } from '../../src/config/types.js';

export const sectionsOf: Record<string, string[]> = {
  research: ['File map', 'Handoff'],
  planning: ['Architecture', 'Risks', 'Handoff'],
  implementation: ['Changes', 'Handoff'],
  review: ['Findings', 'Handoff'],
  verification: ['Checks run', 'Handoff'],
};

export function report(phaseId: string, sections = sectionsOf[phaseId] ?? ['Handoff']): string {
  return sections.map((section) => `## ${section}\n${phaseId}: ${section.toLowerCase()} notes.`).join('\n\n');
}

function agent(name: string): AgentDefinition {
  return {
    name,
    builtin: true,
    description: `${name} role`,
    prompt: `You are the ${name} agent.`,
    deliverables: sectionsOf[name] ?? ['Handoff'],
    permissions: name === 'implementation' ? ['read', 'write'] : ['read'],
  };
}

export function phase(id: string, overrides: Partial<ResolvedPhase> = {}): ResolvedPhase {
  return {
    id,
    agent: id,
    model: { kind: 'tier', tier: 'small' },
    timeoutMs: 60_000,
    costLimitUsd: 1,
    dependsOn: [],
    gate: {
      threshold: 0.9,
      checks: [
        { kind: 'sections', name: 'sections', weight: 0.8, required: false },
        { kind: 'cost', name: 'cost', weight: 0.2, required: true },
      ],
    },
    escalation: ['retry', 'escalate', 'halt'],
    maxTurns: 10,
    maxOutputTokens: 1_000,
    ...overrides,
  };
}

export function fivePhases(): ResolvedPhase[] {
  const ids = ['research', 'planning', 'implementation', 'review', 'verification'];
  return ids.map((id, index) => phase(id, { dependsOn: index === 0 ? [] : [ids[index - 1]!] }));
}

export function testWorkflow(overrides: Partial<ResolvedWorkflow> = {}): ResolvedWorkflow {
  const workspace = overrides.workspace ?? mkdtempSync(join(tmpdir(), 'phasewise-test-'));
  return {
    version: 1,
    sourceFile: null,
    task: null,
    workspace,
    budgetUsd: 10,
    deadlineMs: null,
    concurrency: 2,
    reviewRounds: 2,
    tiers: ['small', 'medium', 'large'],
    tierModels: { small: 'scripted:small', medium: 'scripted:medium', large: 'scripted:large' },
    providers: {
      scripted: {
        name: 'scripted',
        kind: 'scripted',
        pricing: {
          small: { input: 1, output: 5 },
          medium: { input: 3, output: 15 },
          large: { input: 5, output: 25 },
        },
      },
    },
    agents: Object.fromEntries(Object.keys(sectionsOf).map((name) => [name, agent(name)])),
    phases: fivePhases(),
    ...overrides,
  };
}
