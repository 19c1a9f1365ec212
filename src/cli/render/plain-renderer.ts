/** One line per meaningful event, for logs and pipes: no colours, no cursor movement. */
import { ledgerPhase } from '../../budget/index.js';
import type { RunEvent } from '../../events/index.js';
import type { RunSummary } from '../../report/index.js';
import {
  applyEvent,
  emptyRunSummary,
  fanOutEventText,
  laneName,
  phaseEndText,
  tokensText,
} from '../../report/index.js';
import { duration, taskTitle, truncate, usd } from '../../util/format.js';
import type { ImmediateRenderer } from './renderer.js';

/** Without a spinner, a quiet line every `heartbeatMs` while a model call is in flight shows the run is alive. */
export function plainRenderer(
  write: (line: string) => void = (line) => process.stderr.write(line),
  heartbeatMs = 30_000,
): ImmediateRenderer {
  const inFlight = new Map<string, number>();
  // The same fold as the live table: a phase-end line counts attempts as the table does.
  const summary = emptyRunSummary('');
  let lastWrite = Date.now();
  const timer = setInterval(
    () => {
      if (inFlight.size === 0 || Date.now() - lastWrite < heartbeatMs) return;
      const waiting = [...inFlight].map(([phase, since]) => `${phase} (${duration(Date.now() - since)})`);
      write(`${new Date().toISOString().slice(11, 19)} still waiting on the model: ${waiting.join(', ')}\n`);
      lastWrite = Date.now();
    },
    Math.min(heartbeatMs, 5_000),
  );
  timer.unref();
  return {
    onEvent(event) {
      if (event.type === 'model-call-start') inFlight.set(laneName(event), Date.now());
      if (event.type === 'model-call-end' || event.type === 'phase-end') inFlight.delete(laneName(event));
      applyEvent(summary, event);
      // What a resumed run reads back from the journal is summed up by its phase-end (an item's, by its item-end).
      if (event.replayed === true && event.type !== 'phase-end' && event.type !== 'item-end') return;
      const line = describeEvent(event, summary);
      if (line === undefined) return;
      write(`${event.at.slice(11, 19)} ${line}\n`);
      lastWrite = Date.now();
    },
    close: () => clearInterval(timer),
  };
}

/** The line for an event; `summary` (the run summary with this event folded in) gives the phase-end line its totals. */
export function describeEvent(event: RunEvent, summary?: RunSummary): string | undefined {
  switch (event.type) {
    case 'run-start':
      return `run ${event.runId} ${event.resumed ? 'resumed' : 'started'}: ${event.phases.length} phases, budget ${usd(event.budgetUsd)}, task "${truncate(taskTitle(event.task), 60)}"`;
    case 'attempt-start':
      return `${laneName(event)}: attempt ${event.attempt} on ${event.tier} (${event.model})`;
    case 'model-call-end':
      return event.replayed
        ? undefined
        : `${laneName(event)}: ${event.label ?? `turn ${event.turn}`} tokens ${tokensText(event.tokens)} (in/cache r/cache w/out), ${usd(event.costUsd)} (${event.item === undefined ? 'phase' : 'item'} ${usd(event.phaseSpentUsd)})`;
    case 'attempt-end':
      return event.stopReason === 'answered'
        ? undefined
        : `${laneName(event)}: attempt ${event.attempt} stopped — ${event.detail ?? event.stopReason}`;
    case 'model-call-retry':
      return `${laneName(event)}: waiting ${duration(event.waitMs)} — ${event.reason}, try ${event.try + 1} of ${event.maxTries}`;
    case 'tool-call':
      return `${laneName(event)}: tool ${event.tool} ${event.summary}`;
    case 'budget-warning':
    case 'workspace-warning':
      return `${laneName(event)}: ${event.message}`;
    case 'gate-end':
      return `${laneName(event)}: gate ${event.score.toFixed(2)} / ${event.threshold.toFixed(2)} ${event.passed ? 'passed' : event.vetoed ? 'vetoed' : 'failed'}${failedChecks(event)}`;
    case 'escalation-end':
      return `${laneName(event)}: ${event.action} — ${event.reason}`;
    case 'phase-reused':
      return `${event.phaseId}: reused from ${event.fromRunId} — $0 spent here (it cost ${usd(event.originalCostUsd)} and took ${duration(event.originalDurationMs)} there)${event.changesApplied ? ', its changes applied again and the tree verified' : ''}`;
    case 'phase-end':
      return phaseEndLine(event, summary);
    case 'fan-out-start':
    case 'fan-out-skipped':
    case 'item-start':
    case 'item-end':
    case 'merge-end':
    case 'fan-out-end':
      return fanOutEventText(event);
    case 'run-end':
      return `run ${event.runId} ${event.status} (exit ${event.exitCode}), ${usd(event.costUsd)}, ${duration(event.durationMs)}${event.message === null ? '' : ` — ${event.message}`}`;
    default:
      return undefined;
  }
}

function phaseEndLine(
  event: Extract<RunEvent, { type: 'phase-end' }>,
  summary: RunSummary | undefined,
): string {
  const total = summary?.phases.find((phase) => phase.id === ledgerPhase(event.phaseId))?.attempts;
  const [name, rest] = splitOnce(phaseEndText(event, total), ': ');
  return `${name}: ${event.replayed === true ? '(from the journal) ' : ''}${rest}, ${usd(event.costUsd)}, ${duration(event.durationMs)}${event.message === null ? '' : ` — ${event.message}`}`;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

function failedChecks(event: Extract<RunEvent, { type: 'gate-end' }>): string {
  const failed = event.checks.filter((check) => !check.passed);
  return failed.length === 0
    ? ''
    : ` (${failed.map((check) => `${check.name}: ${check.message}`).join('; ')})`;
}
