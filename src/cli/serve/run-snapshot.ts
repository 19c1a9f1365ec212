/**
 * A run as the journal holds it now, read once and rendered for every viewer: its events (each with the line the
 * terminal view prints for it) and the page's fragments from the run summary.
 */
import type { ResolvedWorkflow } from '../../config/index.js';
import type { RunEvent } from '../../events/index.js';
import type { Journal, RunRecord } from '../../journal/index.js';
import { pendingReviews } from '../../orchestrator/index.js';
import { summarizeJournal } from '../../report/index.js';
import { fromRecords } from '../journal-records.js';
import { describeEvent } from '../render/plain-renderer.js';
import { type RunFragments, runFragments } from './run-fragments.js';

export interface LogLine {
  at: string;
  text: string;
}

export interface RunSnapshot {
  run: RunRecord;
  title: string;
  status: string;
  /** The events the terminal view prints, in order, each as it prints it. */
  log: LogLine[];
  fragments: RunFragments;
}

export async function readSnapshot(journal: Journal, run: RunRecord, csrf: string): Promise<RunSnapshot> {
  return fromRecords(journal, run.runId, async () => {
    const summary = await summarizeJournal(journal, run);
    const events = await journal.listEvents(run.runId);
    const pending = summary.status === 'halted' ? await pendingReviews(journal, run.runId) : [];
    return {
      run,
      title: summary.title,
      status: summary.status,
      log: events.flatMap(logLine),
      fragments: runFragments(summary, run.workflow as ResolvedWorkflow, pending, csrf),
    };
  });
}

function logLine(event: RunEvent): LogLine[] {
  const text = describeEvent(event);
  return text === undefined ? [] : [{ at: event.at, text }];
}
