/**
 * A separate OS process spending from one run's shared ledger, for the race test: it opens the Postgres journal
 * (a connection pool of its own), joins the run's ledger without resetting it, says `ready`, waits for
 * `go <epoch ms>` on stdin, then keeps `lanes` calls in flight, each reserving a random amount for a random phase
 * and committing all of it, until `calls` reservations were asked for. It prints one JSON line of what it did.
 *
 *   node --import tsx ledger-child.ts <postgres URL> <schema> <runId> <lanes> <calls>
 */
import { createInterface } from 'node:readline';
import { SharedLedger } from '../../../src/budget/shared-ledger.js';
import { BudgetExceededError } from '../../../src/errors/index.js';
import { openPostgresJournal } from '../../../src/journal/index.js';

export interface SpenderReport {
  granted: number;
  refused: number;
  largestUsd: number;
  committedUsd: number;
}

const [url = '', schema = '', runId = '', lanes = '1', calls = '0'] = process.argv.slice(2);

const journal = await openPostgresJournal({ url, schema });
const store = journal.ledgerStore?.();
if (store === undefined) throw new Error('the Postgres journal offers no ledger store');
const ledger = await SharedLedger.attach(store, runId);
const report: SpenderReport = { granted: 0, refused: 0, largestUsd: 0, committedUsd: 0 };
process.stdout.write('ready\n');
await waitForGo();
let asked = 0;
await Promise.all(
  Array.from({ length: Number(lanes) }, async () => {
    while (asked < Number(calls)) {
      asked += 1;
      const phaseId = Math.random() < 0.5 ? 'a' : 'b';
      const usd = 0.002 + Math.random() * 0.02;
      try {
        const reservation = await ledger.reserve(phaseId, usd);
        report.granted += 1;
        report.largestUsd = Math.max(report.largestUsd, usd);
        await ledger.commit(reservation, usd);
        report.committedUsd += usd;
      } catch (error) {
        if (!(error instanceof BudgetExceededError)) throw error;
        report.refused += 1;
      }
    }
  }),
);
await journal.close();
process.stdout.write(`${JSON.stringify(report)}\n`);

async function waitForGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const match = /^go (\d+)$/.exec(line.trim());
    if (match) {
      lines.close();
      const wait = Number(match[1]) - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return;
    }
  }
}
