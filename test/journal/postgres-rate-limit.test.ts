/**
 * Provider rate limits shared through Postgres: separate processes against one database never exceed
 * max_concurrent or the requests of a window between them; a killed holder's slot frees once it is no longer
 * renewed, and a live holder's slot does not.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCliRateLimiter } from '../../src/cli/rate-limits.js';
import type { ProviderConfig } from '../../src/config/types.js';
import { openPostgresAdmissions } from '../../src/journal/index.js';
import { createRateLimiter, type RateLimiter } from '../../src/provider/index.js';
import { finished, printed } from './support/child-process.js';
import { postgresForFile } from './support/postgres-server.js';

const childScript = fileURLToPath(new URL('./support/rate-limit-child.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

const db = postgresForFile();

function child(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', childScript, ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

interface CallEvent {
  event: 'start' | 'end';
  at: number;
}

function callEvents(stdout: string): CallEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as CallEvent);
}

/** The most calls in flight at once, from start and end marks (an end before a start at the same ms). */
function mostInFlight(events: CallEvent[]): number {
  const sorted = [...events].sort((a, b) => a.at - b.at || (a.event === 'end' ? -1 : 1));
  let inFlight = 0;
  let most = 0;
  for (const { event } of sorted) {
    inFlight += event === 'start' ? 1 : -1;
    most = Math.max(most, inFlight);
  }
  return most;
}

/** The most starts in any span of `spanMs`. */
function mostStartsWithin(starts: number[], spanMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    const within = sorted.filter((at) => at >= sorted[i]! && at < sorted[i]! + spanMs).length;
    most = Math.max(most, within);
  }
  return most;
}

async function limiterOn(
  schema: string,
  limit: Record<string, number>,
  expiryMs: number,
): Promise<RateLimiter> {
  const store = await openPostgresAdmissions({ url: db.server.url, schema, expiryMs });
  return createRateLimiter({ limits: { fake: limit }, store, pollMs: 25 });
}

describe('Postgres rate limits', () => {
  it('holds max_concurrent across two processes', async () => {
    const schema = await db.migratedSchema();
    const args = ['calls', db.server.url, schema, JSON.stringify({ maxConcurrent: 2 }), '60000', '8', '60'];
    const outputs = await Promise.all([finished(child(args)), finished(child(args))]);
    for (const output of outputs) expect(output, output.stderr).toMatchObject({ code: 0 });
    const events = outputs.flatMap((output) => callEvents(output.stdout));
    expect(events.filter((e) => e.event === 'start')).toHaveLength(16);
    expect(mostInFlight(events)).toBe(2);
  }, 60_000);

  it('holds requests per window across two processes', async () => {
    const schema = await db.migratedSchema();
    const windowMs = 1_500;
    const args = [
      'calls',
      db.server.url,
      schema,
      JSON.stringify({ requestsPerMinute: 3 }),
      String(windowMs),
      '4',
      '10',
    ];
    const started = Date.now();
    const outputs = await Promise.all([finished(child(args)), finished(child(args))]);
    for (const output of outputs) expect(output, output.stderr).toMatchObject({ code: 0 });
    const starts = outputs.flatMap((output) => callEvents(output.stdout)).filter((e) => e.event === 'start');
    expect(starts).toHaveLength(8);
    // A start is printed a moment after its admission: a span a little shorter than the window is checked.
    expect(
      mostStartsWithin(
        starts.map((e) => e.at),
        windowMs - 100,
      ),
    ).toBeLessThanOrEqual(3);
    // 8 calls at 3 a window need at least two windows after the first admission.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * windowMs);
  }, 60_000);

  it('counts tokens across stores, corrected at release, and deletes rows the window has left', async () => {
    const schema = await db.migratedSchema();
    const windowMs = 600;
    const open = () => openPostgresAdmissions({ url: db.server.url, schema, windowMs });
    const [one, two] = await Promise.all([open(), open()]);
    const limit = { tokensPerMinute: 100 };
    try {
      const first = await one.tryAdmit('fake', limit, 60);
      expect(first).toMatchObject({ admitted: true });
      // The other holder sees the first's estimate: 60 + 60 is over 100.
      const refused = await two.tryAdmit('fake', limit, 60);
      expect(refused).toMatchObject({
        admitted: false,
        reason: '60 + 60 token(s) in the window, tokens_per_minute 100',
      });
      expect(refused.admitted === false && refused.retryInMs).toBeLessThanOrEqual(windowMs);
      // Released with what it really used, it leaves room.
      if (first.admitted) await one.release('fake', first.id, 10);
      const second = await two.tryAdmit('fake', limit, 60);
      expect(second).toMatchObject({ admitted: true });
      if (second.admitted) await two.release('fake', second.id, 60);
      await new Promise((resolve) => setTimeout(resolve, windowMs + 100));
      expect(await one.tryAdmit('fake', limit, 90)).toMatchObject({ admitted: true });
      // The two released rows out of the window were deleted by that admission; its own row remains.
      const rows = await db.server.sql(`SELECT tokens FROM "${schema}".provider_admissions`);
      expect(rows.rows).toEqual([{ tokens: '90' }]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("frees a killed holder's slot after the expiry, and never a live holder's", async () => {
    const schema = await db.migratedSchema();
    const expiryMs = 1_500;
    const limit = JSON.stringify({ maxConcurrent: 1 });
    const holder = child(['hold', db.server.url, schema, limit, String(expiryMs)]);
    const holderDone = finished(holder);
    await printed(holder, 'held');
    const limiter = await limiterOn(schema, { maxConcurrent: 1 }, expiryMs);
    try {
      // Alive, the holder renews its slot: two expiries later it still has it.
      await expect(
        limiter.admit({
          provider: 'fake',
          estimatedTokens: 1,
          abortSignal: AbortSignal.timeout(2 * expiryMs),
        }),
      ).rejects.toThrow();
      holder.kill('SIGKILL');
      await holderDone;
      const killedAt = performance.now();
      const slot = await limiter.admit({
        provider: 'fake',
        estimatedTokens: 1,
        abortSignal: AbortSignal.timeout(4 * expiryMs),
      });
      const waited = performance.now() - killedAt;
      // Renewed at most expiry/3 before the kill, it counts until a full expiry after that renewal.
      expect(waited).toBeGreaterThanOrEqual((2 / 3) * expiryMs - 100);
      expect(waited).toBeLessThan(expiryMs + 1_000);
      await slot.release({ actualTokens: 1 });
    } finally {
      holder.kill('SIGKILL');
      await limiter.close();
    }
  }, 60_000);

  it("lets a worker keep one store across runs: each run's limiter shares it and leaves it open", async () => {
    const schema = await db.migratedSchema();
    const store = await openPostgresAdmissions({ url: db.server.url, schema });
    const providers: Record<string, ProviderConfig> = {
      fake: { name: 'fake', kind: 'anthropic', pricing: {}, rateLimit: { maxConcurrent: 1 } },
    };
    try {
      const [runA, runB] = await Promise.all([
        openCliRateLimiter({ providers }, { store }),
        openCliRateLimiter({ providers }, { store }),
      ]);
      const held = await runA!.admit({ provider: 'fake', estimatedTokens: 1 });
      // One slot between the runs: the other waits.
      await expect(
        runB!.admit({ provider: 'fake', estimatedTokens: 1, abortSignal: AbortSignal.timeout(300) }),
      ).rejects.toThrow();
      await held.release({ actualTokens: 1 });
      await runA!.close();
      // Closing run A's limiter left the store open for run B.
      await (await runB!.admit({ provider: 'fake', estimatedTokens: 1 })).release({ actualTokens: 1 });
    } finally {
      await store.close();
    }
  });
});
