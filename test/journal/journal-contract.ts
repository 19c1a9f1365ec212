/**
 * The Journal contract suite (STYLE §11): what every journal implementation must do, run against each one.
 *
 * The suite is written against `ContractJournal`: every call is awaited and every expected failure is checked
 * as a rejection, so an implementation whose methods answer synchronously (SQLite) and one whose methods return
 * Promises (Postgres, issue 17) run the very same tests. `sqlite-journal-async-shape.test.ts` proves it by
 * running the suite a second time with every SQLite answer turned into a Promise.
 *
 * A new implementation plugs in with one test file that calls `describeJournalContract(name, factory)`; nothing
 * here changes. The factory must give a fresh, empty journal each time, using the real host name and process
 * table for the lock (the lock tests use this process as a live holder and an exited child as a dead one), and
 * a `cleanup` that closes it and removes what it created.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { ContractJournal } from './contract/contract-journal.js';
import { describeEventsContract } from './contract/events.js';
import { describeLockContract } from './contract/lock.js';
import { describeRunsContract } from './contract/runs.js';
import { describeStepsContract } from './contract/steps.js';

export type { AnswerNowOrLater, ContractJournal } from './contract/contract-journal.js';

export interface JournalUnderTest {
  journal: ContractJournal;
  cleanup(): Promise<void>;
}

export function describeJournalContract(name: string, factory: () => Promise<JournalUnderTest>): void {
  describe(`Journal contract: ${name}`, () => {
    let subject: JournalUnderTest | undefined;
    beforeEach(async () => {
      subject = await factory();
    });
    afterEach(async () => {
      await subject?.cleanup();
      subject = undefined;
    });
    const journal = (): ContractJournal => {
      if (subject === undefined) throw new Error('the journal under test is not open');
      return subject.journal;
    };
    describeRunsContract(journal);
    describeStepsContract(journal);
    describeEventsContract(journal);
    describeLockContract(journal);
  });
}
