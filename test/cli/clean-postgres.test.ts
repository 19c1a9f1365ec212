/**
 * `phasewise clean` in a workspace whose runs are journaled in the shared Postgres journal: a halted run known
 * only there keeps its worktrees (taken for a run the journal does not know, they would go), a run it does not
 * know loses its own, and a succeeded one its own. Real Postgres from Debian, a real git repository, the built
 * CLI as a subprocess.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresJournal } from '../../src/journal/index.js';
import { createWorktree, requireRepository, snapshotCommit } from '../../src/worktree/index.js';
import { sampleRun } from '../journal/contract/samples.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { cli } from '../support/cli.js';
import { DATE, repositoryWith } from '../worktree/git-repository.js';

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function freshDatabase(): Promise<string> {
  const name = `pw_clean_${process.pid}`;
  await server.sql(`CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('phasewise clean on the shared journal', () => {
  it('keeps the worktrees of a run only Postgres knows while it waits, and removes those of runs that are over', async () => {
    const url = await freshDatabase();
    const top = repositoryWith({ 'a.txt': 'a\n', '.gitignore': '.phasewise/\n' });
    expect(cli(['db', 'migrate', '--database-url', url], { cwd: top }).code).toBe(0);
    const journal = await openPostgresJournal({ url });
    try {
      for (const [runId, status] of [
        ['waiting', 'halted'],
        ['done', 'succeeded'],
      ] as const) {
        await journal.createRun({ ...sampleRun(runId), workspace: top });
        await journal.updateRun(runId, { status, updatedAt: DATE.toISOString() });
      }
    } finally {
      await journal.close();
    }
    const repository = await requireRepository(top, 'implementation');
    const commit = await snapshotCommit(repository, { message: 'start', date: DATE });
    for (const runId of ['waiting', 'done', 'ghost']) {
      const path = await createWorktree({
        repository,
        runId,
        phaseId: 'implementation',
        name: 'api',
        commit,
      });
      writeFileSync(join(path, 'big.bin'), Buffer.alloc(16 * 1024, 7));
    }

    const cleaned = cli(['clean', '--json', '--database-url', url], { cwd: top });
    expect(cleaned.code, cleaned.stderr).toBe(0);
    const result = JSON.parse(cleaned.stdout) as {
      removed: { runId: string; status: string }[];
      kept: { runId: string; status: string }[];
    };
    expect(result.removed.map(({ runId, status }) => `${runId} ${status}`).sort()).toEqual([
      'done succeeded',
      'ghost unknown',
    ]);
    expect(result.kept.map(({ runId, status }) => `${runId} ${status}`)).toEqual(['waiting halted']);
    expect(existsSync(join(top, '.phasewise/worktrees/waiting/implementation/api/big.bin'))).toBe(true);
    expect(existsSync(join(top, '.phasewise/worktrees/done/implementation/api'))).toBe(false);
    // The password is never printed.
    expect(cleaned.stdout + cleaned.stderr).not.toContain(new URL(url).password);
  }, 60_000);
});
