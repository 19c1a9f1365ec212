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

/** The built-in workflow with its implementation phase changed (tiers haiku < sonnet < opus, as built in). */
export function workflowWithImplementation(change: Partial<ResolvedPhase> = {}): ResolvedWorkflow {
  const workflow = builtinWorkflow(process.cwd());
  return {
    ...workflow,
    phases: workflow.phases.map((phase) => (phase.id === 'implementation' ? { ...phase, ...change } : phase)),
  };
}
