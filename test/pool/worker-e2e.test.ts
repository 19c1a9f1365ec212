/**
 * Queued runs and workers end to end, with real parts: a throwaway Postgres, a local bare git repository as
 * the runs' remote, the built CLI for `db migrate`, `submit`, `approve` and a real `phasewise worker` child
 * process on the scripted provider. Every run completes and its branch `phasewise/<run-id>` is in the bare
 * repository with the run's commit; a run of another version is left for a worker of that version; a
 * repository that cannot be fetched is a recorded failure; a halted run approved from another process goes on
 * on the worker; an abort stops a running run; submit on the SQLite journal is refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/util/redact.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { cli, type RunningCli, startCli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';

let server: PostgresServer;
let databases = 0;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function migratedDatabase(cwd: string): Promise<string> {
  const name = `pw_pool_${process.pid}_${++databases}`;
  await server.sql(`CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const migrated = cli(['db', 'migrate', '--database-url', url.toString()], { cwd });
  expect(migrated.code, migrated.stderr).toBe(0);
  return url.toString();
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The crash workspace committed in a repository whose `origin` is a bare clone: what submit sends by default. */
function repositoryWithRemote(
  latencyMs: number,
  edit?: (config: string) => string,
): { checkout: string; bare: string } {
  const checkout = makeCrashWorkspace(latencyMs);
  const config = join(checkout, 'phasewise.yaml');
  if (edit !== undefined) writeFileSync(config, edit(readFileSync(config, 'utf8')));
  git(checkout, 'init', '-q', '-b', 'main');
  git(checkout, 'add', '-A');
  git(checkout, '-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-qm', 'the project');
  const bare = join(mkdtempSync(join(tmpdir(), 'phasewise-remote-')), 'project.git');
  git(checkout, 'clone', '-q', '--bare', checkout, bare);
  git(checkout, 'remote', 'add', 'origin', bare);
  return { checkout, bare };
}

interface RunRow {
  runId: string;
  status: string;
  message: string | null;
}

async function runRows(url: string): Promise<Map<string, RunRow>> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ run_id: string; status: string; message: string | null }>(
      'SELECT run_id, status, message FROM phasewise.runs',
    );
    return new Map(
      rows.rows.map((row) => [row.run_id, { runId: row.run_id, status: row.status, message: row.message }]),
    );
  } finally {
    await client.end();
  }
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  worker: RunningCli,
  ms = 90_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  worker.child.kill('SIGKILL');
  throw new Error(`timed out waiting for ${what}; worker said:\n${(await worker.done).stderr}`);
}

function submit(cwd: string, url: string, args: string[], env: Record<string, string> = {}): string {
  const submitted = cli(['submit', ...args, '--database-url', url], { cwd, env });
  expect(submitted.code, submitted.stderr).toBe(0);
  return submitted.stdout.trim();
}

let workDirs = 0;

function startWorker(cwd: string, url: string): RunningCli {
  // A folder of words: the redactor hides a path with random letters in it (see worker.ts).
  const workDir = join(tmpdir(), `phasewise-worker-${process.pid}-${++workDirs}`);
  return startCli(['worker', '--concurrency', '2', '--work-dir', workDir, '--database-url', url], { cwd });
}

async function stopWorker(worker: RunningCli): Promise<string> {
  worker.child.kill('SIGTERM');
  const done = await worker.done;
  expect(done.code, done.stderr).toBe(0);
  return done.stderr;
}

describe('queued runs on a worker', () => {
  it('runs every submitted run, pushes its branch, leaves another version’s run, records an unfetchable repository', async () => {
    const { checkout, bare } = repositoryWithRemote(0);
    const url = await migratedDatabase(checkout);
    const runs = [
      submit(checkout, url, ['Add a health endpoint']),
      submit(checkout, url, ['Add a status endpoint', '--repo', bare]),
      submit(checkout, url, ['Add a ping endpoint', '--repo', bare, '--ref', 'main']),
    ];
    const otherVersion = submit(checkout, url, ['Later'], { PHASEWISE_WORKER_VERSION: '9.9.9' });
    const unfetchable = submit(checkout, url, [
      'Nowhere',
      '--repo',
      join(tmpdir(), 'no-such-repository.git'),
    ]);
    expect((await runRows(url)).get(runs[0]!)?.status).toBe('queued');

    const worker = startWorker(checkout, url);
    await waitFor(
      'every run to end',
      async () => {
        const rows = await runRows(url);
        return [...runs, unfetchable].every((id) => !['queued', 'running'].includes(rows.get(id)!.status));
      },
      worker,
    );
    const log = await stopWorker(worker);
    const rows = await runRows(url);
    for (const runId of runs) {
      expect(rows.get(runId)?.status, `${rows.get(runId)?.message}\n${log}`).toBe('succeeded');
      const files = git(bare, 'ls-tree', '-r', '--name-only', `phasewise/${runId}`);
      expect(files).toContain('src/health.js');
      expect(git(bare, 'log', '-1', '--format=%s', `phasewise/${runId}`)).toContain(`phasewise run ${runId}`);
      expect(log).toContain(`run ${runId}: execution 1 started`);
    }
    expect(rows.get(otherVersion)?.status).toBe('queued');
    expect(rows.get(unfetchable)).toMatchObject({ status: 'failed' });
    expect(rows.get(unfetchable)?.message).toContain('could not be fetched');
    expect(log).not.toContain(new URL(url).password);

    const workerId = /worker (\S+) \(version/.exec(log)![1]!;
    const listed = cli(['runs', '--database-url', url], { cwd: checkout });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${runs[0]}\\s+succeeded.*${workerId}`));
    const status = cli(['status', runs[0]!, '--database-url', url], { cwd: checkout });
    expect(status.stdout).toContain(`worker: ${workerId}`);
  }, 180_000);

  it.each([['approve'], ['reject', '--feedback', 'Add the risks.']])(
    'ends an execution at a halt; %s from another process queues the next one, which the worker runs',
    async (...answer: string[]) => {
      const { checkout, bare } = repositoryWithRemote(0, (config) =>
        config.replace('dependencies: research }', 'dependencies: research, escalation: [halt] }'),
      );
      const url = await migratedDatabase(checkout);
      const runId = submit(checkout, url, []);
      const worker = startWorker(checkout, url);
      await waitFor('the halt', async () => (await runRows(url)).get(runId)?.status === 'halted', worker);
      const approved = cli([answer[0]!, runId, ...answer.slice(1), '--database-url', url], {
        cwd: mkdtempSync(join(tmpdir(), 'pw-')),
      });
      expect(approved.code, approved.stderr).toBe(0);
      expect(approved.stderr).toContain(`queued again as ${runId}.2`);
      await waitFor('the end', async () => (await runRows(url)).get(runId)?.status === 'succeeded', worker);
      const log = await stopWorker(worker);
      expect(log).toContain(`run ${runId}: execution 2 started`);
      expect(git(bare, 'ls-tree', '-r', '--name-only', `phasewise/${runId}`)).toContain('src/health.js');
    },
    180_000,
  );

  it('stops a running run when abort is asked from another process', async () => {
    const { checkout } = repositoryWithRemote(1_500);
    const url = await migratedDatabase(checkout);
    const runId = submit(checkout, url, []);
    const worker = startWorker(checkout, url);
    await waitFor('the start', async () => (await runRows(url)).get(runId)?.status === 'running', worker);
    const aborted = cli(['abort', runId, '--database-url', url], { cwd: checkout });
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(aborted.stderr).toContain('abort requested');
    await waitFor(
      'the abort',
      async () => (await runRows(url)).get(runId)?.status === 'aborted',
      worker,
      30_000,
    );
    await stopWorker(worker);
  }, 120_000);

  it('queues a running run again when its worker is stopped, and another worker finishes it', async () => {
    const { checkout, bare } = repositoryWithRemote(400);
    const url = await migratedDatabase(checkout);
    const runId = submit(checkout, url, []);
    const first = startWorker(checkout, url);
    await waitFor('the start', async () => (await runRows(url)).get(runId)?.status === 'running', first);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const log = await stopWorker(first);
    expect(log).toContain(`run ${runId}: queued again as ${runId}.2`);
    expect((await runRows(url)).get(runId)?.status).toBe('queued');
    const second = startWorker(checkout, url);
    await waitFor('the end', async () => (await runRows(url)).get(runId)?.status === 'succeeded', second);
    expect(await stopWorker(second)).toContain(`run ${runId}: execution 2 started`);
    expect(git(bare, 'ls-tree', '-r', '--name-only', `phasewise/${runId}`)).toContain('src/health.js');
  }, 180_000);

  it('runs in a work folder whose random letters look like a secret to the redactor', async () => {
    const { checkout } = repositoryWithRemote(0);
    const url = await migratedDatabase(checkout);
    const runId = submit(checkout, url, []);
    const redactor = createRedactor({ env: {} });
    const workDir = ['phasewise-worker-yHFlAn', 'k9Qz7Lx2Pm4Rt8VwYb3N', 'aZ3kQ9xL7pW2mR8vT4yB6nC1']
      .map((name) => join(tmpdir(), `${name}${process.pid}`))
      .find((candidate) => redactor.redact(join(candidate, runId)) !== join(candidate, runId));
    expect(workDir).toBeDefined();
    const worker = startCli(['worker', '--work-dir', workDir!, '--database-url', url], { cwd: checkout });
    await waitFor('the end', async () => (await runRows(url)).get(runId)?.status === 'succeeded', worker);
    await stopWorker(worker);
  }, 120_000);

  it('refuses to submit to the SQLite journal, saying what to do', () => {
    const { checkout } = repositoryWithRemote(0);
    const refused = cli(['submit', 'A task'], { cwd: checkout, env: { PHASEWISE_DATABASE_URL: '' } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('shared Postgres journal');
    expect(refused.stderr).toContain('--database-url');
  });
});
