/**
 * Summaries and reports fold a run's journal records, trusting that phasewise wrote them. A record that parses
 * but has another shape (edited by hand, damaged in a way SQLite cannot see, written by another version) makes
 * that code throw a TypeError; the user is told the journal is at fault, not that phasewise has a bug.
 */
import { isPhasewiseError, JournalError } from '../errors/index.js';
import type { Journal } from '../journal/index.js';

export async function fromRecords<T>(
  journal: Journal,
  runId: string,
  read: () => T | Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isPhasewiseError(error) || !(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new JournalError(
      journal.location,
      `the records of run ${runId} are not what phasewise writes (${error.message}); nothing was changed`,
      {
        hint: 'the journal was changed outside phasewise or by another version of it; restore it from a backup, or move it aside',
        cause: error,
      },
    );
  }
}
