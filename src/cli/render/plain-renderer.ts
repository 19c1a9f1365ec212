/** One line per meaningful event, for logs and pipes: no colours, no cursor movement. */
import type { RunEvent } from '../../events/index.js';
import { duration, truncate, usd } from '../format.js';
import type { Renderer } from './renderer.js';

/** Without a spinner, a quiet line every `heartbeatMs` while a model call is in flight shows the run is alive. */
export function plainRenderer(
  write: (line: string) => void = (line) => process.stderr.write(line),
  heartbeatMs = 30_000,
): Renderer {
  const inFlight = new Map<string, number>();
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
      if (event.type === 'model-call-start') inFlight.set(event.phaseId, Date.now());
      if (event.type === 'model-call-end' || event.type === 'phase-end') inFlight.delete(event.phaseId);
      // What a resumed run reads back from the journal is summed up by its phase-end alone.
      if (event.replayed === true && event.type !== 'phase-end') return;
      const line = describeEvent(event);
      if (line === undefined) return;
      write(`${event.at.slice(11, 19)} ${line}\n`);
      lastWrite = Date.now();
    },
    close: () => clearInterval(timer),
  };
}

export function describeEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'run-start':
      return `run ${event.runId} ${event.resumed ? 'resumed' : 'started'}: ${event.phases.length} phases, budget ${usd(event.budgetUsd)}, task "${truncate(event.task, 60)}"`;
    case 'attempt-start':
      return `${event.phaseId}: attempt ${event.attempt} on ${event.tier} (${event.model})`;
    case 'model-call-end':
      return event.replayed
        ? undefined
        : `${event.phaseId}: turn ${event.turn} ${event.tokens.inputNoCache + event.tokens.cacheRead + event.tokens.cacheWrite} in / ${event.tokens.output} out, ${usd(event.costUsd)} (phase ${usd(event.phaseSpentUsd)})`;
    case 'model-call-retry':
      return `${event.phaseId}: waiting ${duration(event.waitMs)} — ${event.reason}, try ${event.try + 1} of ${event.maxTries}`;
    case 'tool-call':
      return `${event.phaseId}: tool ${event.tool} ${event.summary}`;
    case 'budget-warning':
      return `${event.phaseId}: ${event.message}`;
    case 'gate-end':
      return `${event.phaseId}: gate ${event.score.toFixed(2)} / ${event.threshold.toFixed(2)} ${event.passed ? 'passed' : event.vetoed ? 'vetoed' : 'failed'}${failedChecks(event)}`;
    case 'escalation-end':
      return `${event.phaseId}: ${event.action} — ${event.reason}`;
    case 'phase-end':
      return `${event.phaseId}: ${event.replayed === true ? '(from the journal) ' : ''}${event.status} after ${event.attempts} attempt(s), ${usd(event.costUsd)}, ${duration(event.durationMs)}${event.message === null ? '' : ` — ${event.message}`}`;
    case 'run-end':
      return `run ${event.runId} ${event.status} (exit ${event.exitCode}), ${usd(event.costUsd)}, ${duration(event.durationMs)}${event.message === null ? '' : ` — ${event.message}`}`;
    default:
      return undefined;
  }
}

function failedChecks(event: Extract<RunEvent, { type: 'gate-end' }>): string {
  const failed = event.checks.filter((check) => !check.passed);
  return failed.length === 0
    ? ''
    : ` (${failed.map((check) => `${check.name}: ${check.message}`).join('; ')})`;
}
