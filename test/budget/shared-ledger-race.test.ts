/**
 * One budget across processes: two OS processes, each with its own connection pool and several calls in flight,
 * spend from the same run's shared ledger at once until both are refused. Every call commits all it reserved, so
 * the rule (a limit is passed by at most one reservation) means here: no phase and not the run ever passes its
 * limit. Without the reservation's row locks, two processes reading the same remainder both get it, and they do.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedLedger } from '../../src/budget/shared-ledger.js';
import { migratePostgresJournal, openPostgresJournal } from '../../src/journal/index.js';
import { sampleRun } from '../journal/contract/samples.js';
import { finished, printed } from '../journal/support/child-process.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import type { SpenderReport } from './support/ledger-child.js';

const childScript = fileURLToPath(new URL('./support/ledger-child.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const limits = { runUsd: 1, phaseUsd: { a: 0.45, b: 0.7 } };

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe('the shared ledger across OS processes', () => {
  it('never lets two racing processes take a run or a phase past its limit', async () => {
    const schema = server.freshSchema();
    await migratePostgresJournal({ url: server.url, schema });
    const journal = await openPostgresJournal({ url: server.url, schema });
    try {
      await journal.createRun(sampleRun('race'));
      const ledger = await SharedLedger.open(journal.ledgerStore!(), 'race', limits, {});

      const spenders = [0, 1].map(() =>
        spawn(process.execPath, ['--import', 'tsx', childScript, server.url, schema, 'race', '4', '200'], {
          cwd: repositoryRoot,
          env: { ...process.env, NODE_OPTIONS: '' },
        }),
      );
      const outputs = spenders.map((spender) => finished(spender));
      await Promise.all(spenders.map((spender) => printed(spender, 'ready')));
      const startAt = Date.now() + 200;
      for (const spender of spenders) spender.stdin.end(`go ${startAt}\n`);
      const reports = (await Promise.all(outputs)).map((output) => {
        expect(output.code, output.stderr).toBe(0);
        return JSON.parse(output.stdout.trim().split('\n').at(-1)!) as SpenderReport;
      });

      // Both spent and both were refused: they raced for the same remainder.
      for (const report of reports) {
        expect(report.granted).toBeGreaterThan(0);
        expect(report.refused).toBeGreaterThan(0);
      }
      await ledger.charge('a', 0);
      const committed = reports.reduce((total, report) => total + report.committedUsd, 0);
      expect(ledger.spent()).toBeCloseTo(committed, 9);
      expect(ledger.spent('a')).toBeLessThanOrEqual(limits.phaseUsd.a + 1e-9);
      expect(ledger.spent('b')).toBeLessThanOrEqual(limits.phaseUsd.b + 1e-9);
      expect(ledger.spent()).toBeLessThanOrEqual(limits.runUsd + 1e-9);
      // The run's budget was the one that bound: what is left is less than the largest call.
      const largest = Math.max(...reports.map((report) => report.largestUsd));
      expect(ledger.spent()).toBeGreaterThan(limits.runUsd - 0.022 - largest);
    } finally {
      await journal.close();
    }
  }, 120_000);
});
