/**
 * The shared cost ledger's figures in Postgres (the `LedgerStore` of a Postgres journal): per run its limit
 * (`ledger_runs`), per phase its spending and limit (`ledger_phases`), and each reservation in flight as a row
 * naming the process that holds it (`ledger_reservations`), so what a dead process held can be dropped. A
 * reservation is one transaction that locks the run's ledger row, then the phase's, and decides on the totals
 * read under those locks: two processes reserving for one run take turns, and neither sees the other's
 * reservation late. Every change (reservation, settlement, limit) takes the run's row first and counts itself in
 * its `version`, so the views handed back are ordered and a process keeps the latest it has seen.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PoolClient } from 'pg';
import { JournalError } from '../errors/index.js';
import type {
  LedgerPhaseRow,
  LedgerStore,
  LedgerView,
  ReservationRule,
  ReserveAnswer,
} from './ledger-store.js';
import { inTransaction, type PostgresConnection } from './postgres-pool.js';
import { NOT_LANDED, REDO } from './postgres-retry.js';
import type { Fence } from './postgres-runs.js';

interface PhaseRow {
  phase_id: string;
  spent_usd: number;
  reserved_usd: number;
  limit_usd: number | null;
}

export class PostgresLedgerStore implements LedgerStore {
  readonly #owner = `${hostname()}:${process.pid}`;

  constructor(
    private readonly connection: PostgresConnection,
    /** The run lock's check for a write of this journal's (none for a run whose lock it does not hold). */
    private readonly fence: (runId: string, doing: string) => Fence,
    /**
     * Waits out a lost database (`landed` settles a change whose COMMIT was cut off: postgres-retry.ts) and names
     * the database and the operation in what the driver throws.
     */
    private readonly guard: <T>(
      doing: string,
      work: () => Promise<T>,
      landed?: () => Promise<T | typeof NOT_LANDED>,
    ) => Promise<T>,
  ) {}

  reset(
    runId: string,
    limits: { runUsd: number; phaseUsd: Record<string, number> },
    spentByPhase: Record<string, number>,
  ): Promise<LedgerView> {
    const { ledgerRuns, ledgerPhases, ledgerReservations } = this.connection.tables;
    return this.guard(
      `open the ledger of run ${runId}`,
      () =>
        inTransaction(this.connection.pool, async (client) => {
          await this.fence(runId, 'open the run’s ledger')(client);
          await client.query(
            `INSERT INTO ${ledgerRuns} (run_id, limit_usd) VALUES ($1, $2)
         ON CONFLICT (run_id) DO UPDATE SET limit_usd = EXCLUDED.limit_usd, version = ${ledgerRuns}.version + 1`,
            [runId, limits.runUsd],
          );
          await client.query(`DELETE FROM ${ledgerReservations} WHERE run_id = $1`, [runId]);
          await client.query(`DELETE FROM ${ledgerPhases} WHERE run_id = $1`, [runId]);
          const phaseIds = [...new Set([...Object.keys(limits.phaseUsd), ...Object.keys(spentByPhase)])];
          if (phaseIds.length > 0) {
            await client.query(
              `INSERT INTO ${ledgerPhases} (run_id, phase_id, spent_usd, limit_usd)
           SELECT $1, * FROM unnest($2::text[], $3::double precision[], $4::double precision[])`,
              [
                runId,
                phaseIds,
                phaseIds.map((id) => spentByPhase[id] ?? 0),
                phaseIds.map((id) => finiteOrNull(limits.phaseUsd[id])),
              ],
            );
          }
          return readView(client, this.connection, runId);
        }),
      // Setting the same figures again is harmless.
      REDO,
    );
  }

  reserve(runId: string, phaseId: string, usd: number, rule: ReservationRule): Promise<ReserveAnswer> {
    const { ledgerPhases, ledgerReservations } = this.connection.tables;
    // Chosen before the transaction, so a reservation whose COMMIT was cut off can be looked for.
    const id = randomUUID();
    return this.guard(
      `reserve for phase ${phaseId} of run ${runId}`,
      () =>
        inTransaction(this.connection.pool, async (client) => {
          await this.fence(runId, `reserve for phase ${phaseId}`)(client);
          await lockLedgerRun(client, this.connection, runId);
          await client.query(
            `INSERT INTO ${ledgerPhases} (run_id, phase_id) VALUES ($1, $2) ON CONFLICT (run_id, phase_id) DO NOTHING`,
            [runId, phaseId],
          );
          await client.query(`SELECT 1 FROM ${ledgerPhases} WHERE run_id = $1 AND phase_id = $2 FOR UPDATE`, [
            runId,
            phaseId,
          ]);
          const view = await readView(client, this.connection, runId);
          const refused = rule(view);
          if (refused !== undefined) return { reserved: false, scope: refused, view };
          await client.query(
            `INSERT INTO ${ledgerReservations} (id, run_id, phase_id, usd, owner, pid) VALUES ($1, $2, $3, $4, $5, $6)`,
            [id, runId, phaseId, usd, this.#owner, process.pid],
          );
          const version = await bumpVersion(client, this.connection, runId);
          return { reserved: true, id, view: { ...withReserved(view, phaseId, usd), version } };
        }),
      async () =>
        (await this.#reservationExists(id))
          ? { reserved: true as const, id, view: await this.#readNow(runId) }
          : NOT_LANDED,
    );
  }

  settle(
    runId: string,
    phaseId: string,
    reservationId: string | undefined,
    spentUsd: number,
  ): Promise<LedgerView> {
    const { ledgerPhases, ledgerReservations } = this.connection.tables;
    return this.guard(
      `settle a cost of phase ${phaseId} of run ${runId}`,
      () =>
        inTransaction(this.connection.pool, async (client) => {
          // The run's row first, as a reservation takes it: the two never wait on each other's locks in turn.
          await bumpVersion(client, this.connection, runId);
          await client.query(
            `INSERT INTO ${ledgerPhases} (run_id, phase_id, spent_usd) VALUES ($1, $2, $3)
         ON CONFLICT (run_id, phase_id) DO UPDATE SET spent_usd = ${ledgerPhases}.spent_usd + EXCLUDED.spent_usd`,
            [runId, phaseId, spentUsd],
          );
          if (reservationId !== undefined) {
            await client.query(`DELETE FROM ${ledgerReservations} WHERE id = $1`, [reservationId]);
          }
          return readView(client, this.connection, runId);
        }),
      // Only a settlement of a reservation can be told apart from one never made: its reservation is gone.
      reservationId === undefined
        ? undefined
        : async () => ((await this.#reservationExists(reservationId)) ? NOT_LANDED : this.#readNow(runId)),
    );
  }

  setRunLimit(runId: string, usd: number): Promise<LedgerView> {
    return this.guard(
      `change the budget of run ${runId}`,
      () =>
        inTransaction(this.connection.pool, async (client) => {
          await bumpVersion(client, this.connection, runId);
          await client.query(
            `UPDATE ${this.connection.tables.ledgerRuns} SET limit_usd = $2 WHERE run_id = $1`,
            [runId, usd],
          );
          return readView(client, this.connection, runId);
        }),
      REDO,
    );
  }

  releaseAbandoned(runId: string): Promise<number> {
    return this.guard(
      `release the abandoned reservations of run ${runId}`,
      () =>
        inTransaction(this.connection.pool, async (client) => {
          await this.fence(runId, 'release abandoned reservations')(client);
          await bumpVersion(client, this.connection, runId);
          const result = await client.query(
            `DELETE FROM ${this.connection.tables.ledgerReservations} WHERE run_id = $1`,
            [runId],
          );
          return result.rowCount ?? 0;
        }),
      REDO,
    );
  }

  read(runId: string): Promise<LedgerView> {
    return this.guard(`read the ledger of run ${runId}`, () => this.#readNow(runId));
  }

  async #reservationExists(id: string): Promise<boolean> {
    const { pool, tables } = this.connection;
    const found = await pool.query(`SELECT 1 FROM ${tables.ledgerReservations} WHERE id = $1`, [id]);
    return found.rowCount !== 0;
  }

  #readNow(runId: string): Promise<LedgerView> {
    return inTransaction(this.connection.pool, (client) => readView(client, this.connection, runId));
  }
}

async function lockLedgerRun(
  client: PoolClient,
  connection: PostgresConnection,
  runId: string,
): Promise<void> {
  const result = await client.query(
    `SELECT 1 FROM ${connection.tables.ledgerRuns} WHERE run_id = $1 FOR UPDATE`,
    [runId],
  );
  if (result.rowCount === 0) throw noLedger(connection, runId);
}

/** Locks the run's ledger row and counts one more change of it: the number orders the views a process gets. */
async function bumpVersion(
  client: PoolClient,
  connection: PostgresConnection,
  runId: string,
): Promise<number> {
  const result = await client.query<{ version: string }>(
    `UPDATE ${connection.tables.ledgerRuns} SET version = version + 1 WHERE run_id = $1 RETURNING version`,
    [runId],
  );
  const row = result.rows[0];
  if (row === undefined) throw noLedger(connection, runId);
  return Number(row.version);
}

async function readView(
  client: PoolClient,
  connection: PostgresConnection,
  runId: string,
): Promise<LedgerView> {
  const { ledgerRuns, ledgerPhases, ledgerReservations } = connection.tables;
  const run = await client.query<{ limit_usd: number; version: string }>(
    `SELECT limit_usd, version FROM ${ledgerRuns} WHERE run_id = $1`,
    [runId],
  );
  const limit = run.rows[0];
  if (limit === undefined) throw noLedger(connection, runId);
  const phases = await client.query<PhaseRow>(
    `SELECT p.phase_id, p.spent_usd, p.limit_usd, COALESCE(SUM(r.usd), 0)::double precision AS reserved_usd
     FROM ${ledgerPhases} p
     LEFT JOIN ${ledgerReservations} r ON r.run_id = p.run_id AND r.phase_id = p.phase_id
     WHERE p.run_id = $1
     GROUP BY p.phase_id, p.spent_usd, p.limit_usd
     ORDER BY p.phase_id`,
    [runId],
  );
  return {
    runLimitUsd: limit.limit_usd,
    version: Number(limit.version),
    phases: phases.rows.map(
      (row): LedgerPhaseRow => ({
        phaseId: row.phase_id,
        spentUsd: row.spent_usd,
        reservedUsd: row.reserved_usd,
        limitUsd: row.limit_usd,
      }),
    ),
  };
}

function withReserved(view: LedgerView, phaseId: string, usd: number): LedgerView {
  return {
    ...view,
    phases: view.phases.map((phase) =>
      phase.phaseId === phaseId ? { ...phase, reservedUsd: phase.reservedUsd + usd } : phase,
    ),
  };
}

function finiteOrNull(usd: number | undefined): number | null {
  return usd === undefined || !Number.isFinite(usd) ? null : usd;
}

function noLedger({ target }: PostgresConnection, runId: string): JournalError {
  return new JournalError(target.location, `holds no ledger for run ${runId} (its lock holder opens it)`, {
    runId,
  });
}
