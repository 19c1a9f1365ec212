/**
 * The ledger shared through the Postgres journal: the ledger contract, then what only a shared ledger has — two
 * handles (two connection pools) on one run see each other's reservations at the reservation's check, a reopen
 * by the lock holder resets the figures from the journal (nothing counted twice, a dead process's reservations
 * dropped), and a handle that lost the run's lock can no longer reserve.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaneLedger } from '../../src/budget/lane-ledger.js';
import { openRunLedger } from '../../src/budget/run-ledger.js';
import { SharedLedger } from '../../src/budget/shared-ledger.js';
import { BudgetExceededError, RunTakenOverError } from '../../src/errors/index.js';
import {
  type Journal,
  type LedgerStore,
  type LedgerView,
  migratePostgresJournal,
  openPostgresJournal,
} from '../../src/journal/index.js';
import { sampleRun, sampleStep } from '../journal/contract/samples.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { describeLedgerContract } from './ledger-contract.js';

let server: PostgresServer;
let schema: string;
const journals: Journal[] = [];

beforeAll(async () => {
  server = startPostgres();
  schema = server.freshSchema();
  await migratePostgresJournal({ url: server.url, schema });
});

afterAll(async () => {
  for (const journal of journals.splice(0)) await journal.close();
  await server?.stop();
});

async function journal(): Promise<Journal> {
  const opened = await openPostgresJournal({ url: server.url, schema });
  journals.push(opened);
  return opened;
}

function storeOf(opened: Journal): LedgerStore {
  const store = opened.ledgerStore?.();
  if (store === undefined) throw new Error('the Postgres journal offers no ledger store');
  return store;
}

async function newRun(opened: Journal): Promise<string> {
  const runId = `run-${randomUUID()}`;
  await opened.createRun(sampleRun(runId));
  return runId;
}

describeLedgerContract('SharedLedger', async (limits, spentByPhase = {}) => {
  const opened = journals[0] ?? (await journal());
  return SharedLedger.open(storeOf(opened), await newRun(opened), limits, spentByPhase);
});

describe('SharedLedger across handles', () => {
  it('refuses at the reservation what another pool already holds, though its own view was stale', async () => {
    const [first, second] = [await journal(), await journal()];
    const runId = await newRun(first);
    const holder = await SharedLedger.open(storeOf(first), runId, { runUsd: 1, phaseUsd: { a: 1 } }, {});
    const other = await SharedLedger.attach(storeOf(second), runId);
    await holder.reserve('a', 0.7);
    // The other handle has not heard of it yet: its view is the one it read when it attached.
    expect(other.available('a').usd).toBeCloseTo(1, 9);
    const refused = await other.reserve('a', 0.5).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    // The refusal brought the stored figures back with it.
    expect(other.available('a').usd).toBeCloseTo(0.3, 9);
    await other.commit(await other.reserve('a', 0.3), 0.25);
    expect(other.spent('a')).toBeCloseTo(0.25, 9);
    await holder.charge('a', 0);
    expect(holder.spent()).toBeCloseTo(0.25, 9);
  });

  it('resets the figures from the journal when the lock holder reopens the run: nothing is counted twice', async () => {
    const opened = await journal();
    const runId = await newRun(opened);
    const limits = { runUsd: 1, phaseUsd: { research: 0.5 } };
    const first = await openRunLedger(opened, runId, limits, await opened.listSteps(runId));
    expect(first).toBeInstanceOf(SharedLedger);
    // A call paid and journaled, then the process dies holding another reservation.
    await first.commit(await first.reserve('research', 0.2), 0.15);
    await opened.recordStep(sampleStep(runId, 'research/a1/t1/model', 0.15));
    await first.reserve('research', 0.3);
    expect(first.available('research').usd).toBeCloseTo(0.05, 9);

    const reopened = await openRunLedger(opened, runId, limits, await opened.listSteps(runId));
    expect(reopened.spent('research')).toBeCloseTo(0.15, 9);
    expect(reopened.spent()).toBeCloseTo(0.15, 9);
    expect(reopened.available('research').usd).toBeCloseTo(0.35, 9);
    const rows = await server.sql(
      `SELECT count(*)::int AS n FROM "${schema}".ledger_reservations WHERE run_id = $1`,
      [runId],
    );
    expect(rows.rows[0]?.n).toBe(0);
  });

  it('releases the reservations a dead process left in flight', async () => {
    const [first, second] = [await journal(), await journal()];
    const runId = await newRun(first);
    const holder = await SharedLedger.open(storeOf(first), runId, { runUsd: 1, phaseUsd: {} }, {});
    const dead = await SharedLedger.attach(storeOf(second), runId);
    await dead.reserve('a', 0.6);
    await holder.charge('a', 0);
    expect(holder.available('a').usd).toBeCloseTo(0.4, 9);
    expect(await holder.releaseAbandoned()).toBe(1);
    expect(holder.available('a').usd).toBeCloseTo(1, 9);
  });

  it('refuses a reservation to a handle whose run lock was taken over', async () => {
    const [first, second] = [await journal(), await journal()];
    const runId = await newRun(first);
    await first.acquireLock(runId, {
      pid: process.pid,
      host: 'elsewhere',
      since: new Date().toISOString(),
      token: 'a',
    });
    const ledger = await openRunLedger(first, runId, { runUsd: 1, phaseUsd: {} }, []);
    await second.acquireLock(
      runId,
      { pid: process.pid, host: 'elsewhere', since: new Date().toISOString(), token: 'b' },
      { breakLock: true },
    );
    await expect(ledger.reserve('a', 0.1)).rejects.toBeInstanceOf(RunTakenOverError);
  });
});

describe('SharedLedger under work items', () => {
  it('holds items side by side to the phase limit through the shared ledger', async () => {
    const opened = await journal();
    const run = await SharedLedger.open(
      storeOf(opened),
      await newRun(opened),
      { runUsd: 1, phaseUsd: { implementation: 0.3 } },
      {},
    );
    const lanes = ['a', 'b', 'c'].map((item) => new LaneLedger(run, 'implementation', item, 0.2));
    const held = await Promise.all(lanes.map((lane) => lane.reserve('implementation', 0.1)));
    await expect(lanes[0]!.reserve('implementation', 0.05)).rejects.toThrow(
      /cost limit of phase implementation/,
    );
    await Promise.all(lanes.map((lane, index) => lane.commit(held[index]!, 0.1)));
    expect(run.spent('implementation')).toBeCloseTo(0.3, 9);
    expect(lanes[1]!.spent('implementation')).toBeCloseTo(0.1, 9);
  });

  it('says plainly that a run’s ledger was never opened', async () => {
    const opened = await journal();
    await expect(SharedLedger.attach(storeOf(opened), 'no-such-run')).rejects.toThrow(
      /holds no ledger for run no-such-run \(its lock holder opens it\)/,
    );
  });
});

describe('SharedLedger views', () => {
  it('keeps the latest view when answers to calls made side by side arrive out of order', async () => {
    const view = (version: number, spentUsd: number): LedgerView => ({
      runLimitUsd: 1,
      version,
      phases: [{ phaseId: 'a', spentUsd, reservedUsd: 0, limitUsd: null }],
    });
    const answers: Array<(view: LedgerView) => void> = [];
    const store: LedgerStore = {
      reset: async () => view(1, 0),
      read: async () => view(1, 0),
      settle: () => new Promise((resolve) => answers.push(resolve)),
      reserve: async () => ({ reserved: false, scope: 'run', view: view(1, 0) }),
      setRunLimit: async () => view(1, 0),
      releaseAbandoned: async () => 0,
    };
    const ledger = await SharedLedger.open(store, 'run', { runUsd: 1, phaseUsd: {} }, {});
    const first = ledger.charge('a', 0.1);
    const second = ledger.charge('a', 0.2);
    answers[1]!(view(3, 0.3));
    await second;
    answers[0]!(view(2, 0.1));
    await first;
    expect(ledger.spent('a')).toBeCloseTo(0.3, 9);
  });
});
