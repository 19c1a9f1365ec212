/**
 * One run of an eval: the task under a policy in its own worktree, started — or, when the worktree's journal
 * holds the run a kill interrupted, resumed through the journal (what it recorded is not paid for again) — then
 * the hidden check, then the record of what was measured.
 */
import type { EvalTask, ResolvedWorkflow } from '../config/types.js';
import type { RunEvent } from '../events/index.js';
import { openJournal } from '../journal/index.js';
import type { Journal } from '../journal/journal.js';
import { summarizeJournal } from '../report/journal-summary.js';
import { runHiddenCheck } from './hidden-check.js';
import type { Policy } from './policies.js';
import { type PhaseVerdict, RUN_RECORD_VERSION, type RunRecord } from './run-record.js';
import { type EvalServices, runToEnd } from './run-to-end.js';

export type { EvalServices, RunParts } from './run-to-end.js';

export interface RunSpec {
  key: string;
  task: EvalTask;
  policy: Policy;
  repeat: number;
  worktree: string;
}

/** The record of the finished run, or `interrupted` (nothing recorded: the next eval resumes it). */
export async function runOne(
  spec: RunSpec,
  services: EvalServices,
  onResume: (runId: string) => void,
): Promise<RunRecord | 'interrupted'> {
  const parts = services.prepareRun({ ...spec.policy.workflow, workspace: spec.worktree });
  const { workflow } = parts;
  const journal = openJournal({ workspace: spec.worktree });
  let measured: Omit<RunRecord, 'solved' | 'hiddenCheck'>;
  try {
    const runId = await runToEnd(spec.task.text, parts, journal, services, onResume);
    if (runId === undefined) return 'interrupted';
    measured = await measure(spec, workflow, journal, runId);
  } finally {
    await journal.close();
  }
  const hidden = await runHiddenCheck(spec.task.hiddenCheck, spec.worktree, services.abortSignal);
  if (hidden.ending === 'aborted') return 'interrupted';
  const { solved, ...hiddenCheck } = hidden;
  return { ...measured, solved, hiddenCheck };
}

async function measure(
  spec: RunSpec,
  workflow: ResolvedWorkflow,
  journal: Journal,
  runId: string,
): Promise<Omit<RunRecord, 'solved' | 'hiddenCheck'>> {
  const run = (await journal.getRun(runId))!;
  const summary = await summarizeJournal(journal, run);
  return {
    version: RUN_RECORD_VERSION,
    key: spec.key,
    task: spec.task.id,
    policy: spec.policy.name,
    tier: spec.policy.tier,
    model: spec.policy.tier === null ? null : (workflow.tierModels[spec.policy.tier] ?? null),
    repeat: spec.repeat,
    runId,
    status: run.status,
    exitCode: run.exitCode,
    costUsd: run.costUsd,
    durationMs: summary.durationMs ?? 0,
    worktree: spec.worktree,
    phases: finalGates(await journal.listEvents(runId), workflow),
  };
}

type GateEnd = Extract<RunEvent, { type: 'gate-end' }>;

/** Each phase's last gate (a review-loop round `implementation@2` counts as its phase's later verdict). */
export function finalGates(events: readonly RunEvent[], workflow: ResolvedWorkflow): PhaseVerdict[] {
  const last = new Map<string, GateEnd>();
  for (const event of events) {
    if (event.type === 'gate-end') last.set(event.phaseId.replace(/@\d+$/, ''), event);
  }
  return workflow.phases.flatMap((phase) => {
    const gate = last.get(phase.id);
    if (gate === undefined) return [];
    return [
      {
        phaseId: phase.id,
        role: workflow.agents[phase.agent]?.role ?? phase.agent,
        gatePassed: gate.passed,
        checks: gate.checks.map((check) => ({ name: check.name, kind: check.kind, passed: check.passed })),
      },
    ];
  });
}
