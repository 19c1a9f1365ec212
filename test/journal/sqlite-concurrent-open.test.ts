import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { race, roundOutcomes } from './support/child-process.js';
import { tempWorkspace } from './support/temp-workspace.js';

const processes = 6;
const rounds = 30;
const intervalMs = 60;

describe('a new journal opened by several OS processes at once', () => {
  it('is created once, and every process can write to it', async () => {
    const directory = await tempWorkspace();
    try {
      const { outputs } = await race(processes, [
        'race-open',
        directory.path,
        String(rounds),
        String(intervalMs),
      ]);
      for (const output of outputs) {
        expect(output.code, output.stderr).toBe(0);
        const failures = roundOutcomes(output.stdout).filter((outcome) => outcome.outcome !== 'ok');
        expect(failures).toEqual([]);
        expect(roundOutcomes(output.stdout)).toHaveLength(rounds);
      }
      for (let round = 0; round < rounds; round += 1) {
        const journal = openJournal({ workspace: join(directory.path, `round-${round}`) });
        expect(await journal.listRuns()).toHaveLength(processes);
        await journal.close();
      }
    } finally {
      await directory.remove();
    }
  });
});
