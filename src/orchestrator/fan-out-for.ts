/**
 * Whether a phase configured with `fan_out` fans out in this run, and over what: the work items of its `from`
 * phase's report (or of the task), in merge order. Fewer than two items — or none readable — and the phase runs
 * as a single agent, and says why (`fan-out-skipped`). Only a phase's first round fans out; a round review sends
 * back (`implementation@2`) reworks the merged result as one agent.
 */
import { readFileSync } from 'node:fs';
import type { Emit } from '../agent/agent-context.js';
import type { ResolvedPhase } from '../config/types.js';
import { extractWorkItems, itemLevels, itemOrder } from '../gate/work-items.js';
import { gitWorkspaces } from '../phase/fan-out/git-workspaces.js';
import { fanOut } from '../phase/fan-out/run-fan-out.js';
import type { PhaseOutcome } from '../phase/phase-outcome.js';
import type { FanOut } from '../phase/phase-services.js';
import type { Clock } from '../util/clock.js';
import type { Repository } from '../worktree/index.js';

export interface FanOutContext {
  runId: string;
  task: string;
  done: ReadonlyMap<string, PhaseOutcome>;
  /** The workspace's repository, checked when the run started. */
  repository: Repository | undefined;
  emit: Emit;
  clock: Clock;
  signal: AbortSignal;
}

export function fanOutFor(phase: ResolvedPhase, context: FanOutContext): FanOut | undefined {
  const settings = phase.fanOut;
  if (settings === undefined || phase.id.includes('@')) return undefined;
  const skip = (reason: string) => {
    context.emit({ type: 'fan-out-skipped', phaseId: phase.id, reason });
    return undefined;
  };
  const { repository } = context;
  // A required fan-out was refused before the run began; one with `required: false` gives way.
  if (repository === undefined)
    return skip('the workspace is not a git repository: one agent does the phase');
  const source = settings.from === 'task' ? context.task : reportOf(context.done.get(settings.from));
  if (source === undefined) return skip(`${settings.from}'s report could not be read`);
  const reading = extractWorkItems(source);
  const where = settings.from === 'task' ? 'the task' : `${settings.from}'s report`;
  if (!reading.found) return skip(`${where} lists no work items: one agent does the phase`);
  if ('error' in reading)
    return skip(`${where} has unusable work items (${reading.error}): one agent does the phase`);
  if (reading.items.length < 2)
    return skip(
      `${where} lists ${reading.items.length === 1 ? 'one work item' : 'no work items'}: one agent does the phase`,
    );
  if (settings.optional === true && itemLevels(reading.items).every((level) => level.length < 2))
    return skip(`${where} lists work items that each wait for the one before: one agent does the phase`);
  const plan = {
    items: itemOrder(reading.items),
    maxParallel: settings.maxParallel,
    ...(settings.itemCostLimitUsd === undefined ? {} : { itemCostLimitUsd: settings.itemCostLimitUsd }),
  };
  const { runId, clock, signal } = context;
  const copyIgnored = settings.copyIgnored ?? [];
  return fanOut(plan, gitWorkspaces({ repository, runId, phaseId: phase.id, clock, signal, copyIgnored }));
}

function reportOf(outcome: PhaseOutcome | undefined): string | undefined {
  if (outcome?.status !== 'passed') return undefined;
  try {
    return readFileSync(outcome.reportPath, 'utf8');
  } catch {
    return undefined;
  }
}
