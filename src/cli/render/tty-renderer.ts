/**
 * The live view on a terminal: the phase table redrawn in place, with a spinner and elapsed time that keep moving
 * during long model calls, and notable events (gates, escalations, retries, early stops) kept above it in the
 * scrollback. A fanned-out phase shows one row per work item under it; each item's end and merge is kept too.
 */
import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { RunEvent } from '../../events/index.js';
import type { RunSummary } from '../../report/index.js';
import { applyEvent, emptyRunSummary } from '../../report/index.js';
import { duration, usd } from '../../util/format.js';
import { asInvoked } from '../invocation.js';
import { phaseTable } from './phase-table.js';
import { describeEvent } from './plain-renderer.js';
import type { Renderer } from './renderer.js';

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const kept = new Set<RunEvent['type']>([
  'gate-end',
  'escalation-end',
  'budget-warning',
  'workspace-warning',
  'model-call-retry',
  'attempt-end',
  'phase-reused',
  'phase-end',
  'fan-out-skipped',
  'item-end',
  'merge-end',
  'fan-out-end',
]);

export interface TtyRendererOptions {
  /**
   * The run summary folded from the journal, for the final table: it holds what no event carries (the tokens of a
   * call that failed after being billed), so the table left on screen matches `status` and `report`.
   */
  finalSummary?: (runId: string) => Promise<RunSummary | undefined>;
}

export function ttyRenderer(
  stream: NodeJS.WriteStream = process.stderr,
  options: TtyRendererOptions = {},
): Renderer {
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
      const line =
        kept.has(event.type) &&
        (event.replayed !== true || event.type === 'phase-end' || event.type === 'item-end')
          ? describeEvent(event, summary)
          : undefined;
      if (line !== undefined) log.persist(pc.dim(asInvoked(line)));
      draw();
    },
    async close() {
      clearInterval(timer);
      log.clear();
      const final = summary.runId === '' ? undefined : await options.finalSummary?.(summary.runId);
      stream.write(`${phaseTable(final ?? summary)}\n`);
    },
  };
}
