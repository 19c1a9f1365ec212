import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { race, roundOutcomes } from './support/child-process.js';
import { tempWorkspace } from './support/temp-workspace.js';

const rounds = 40;
const intervalMs = 40;

describe('the run lock across OS processes', () => {
  it('lets exactly one of two racing processes win each round, and the loser names the winner', async () => {
    const workspace = await tempWorkspace();
    try {
      await openJournal({ workspace: workspace.path }).close();
      const { pids, outputs } = await race(2, [
        'race-lock',
        workspace.path,
        String(rounds),
        String(intervalMs),
      ]);
      for (const output of outputs) expect(output.code, output.stderr).toBe(0);
      const [first, second] = outputs.map((output) => roundOutcomes(output.stdout));
      for (let round = 0; round < rounds; round += 1) {
        const pair = [first?.[round], second?.[round]];
        const winners = pair.filter((outcome) => outcome?.outcome === 'won');
        expect(winners, `round ${round}: ${JSON.stringify(pair)}`).toHaveLength(1);
        const winnerPid = pids[pair.findIndex((outcome) => outcome?.outcome === 'won')];
        const loser = pair.find((outcome) => outcome?.outcome !== 'won');
        expect(loser, `round ${round}`).toEqual({ round, outcome: 'locked', holderPid: winnerPid });
      }
    } finally {
      await workspace.remove();
    }
  });
});
