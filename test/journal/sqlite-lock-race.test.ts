/**
 * The SQLite journal's run lock across OS processes: two processes race for the same runs round after round,
 * and each round exactly one wins while the other is refused with the winner's pid.
 */
import { describe, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { expectOneWinnerEachRound } from './support/lock-race.js';
import { tempWorkspace } from './support/temp-workspace.js';

const rounds = 40;
const intervalMs = 40;

describe('the run lock across OS processes', () => {
  it('lets exactly one of two racing processes win each round, and the loser names the winner', async () => {
    const workspace = await tempWorkspace();
    try {
      await openJournal({ workspace: workspace.path }).close();
      await expectOneWinnerEachRound(rounds, intervalMs, [workspace.path]);
    } finally {
      await workspace.remove();
    }
  });
});
