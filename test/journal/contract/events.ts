import { describe, expect, it } from 'vitest';
import type { Journal } from '../../../src/journal/index.js';
import { sampleEvents, sampleRun } from './samples.js';

export function describeEventsContract(journal: () => Journal): void {
  describe('events', () => {
    it('returns every event type exactly as appended, in order', () => {
      journal().createRun(sampleRun('run-a'));
      const events = sampleEvents('run-a');
      for (const event of events) journal().appendEvent(event);
      expect(journal().listEvents('run-a')).toEqual(events);
    });

    it('keeps events apart per run, interleaved appends included', () => {
      journal().createRun(sampleRun('run-a'));
      journal().createRun(sampleRun('run-b'));
      const [startA, phaseA] = sampleEvents('run-a');
      const [startB] = sampleEvents('run-b');
      for (const event of [startA, startB, phaseA]) if (event) journal().appendEvent(event);
      expect(journal().listEvents('run-a')).toEqual([startA, phaseA]);
      expect(journal().listEvents('run-b')).toEqual([startB]);
    });

    it('lists no events for an unknown run', () => {
      expect(journal().listEvents('missing')).toEqual([]);
    });
  });
}
