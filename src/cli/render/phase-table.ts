/** The per-phase table shown live, at the end of a run and by `status`. */
import pc from 'picocolors';
import type { PhaseStatus } from '../../events/index.js';
import type { PhaseSummary, RunSummary } from '../../report/run-summary.js';
import { duration, table, tokens, usd } from '../format.js';

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
    'model',
    'att',
    'tokens in/out',
    'cost / limit',
    'gate / threshold',
    'time',
  ];
  const rows = summary.phases.map((phase) => [
    marks[phase.status],
    phase.id,
    phase.status,
    phase.model,
    String(phase.attempts),
    `${tokens(phase.tokens.inputNoCache + phase.tokens.cacheRead + phase.tokens.cacheWrite)}/${tokens(phase.tokens.output)}`,
    `${usd(phase.costUsd)} / ${usd(phase.costLimitUsd)}`,
    phase.gateScore === null ? '-' : `${phase.gateScore.toFixed(2)} / ${(phase.threshold ?? 0).toFixed(2)}`,
    elapsed(phase, now),
  ]);
  return table([header.map((cell) => pc.dim(cell)), ...rows]);
}

function elapsed(phase: PhaseSummary, now: number): string {
  if (phase.durationMs !== null && phase.status !== 'running') return duration(phase.durationMs);
  if (phase.startedAt === null) return '-';
  return duration(now - Date.parse(phase.startedAt));
}
