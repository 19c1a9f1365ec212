/**
 * The Journal contract suite (STYLE §11): what every journal implementation must do, run against each one.
 * The factory must give a fresh, empty journal each time, using the real host name and process table for
 * the lock (the lock tests use this process as a live holder and an exited child as a dead one).
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Journal } from '../../src/journal/index.js';
import { describeEventsContract } from './contract/events.js';
import { describeLockContract } from './contract/lock.js';
import { describeRunsContract } from './contract/runs.js';
import { describeStepsContract } from './contract/steps.js';

export interface JournalUnderTest {
  journal: Journal;
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
    const journal = (): Journal => {
      if (subject === undefined) throw new Error('the journal under test is not open');
      return subject.journal;
    };
    describeRunsContract(journal);
    describeStepsContract(journal);
    describeEventsContract(journal);
    describeLockContract(journal);
  });
}
