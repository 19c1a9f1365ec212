/** One line per meaningful event, for logs and pipes: no colours, no cursor movement. */
import type { RunEvent } from '../../events/index.js';
import { duration, truncate, usd } from '../format.js';
import type { Renderer } from './renderer.js';

export function plainRenderer(
  write: (line: string) => void = (line) => process.stderr.write(line),
): Renderer {
  return {
    onEvent(event) {
      const line = describeEvent(event);
      if (line !== undefined) write(`${event.at.slice(11, 19)} ${line}\n`);
    },
    close: () => {},
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
    case 'tool-call':
      return `${event.phaseId}: tool ${event.tool} ${event.summary}`;
    case 'budget-warning':
      return `${event.phaseId}: ${event.message}`;
    case 'gate-end':
      return `${event.phaseId}: gate ${event.score.toFixed(2)} / ${event.threshold.toFixed(2)} ${event.passed ? 'passed' : event.vetoed ? 'vetoed' : 'failed'}${failedChecks(event)}`;
    case 'escalation-end':
      return `${event.phaseId}: ${event.action} — ${event.reason}`;
    case 'phase-end':
      return `${event.phaseId}: ${event.status} after ${event.attempts} attempt(s), ${usd(event.costUsd)}, ${duration(event.durationMs)}${event.message === null ? '' : ` — ${event.message}`}`;
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
