/**
 * Provider rate-limit admissions shared through Postgres by every process of a journal (the store behind
 * `provider/rate-limit.ts`'s limiter). One admission is one transaction: it locks the provider's row in
 * `rate_limit_providers` (`FOR UPDATE`), so admissions to one provider are decided one at a time, counts the
 * provider's admissions in the window and those in flight, and inserts a row or refuses. Times are the database
 * clock's, so the processes' clocks do not matter.
 *
 * A slot of a process that died must free. Each process is a holder (host, pid and a random part) and renews
 * its slots in flight every `expiryMs / 3`; a slot not renewed for `expiryMs` no longer counts as in flight (its
 * tokens still count for the window it was admitted in). Rows older than the window that are released or
 * expired are deleted by later admissions of their provider.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PoolClient } from 'pg';
import type { RateLimitConfig } from '../config/types.js';
import { refusal } from '../util/rate-limit-rule.js';
import { toJournalError } from './postgres-errors.js';
import { parseDatabaseUrl } from './postgres-location.js';
import { requireCurrentVersion } from './postgres-migrate.js';
import { createPool, inTransaction, journalTables, type PostgresConnection } from './postgres-pool.js';
import { DEFAULT_RETRY, REDO, retryWhileUnreachable } from './postgres-retry.js';

export const DEFAULT_ADMISSION_EXPIRY_MS = 60_000;

export interface PostgresAdmissionsOptions {
  /** postgresql://USER:PASSWORD@HOST:PORT/DATABASE of the journal; only its password-free form is ever shown. */
  url: string;
  schema?: string;
  /** The rate window; a minute unless a test wants a shorter one. */
  windowMs?: number;
  /** How long a slot counts as in flight without being renewed; default 60 s. */
  expiryMs?: number;
  /** This process as the admissions name it; default host:pid:random. */
  holder?: string;
}

/** The same shapes as `provider/rate-limit.ts`'s `AdmissionStore` (the journal layer cannot import them). */
export type PostgresAdmissionAnswer =
  | { admitted: true; id: string }
  | { admitted: false; retryInMs: number; reason: string };

export interface PostgresAdmissions {
  readonly holder: string;
  tryAdmit(provider: string, limit: RateLimitConfig, tokens: number): Promise<PostgresAdmissionAnswer>;
  release(provider: string, id: string, actualTokens: number): Promise<void>;
  close(): Promise<void>;
}

interface Counts {
  requests: string;
  tokens: string;
  in_flight: string;
  retry_in_ms: number | null;
}

/** Opens the store on a database at this build's journal schema version (`phasewise db migrate`). */
export async function openPostgresAdmissions(
  options: PostgresAdmissionsOptions,
): Promise<PostgresAdmissions> {
  const target = parseDatabaseUrl(options.url, options.schema);
  const connection: PostgresConnection = {
    target,
    pool: await createPool(target),
    tables: journalTables(target.schema),
  };
  try {
    await requireCurrentVersion(connection);
  } catch (error) {
    await connection.pool.end();
    throw toJournalError(target, 'open the provider rate limits', error);
  }
  return new Admissions(connection, {
    windowMs: options.windowMs ?? 60_000,
    expiryMs: options.expiryMs ?? DEFAULT_ADMISSION_EXPIRY_MS,
    holder: options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  });
}

class Admissions implements PostgresAdmissions {
  readonly holder: string;
  readonly #connection: PostgresConnection;
  readonly #windowMs: number;
  readonly #expiryMs: number;
  /** Slots this process holds; while there are any, they are renewed. */
  #held = 0;
  #renewal: NodeJS.Timeout | undefined;

  constructor(
    connection: PostgresConnection,
    settings: { windowMs: number; expiryMs: number; holder: string },
  ) {
    this.#connection = connection;
    this.#windowMs = settings.windowMs;
    this.#expiryMs = settings.expiryMs;
    this.holder = settings.holder;
  }

  async tryAdmit(provider: string, limit: RateLimitConfig, tokens: number): Promise<PostgresAdmissionAnswer> {
    const answer = await this.#guard(`admit a call to ${provider}`, () =>
      // Unsynced: a server crash may forget admissions just made, letting a few calls more through once;
      // a synced commit per model call is not worth that.
      inTransaction(this.#connection.pool, (client) => this.#admit(client, provider, limit, tokens), {
        unsynced: true,
      }),
    );
    if (answer.admitted) this.#hold(+1);
    return answer;
  }

  async #admit(
    client: PoolClient,
    provider: string,
    limit: RateLimitConfig,
    tokens: number,
  ): Promise<PostgresAdmissionAnswer> {
    const t = this.#connection.tables;
    await client.query(`INSERT INTO ${t.rateLimitProviders} (provider) VALUES ($1) ON CONFLICT DO NOTHING`, [
      provider,
    ]);
    await client.query(`SELECT provider FROM ${t.rateLimitProviders} WHERE provider = $1 FOR UPDATE`, [
      provider,
    ]);
    const window = [provider, this.#windowMs, this.#expiryMs];
    // $2 the window, $3 the expiry, in milliseconds.
    await client.query(
      `DELETE FROM ${t.admissions}
        WHERE provider = $1 AND admitted_at <= clock_timestamp() - $2 * interval '1 millisecond'
          AND (released_at IS NOT NULL OR renewed_at <= clock_timestamp() - $3 * interval '1 millisecond')`,
      window,
    );
    const counted = await client.query<Counts>(
      `WITH now AS (SELECT clock_timestamp() AS at),
            live AS (
              SELECT a.*, a.admitted_at > now.at - $2 * interval '1 millisecond' AS in_window,
                     a.released_at IS NULL AND a.renewed_at > now.at - $3 * interval '1 millisecond' AS held
                FROM ${t.admissions} a, now WHERE a.provider = $1)
       SELECT count(*) FILTER (WHERE in_window) AS requests,
              coalesce(sum(tokens) FILTER (WHERE in_window), 0) AS tokens,
              count(*) FILTER (WHERE held) AS in_flight,
              extract(epoch FROM min(admitted_at) FILTER (WHERE in_window)
                + $2 * interval '1 millisecond' - (SELECT at FROM now)) * 1000 AS retry_in_ms
         FROM live`,
      window,
    );
    const row = counted.rows[0]!;
    const refused = refusal(
      limit,
      { requests: Number(row.requests), tokens: Number(row.tokens), inFlight: Number(row.in_flight) },
      tokens,
    );
    if (refused !== undefined) {
      // A call in flight frees its slot at release (or expiry): only asking again tells, at the limiter's pace.
      const retryInMs =
        refused.freedBy === 'release' || row.retry_in_ms === null
          ? this.#windowMs
          : Math.max(1, Math.ceil(Number(row.retry_in_ms)));
      return { admitted: false, retryInMs, reason: refused.reason };
    }
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO ${t.admissions} (provider, admitted_at, tokens, holder, renewed_at)
       VALUES ($1, clock_timestamp(), $2, $3, clock_timestamp()) RETURNING id`,
      [provider, tokens, this.holder],
    );
    return { admitted: true, id: String(inserted.rows[0]!.id) };
  }

  async release(provider: string, id: string, actualTokens: number): Promise<void> {
    this.#hold(-1);
    await this.#guard(`release a call to ${provider}`, () =>
      this.#connection.pool.query(
        `UPDATE ${this.#connection.tables.admissions}
            SET released_at = clock_timestamp(), tokens = $2 WHERE id = $1 AND released_at IS NULL`,
        [id, actualTokens],
      ),
    );
  }

  async close(): Promise<void> {
    clearInterval(this.#renewal);
    this.#renewal = undefined;
    await this.#connection.pool.end();
  }

  /** Renewal runs while this process holds slots, and stops when it holds none. */
  #hold(change: number): void {
    this.#held = Math.max(0, this.#held + change);
    if (this.#held > 0 && this.#renewal === undefined) {
      this.#renewal = setInterval(() => void this.#renew(), Math.max(100, Math.floor(this.#expiryMs / 3)));
      this.#renewal.unref();
    } else if (this.#held === 0 && this.#renewal !== undefined) {
      clearInterval(this.#renewal);
      this.#renewal = undefined;
    }
  }

  /** A failed renewal is not fatal: the next one may succeed before the slots expire. */
  async #renew(): Promise<void> {
    await this.#connection.pool
      .query(
        `UPDATE ${this.#connection.tables.admissions}
            SET renewed_at = clock_timestamp() WHERE holder = $1 AND released_at IS NULL`,
        [this.holder],
      )
      .catch(() => {});
  }

  /**
   * Waits out a lost database (a restart) like the journal does. An admission whose COMMIT was cut off is made
   * again: at worst one slot is held twice until it expires, which only ever admits fewer calls, never more.
   */
  async #guard<T>(doing: string, work: () => Promise<T>): Promise<T> {
    try {
      return await retryWhileUnreachable(work, DEFAULT_RETRY, REDO);
    } catch (error) {
      throw toJournalError(this.#connection.target, doing, error);
    }
  }
}
