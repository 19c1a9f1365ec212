import { describe, expect, it } from 'vitest';
import type { ContractJournal } from './contract-journal.js';
import { sampleEvents, sampleRun } from './samples.js';

export function describeEventsContract(journal: () => ContractJournal): void {
  describe('events', () => {
    it('returns every event type exactly as appended, in order', async () => {
      await journal().createRun(sampleRun('run-a'));
      const events = sampleEvents('run-a');
      for (const event of events) await journal().appendEvent(event);
      expect(await journal().listEvents('run-a')).toEqual(events);
    });

    it('keeps events apart per run, interleaved appends included', async () => {
      await journal().createRun(sampleRun('run-a'));
      await journal().createRun(sampleRun('run-b'));
      const [startA, phaseA] = sampleEvents('run-a');
      const [startB] = sampleEvents('run-b');
      for (const event of [startA, startB, phaseA]) if (event) await journal().appendEvent(event);
      expect(await journal().listEvents('run-a')).toEqual([startA, phaseA]);
      expect(await journal().listEvents('run-b')).toEqual([startB]);
    });

    it('lands events appended without waiting in the order of the calls, each answered once stored', async () => {
      await journal().createRun(sampleRun('run-a'));
      const events = sampleEvents('run-a');
      await Promise.all(events.map((event) => journal().appendEvent(event)));
      expect(await journal().listEvents('run-a')).toEqual(events);
    });

    it('lists no events for an unknown run', async () => {
      expect(await journal().listEvents('missing')).toEqual([]);
    });
  });
}
