/**
 * `model: auto`: the phase's starting tier comes from a complexity assessment of the task, the workspace, the
 * phase's role and the run's earlier gate failures (`complexity.ts`). The assessment — signals, score, tier and
 * the rules' version — is a journal step, so a resume starts on the same tier and a report can count misroutes.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stepAddress } from '../journal/step-keys.js';
import { assessComplexity, type ComplexityAssessment } from './complexity.js';
import { type TierPosition, tierAt } from './model-choice.js';
import type { PhaseServices } from './phase-services.js';
import type { PhaseSpec } from './phase-spec.js';
import { complexityAssessmentSchema } from './step-schemas.js';

/** Stop counting here: beyond it a workspace is simply large. */
const FILE_COUNT_CAP = 20_000;
const SKIPPED = new Set(['.git', '.phasewise', 'node_modules']);

export async function autoTier(spec: PhaseSpec, services: PhaseServices): Promise<TierPosition> {
  const { phase, workflow } = spec;
  const { value } = await services.steps.step<ComplexityAssessment>(
    {
      ...stepAddress({ phaseId: phase.id, step: 'model-choice' }),
      phaseId: phase.id,
      schema: complexityAssessmentSchema,
    },
    async () =>
      assessComplexity({
        task: spec.part === undefined ? spec.task : `${spec.task.trim()}\n\n${spec.part}`,
        phaseId: phase.id,
        agent: phase.agent,
        workspaceFileCount: countFiles(workflow.workspace),
        earlierFailures: (await services.earlierGateFailures?.()) ?? 0,
        tiers: workflow.tiers,
      }),
  );
  return tierAt(workflow, value.tierIndex);
}

function countFiles(root: string): number {
  let count = 0;
  const pending = [root];
  while (pending.length > 0 && count < FILE_COUNT_CAP) {
    const dir = pending.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) pending.push(join(dir, entry.name));
      else if (entry.isFile()) count += 1;
    }
  }
  return Math.min(count, FILE_COUNT_CAP);
}
