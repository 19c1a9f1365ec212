/**
 * Runs journaled in the shared Postgres journal, as users do it: the built CLI runs a five-phase workflow on a
 * scripted provider with `--database-url` (or `journal: { kind: postgres }` in the configuration), writes no
 * SQLite journal, and `status`, `runs` and `report` read the run back from Postgres; a database never migrated
 * is refused with the command to run.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { cli, startCli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';

let server: PostgresServer;
let databases = 0;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function freshDatabase(): Promise<string> {
  const name = `pw_runs_${process.pid}_${++databases}`;
  await server.sql(`CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The scripted provider's call log goes to .phasewise/, which the SQLite journal would have created. */
function workspaceWithoutJournal(latencyMs = 0): string {
  const workspace = makeCrashWorkspace(latencyMs);
  mkdirSync(join(workspace, '.phasewise'));
  return workspace;
}

async function stepCount(url: string, runId: string): Promise<number> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query('SELECT count(*)::int AS n FROM phasewise.steps WHERE run_id = $1', [
      runId,
    ]);
    return (result.rows[0] as { n: number }).n;
  } finally {
    await client.end();
  }
}

describe('a run journaled in Postgres', () => {
  it('runs with --database-url, and status, runs and report read it from there', async () => {
    const url = await freshDatabase();
    const workspace = workspaceWithoutJournal();
    expect(cli(['db', 'migrate', '--database-url', url], { cwd: workspace }).code).toBe(0);
    const run = cli(['run', '--database-url', url], { cwd: workspace });
    expect(run.code, run.stderr).toBe(0);
    const runId = /run (\S+) succeeded/.exec(run.stderr)![1]!;
    expect(existsSync(join(workspace, '.phasewise', 'journal.db'))).toBe(false);
    expect(await stepCount(url, runId)).toBeGreaterThanOrEqual(10);

    const status = cli(['status', '--database-url', url], { cwd: workspace });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`run ${runId}  succeeded (exit 0)`);
    expect(status.stdout).toMatch(/planning\s+passed\s+scripted:claude-haiku-4-5\s+2/);
    const runs = cli(['runs', '--json', '--database-url', url], { cwd: workspace });
    expect(runs.code, runs.stderr).toBe(0);
    expect(
      runs.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).runId),
    ).toEqual([runId]);
    const report = cli(['report', runId, '--format', 'json', '--database-url', url], { cwd: workspace });
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ runId, status: 'succeeded' });
    const secret = new URL(url).password;
    for (const output of [run, status, runs, report])
      expect(output.stdout + output.stderr).not.toContain(secret);

    // Without --database-url the workspace has no journal of its own.
    expect(cli(['status'], { cwd: workspace }).code).toBe(2);
  }, 120_000);

  it('takes the journal from the configuration, its URL from the variable it names', async () => {
    const url = await freshDatabase();
    const workspace = workspaceWithoutJournal();
    appendFileSync(
      join(workspace, 'phasewise.yaml'),
      'journal: { kind: postgres, url_env: SHARED_RUNS_DB }\n',
    );
    const env = { SHARED_RUNS_DB: url };
    expect(cli(['db', 'migrate', '--database-url', url], { cwd: workspace }).code).toBe(0);
    const run = cli(['run'], { cwd: workspace, env });
    expect(run.code, run.stderr).toBe(0);
    const runId = /run (\S+) succeeded/.exec(run.stderr)![1]!;
    expect(existsSync(join(workspace, '.phasewise', 'journal.db'))).toBe(false);
    const status = cli(['status', runId], { cwd: workspace, env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`run ${runId}  succeeded (exit 0)`);

    const missing = cli(['status'], { cwd: workspace, env: { SHARED_RUNS_DB: '' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('set SHARED_RUNS_DB to postgresql://');
  }, 120_000);

  it('resumes a killed run from Postgres in exactly one of two processes; the other names the holder', async () => {
    const url = await freshDatabase();
    const workspace = workspaceWithoutJournal(150);
    expect(cli(['db', 'migrate', '--database-url', url], { cwd: workspace }).code).toBe(0);
    const env = { PHASEWISE_DATABASE_URL: url };
    const args = ['--json', '--database-url', url];
    const first = startCli(['run', ...args], { cwd: workspace, env });
    let runId = '';
    first.onLine((line, index) => {
      if (index === 1) runId = JSON.parse(line).runId;
      if (index === 8) first.child.kill('SIGKILL');
    });
    expect((await first.done).signal).toBe('SIGKILL');
    const a = startCli(['resume', runId, ...args], { cwd: workspace, env });
    const b = startCli(['resume', runId, ...args], { cwd: workspace, env });
    const results = await Promise.all([a.done, b.done]);
    expect(results.map((result) => result.code).sort(), results.map((r) => r.stderr).join('\n')).toEqual([
      0, 2,
    ]);
    const loser = results.find((result) => result.code === 2)!;
    expect(loser.stderr).toMatch(/being executed by another process \(pid \d+ on /);
    const status = cli(['status', runId, '--json', '--database-url', url], { cwd: workspace });
    expect(JSON.parse(status.stdout)).toMatchObject({ runId, status: 'succeeded' });
    expect(existsSync(join(workspace, '.phasewise', 'journal.db'))).toBe(false);
  }, 120_000);

  it('halts a run for review in Postgres; approve and reject answer it there and the run goes on', async () => {
    for (const answer of [['approve'], ['reject', '--feedback', 'Add the risks.']]) {
      const url = await freshDatabase();
      const workspace = workspaceWithoutJournal();
      const config = join(workspace, 'phasewise.yaml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace(
          'dependencies: research }',
          'dependencies: research, escalation: [halt] }',
        ),
      );
      expect(cli(['db', 'migrate', '--database-url', url], { cwd: workspace }).code).toBe(0);
      const halted = cli(['run', '--database-url', url], { cwd: workspace });
      expect(halted.code, halted.stderr).toBe(3);
      const runId = /run (\S+) halted/.exec(halted.stderr)![1]!;
      const answered = cli([answer[0]!, runId, ...answer.slice(1), '--database-url', url], {
        cwd: workspace,
      });
      expect(answered.code, answered.stderr).toBe(0);
      expect(answered.stderr).toMatch(/phase planning \(attempt 1\) (approved|rejected)/);
      const status = cli(['status', runId, '--json', '--database-url', url], { cwd: workspace });
      expect(JSON.parse(status.stdout).status).toBe('succeeded');
      expect(existsSync(join(workspace, '.phasewise', 'journal.db'))).toBe(false);
    }
  }, 120_000);

  it('refuses a database never migrated, naming `phasewise db migrate`, exit 2, and writes nothing', async () => {
    const url = await freshDatabase();
    const workspace = workspaceWithoutJournal();
    for (const args of [['run'], ['status'], ['runs']]) {
      const result = cli([...args, '--database-url', url], { cwd: workspace });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('holds no phasewise journal in schema phasewise yet');
      expect(result.stderr).toContain('phasewise db migrate');
    }
    expect(existsSync(join(workspace, '.phasewise', 'journal.db'))).toBe(false);
  }, 60_000);
});
