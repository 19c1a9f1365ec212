/**
 * The event feed's promise: however many browsers watch a run, ONE reader looks at the journal for it (the
 * dashboard in-process, on a real SQLite journal whose run halted); every client gets the run's event lines and
 * state, and the reader stops when the last client leaves.
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createDashboard } from '../../src/cli/serve/dashboard-server.js';
import { type Journal, openJournal } from '../../src/journal/index.js';
import { haltedRun } from './serve-support.js';

/** The journal, counting the reads of the run record (one per look, whoever asked). */
function counted(journal: Journal): { journal: Journal; reads: () => number } {
  let reads = 0;
  const getRun = journal.getRun.bind(journal);
  journal.getRun = (runId) => {
    reads += 1;
    return getRun(runId);
  };
  return { journal, reads: () => reads };
}

async function firstState(url: string, controller: AbortController): Promise<string> {
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('event: state'))
    text += decoder.decode((await reader.read()).value, { stream: true });
  return text;
}

describe('the run feeds', () => {
  it('share one journal reader among all the clients of a run, and stop it when they leave', async () => {
    const { workspace, runId } = haltedRun();
    const { journal, reads } = counted(openJournal({ workspace, mustExist: true, readOnly: true }));
    const dashboard = createDashboard({
      access: { token: undefined, csrf: 'c'.repeat(32), loopback: true },
      journal: async () => journal,
      workers: async () => new Map(),
      journalOptions: { workspace },
      log: () => {},
    });
    await new Promise<void>((resolve) => dashboard.server.listen(0, '127.0.0.1', resolve));
    const { port } = dashboard.server.address() as AddressInfo;
    const controllers = Array.from({ length: 6 }, () => new AbortController());
    try {
      const url = `http://127.0.0.1:${port}/runs/${runId}/events?after=0`;
      const states = await Promise.all(controllers.map((controller) => firstState(url, controller)));
      for (const state of states) {
        expect(state).toContain(`run ${runId} started`);
        expect(state).toContain('"status":"halted"');
      }
      expect(dashboard.feeds.readers).toBe(1);
      // Each connection looked the run up once; from now on only the feed reads.
      const before = reads();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      // About one look per 400 ms for the run, not one per client (six clients would make six times as many).
      expect(reads() - before).toBeLessThanOrEqual(7);
      for (const controller of controllers) controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(dashboard.feeds.readers).toBe(0);
    } finally {
      dashboard.feeds.close();
      dashboard.server.closeAllConnections();
      await new Promise((resolve) => dashboard.server.close(resolve));
      await journal.close();
    }
  }, 60_000);
});
