/** The hand-computed outcome table (test/fixtures/policy/hand-outcomes.json), read as the CLI reads it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinWorkflow } from '../../src/config/index.js';
import type { ResolvedPhase, ResolvedWorkflow } from '../../src/config/types.js';
import { type OutcomeTable, parseOutcomeTable } from '../../src/policy/index.js';

export const handOutcomesFile = join(import.meta.dirname, '..', 'fixtures', 'policy', 'hand-outcomes.json');

export function handTable(): OutcomeTable {
  return parseOutcomeTable(readFileSync(handOutcomesFile, 'utf8'), handOutcomesFile);
}

/**
 * The built-in workflow with its implementation phase starting on sonnet with retry → escalate → halt (the
 * ladder the hand computations follow; the built-in default now starts on haiku), then changed by `change`.
 */
export function workflowWithImplementation(change: Partial<ResolvedPhase> = {}): ResolvedWorkflow {
  const workflow = builtinWorkflow(process.cwd());
  const handLadder: Partial<ResolvedPhase> = {
    model: { kind: 'tier', tier: 'sonnet' },
    escalation: ['retry', 'escalate', 'halt'],
  };
  return {
    ...workflow,
    phases: workflow.phases.map((phase) =>
      phase.id === 'implementation' ? { ...phase, ...handLadder, ...change } : phase,
    ),
  };
}
