/**
 * The per-phase table shown live, at the end of a run and by `status`: the run summary's figures, as text; under a
 * fanned-out phase, one row per work item.
 */
import pc from 'picocolors';
import type { PhaseStatus } from '../../events/index.js';
import type { PhaseSummary, RunSummary } from '../../report/index.js';
import {
  attemptsText,
  costText,
  gateText,
  itemLabel,
  itemStatusText,
  modelsText,
  phaseCostText,
  statusText as phaseStatusText,
  retriesText,
  TOKENS_HEADER,
  tokensText,
} from '../../report/index.js';
import { duration, table } from '../../util/format.js';

const marks: Record<PhaseStatus, string> = {
  pending: pc.dim('·'),
  running: pc.cyan('▶'),
  passed: pc.green('✓'),
  failed: pc.red('✗'),
  halted: pc.yellow('■'),
  timed_out: pc.red('⏱'),
  budget_exceeded: pc.red('$'),
  interrupted: pc.yellow('‖'),
  aborted: pc.red('■'),
  skipped: pc.dim('-'),
};

export function phaseTable(summary: RunSummary, now: number = Date.now()): string {
  const header = [
    '',
    'phase',
    'status',
    'model(s)',
    'att',
    TOKENS_HEADER,
    'retries',
    'cost / limit',
    'gate / threshold',
    'time',
  ];
  const rows = summary.phases.flatMap((phase) => [
    [
      marks[phase.status],
      phase.id,
      statusText(phase, now),
      modelsText(phase),
      attemptsText(phase),
      tokensText(phase.tokens),
      retriesText(phase.retries),
      phaseCostText(phase),
      gateText(phase.gate),
      elapsed(phase, now),
    ],
    // A fanned-out phase's items, one row each under it: the lane's own figures.
    ...(phase.items ?? []).map((item) => [
      marks[item.status],
      itemLabel(item),
      itemStatusText(item),
      item.model || '-',
      String(item.attempts),
      tokensText(item.tokens),
      '-',
      costText(item.costUsd, item.costLimitUsd),
      gateText(item.gate),
      elapsed(item, now),
    ]),
  ]);
  return table([header.map((cell) => pc.dim(cell)), ...rows]);
}

/** A phase waiting before a retry says so, and for how much longer. */
function statusText(phase: PhaseSummary, now: number): string {
  if (phase.status !== 'running' || phase.waiting === null) return phaseStatusText(phase);
  const left = Date.parse(phase.waiting.until) - now;
  return left > 0 ? pc.yellow(`waiting ${duration(left)}`) : phase.status;
}

function elapsed(phase: Pick<PhaseSummary, 'durationMs' | 'status' | 'startedAt'>, now: number): string {
  if (phase.durationMs !== null && phase.status !== 'running') return duration(phase.durationMs);
  if (phase.startedAt === null) return '-';
  return duration(now - Date.parse(phase.startedAt));
}
