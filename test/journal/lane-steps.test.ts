/**
 * Lanes of a fanned-out phase record their steps under their own keys on a real SQLite journal: the same step
 * the phase's code builds is kept apart per lane, replayed per lane, and counted as the phase's.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Journal, journalSteps, laneSteps, openJournal, stepAddress } from '../../src/journal/index.js';
import { sampleRun } from './contract/samples.js';
import { type TempWorkspace, tempWorkspace } from './support/temp-workspace.js';

const clock = { now: () => Date.parse('2026-12-05T10:00:00.000Z') };
const answer = z.object({ text: z.string() });

describe('lane steps', () => {
  let workspace: TempWorkspace;
  let journal: Journal;
  beforeEach(async () => {
    workspace = await tempWorkspace();
    journal = openJournal({ workspace: workspace.path });
    await journal.createRun(sampleRun('run-1'));
  });
  afterEach(async () => {
    await journal.close();
    await workspace.remove();
  });

  const model = stepAddress({ phaseId: 'implementation', attempt: 1, turn: 1, step: 'model' });
  const options = { ...model, phaseId: 'implementation', schema: answer, costOf: () => 0.25 };

  it('records the same step of two lanes apart, under each lane, as the phase spending', async () => {
    const steps = journalSteps(journal, 'run-1', clock);
    const a = laneSteps(steps, { kind: 'item', id: 'a' });
    const b = laneSteps(steps, { kind: 'item', id: 'b' });
    await a.step(options, async () => ({ text: 'from a' }));
    await b.step(options, async () => ({ text: 'from b' }));
    const recorded = await journal.listSteps('run-1');
    expect(recorded.map((step) => step.key).sort()).toEqual([
      'implementation/item-a/a1/t1/model',
      'implementation/item-b/a1/t1/model',
    ]);
    expect(recorded.every((step) => step.phaseId === 'implementation' && step.costUsd === 0.25)).toBe(true);
    expect(await steps.has(model.key)).toBe(false);
    expect(await a.has(model.key)).toBe(true);
    expect(await a.recorded(model.key, answer)).toEqual({ text: 'from a' });
    expect(await b.recorded(model.key, answer)).toEqual({ text: 'from b' });
  });

  it('replays a lane step from its own record and never executes it again', async () => {
    const merge = { kind: 'merge', index: 1 } as const;
    await laneSteps(journalSteps(journal, 'run-1', clock), merge).step(options, async () => ({
      text: 'first',
    }));
    const resumed = laneSteps(journalSteps(journal, 'run-1', clock), merge);
    const replay = await resumed.step(options, async () => {
      throw new Error('a recorded step is never executed again');
    });
    expect(replay).toEqual({ value: { text: 'first' }, replayed: true });
    expect(await journal.getStep('run-1', 'implementation/merge-1/a1/t1/model')).toBeDefined();
  });
});
