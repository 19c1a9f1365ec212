/**
 * The live view on a terminal: the phase table redrawn in place, with a spinner and elapsed time that keep moving
 * during long model calls, and notable events (gates, escalations) kept above it in the scrollback.
 */
import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { RunEvent } from '../../events/index.js';
import { applyEvent, emptyRunSummary } from '../../report/run-summary.js';
import { duration, usd } from '../format.js';
import { phaseTable } from './phase-table.js';
import { describeEvent } from './plain-renderer.js';
import type { Renderer } from './renderer.js';

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const kept = new Set<RunEvent['type']>([
  'gate-end',
  'escalation-end',
  'budget-warning',
  'phase-end',
  'model-call-retry',
]);

export function ttyRenderer(stream: NodeJS.WriteStream = process.stderr): Renderer {
  const log = createLogUpdate(stream);
  let summary = emptyRunSummary('');
  let frame = 0;
  const started = Date.now();
  const draw = () => {
    frame = (frame + 1) % spinner.length;
    const head = `${pc.cyan(spinner[frame]!)} run ${summary.runId} · ${duration(Date.now() - started)} · ${usd(summary.costUsd)} of ${usd(summary.budgetUsd)}`;
    log(`${head}\n${phaseTable(summary)}`);
  };
  const timer = setInterval(draw, 120);
  timer.unref();
  return {
    onEvent(event) {
      if (event.type === 'run-start') summary = { ...emptyRunSummary(event.runId), phases: [] };
      applyEvent(summary, event);
      if (kept.has(event.type) && (event.replayed !== true || event.type === 'phase-end'))
        log.persist(pc.dim(describeEvent(event) ?? ''));
      draw();
    },
    close() {
      clearInterval(timer);
      log.clear();
      stream.write(`${phaseTable(summary)}\n`);
    },
  };
}
