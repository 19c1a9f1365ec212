/**
 * A pool of workers on one Postgres: durable steps per second with W = 1, 2 and 4 `phasewise worker` processes
 * (each `--concurrency C`), beside the same runs on the SQLite journal (`phasewise run` in separate checkouts, C at
 * a time), and the time from a worker's death (SIGKILL) to its runs' first step on the other worker, beside the
 * lease. All real parts: a throwaway Postgres (scripts/postgres.sh, one database per round, `db migrate`), the
 * built CLI in child processes, a git checkout whose `origin` is a bare clone, and the scripted provider of
 * test/support/crash-workspace.ts (five phases, a tool call each, planning retried once: 12 model answers and 6
 * tool calls a run), whose latency per answer is real wall time — the steps wait on the model, as in the issue.
 *
 * Throughput = recorded journal steps ÷ (last step's end − first step's start), both from the journal, so the
 * workers' start-up and the runs' fetch before their first step are outside the window. CPU seconds per run come
 * from /proc: this process's reaped children (the workers or `run` processes, with the git they ran) and the
 * Postgres server's processes, across the round. Needs Linux, the build and Debian's `postgresql`.
 *
 * Run alone (after `npm run build`): npx tsx bench/pool-throughput.ts [--rounds 3] [--runs-per-worker 8]
 *   [--concurrency 4] [--latency 300] [--workers 1,2,4] [--engine-rounds 1] [--recovery-rounds 3]
 *   [--leases 3000,6000]   (about 12 minutes with these defaults on 2 cores)
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openJournal } from '../src/journal/index.js';
import { makeCrashWorkspace } from '../test/support/crash-workspace.js';
import { argValue, formatStats, stats } from './stats.js';

const exec$ = promisify(execFile);
const root = join(import.meta.dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');
const postgresScript = join(root, 'scripts', 'postgres.sh');
const cliEnv = { ...process.env, NO_COLOR: '1', PHASEWISE_INVOKED_AS: 'phasewise' };
const over = (status: string) => !['queued', 'running'].includes(status);

export interface PoolOptions {
  rounds: number;
  runsPerWorker: number;
  concurrency: number;
  latencyMs: number;
  workers: number[];
  engineRounds: number;
  recoveryRounds: number;
  leases: number[];
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@localhost', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** The crash workspace committed in a checkout whose `origin` is a bare clone: what submit sends by default. */
function repositoryWithRemote(latencyMs: number): { checkout: string; cleanup: () => void } {
  const checkout = makeCrashWorkspace(latencyMs);
  git(checkout, 'init', '-q', '-b', 'main');
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-qm', 'the project');
  const remoteDir = mkdtempSync(join(tmpdir(), 'phasewise-bench-remote-'));
  const bare = join(remoteDir, 'project.git');
  git(checkout, 'clone', '-q', '--bare', checkout, bare);
  git(checkout, 'remote', 'add', 'origin', bare);
  return {
    checkout,
    cleanup: () => {
      rmSync(checkout, { recursive: true, force: true });
      rmSync(remoteDir, { recursive: true, force: true });
    },
  };
}

async function cli(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await exec$(process.execPath, [bin, ...args], {
      cwd,
      env: cliEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`phasewise ${args[0]} failed: ${failed.stderr || failed.message}`);
  }
}

/** Runs `count` jobs, `width` at a time. */
async function inParallel<T>(count: number, width: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await job(index);
      }
    }),
  );
  return results;
}

class Server {
  #databases = 0;
  readonly #admin: pg.Pool;
  /** Where scripts/postgres.sh keeps this server's cluster. */
  readonly dataDir: string;
  constructor(readonly url: string) {
    this.dataDir = join(process.env.TMPDIR ?? '/tmp', `phasewise-postgres-${new URL(url).port}`, 'data');
    this.#admin = new pg.Pool({ connectionString: url, max: 1 });
    this.#admin.on('error', () => {});
  }
  static start(): Server {
    return new Server(execFileSync('bash', [postgresScript, 'start'], { encoding: 'utf8' }).trim());
  }
  /** A new database, migrated through the CLI. */
  async database(cwd: string): Promise<Database> {
    const name = `pw_bench_pool_${process.pid}_${++this.#databases}`;
    await this.#admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(this.url);
    url.pathname = `/${name}`;
    await cli(['db', 'migrate', '--database-url', url.toString()], cwd);
    return new Database(url.toString());
  }
  async stop(): Promise<void> {
    await this.#admin.end();
    execFileSync('bash', [postgresScript, 'stop', this.url]);
  }
}

class Database {
  readonly pool: pg.Pool;
  constructor(readonly url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
    this.pool.on('error', () => {});
  }
  async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(text, values)).rows;
  }
  async statuses(): Promise<Map<string, number>> {
    const rows = await this.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM phasewise.runs GROUP BY status',
    );
    return new Map(rows.map((row) => [row.status, Number(row.n)]));
  }
  close(): Promise<void> {
    return this.pool.end();
  }
}

interface Worker {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<void>;
}

let workDirs = 0;

function startWorker(url: string, cwd: string, concurrency: number, lease?: string): Worker {
  // A folder of plain words and numbers: the redactor hides a path with random letters in it.
  const workDir = join(tmpdir(), `phasewise-bench-pool-${process.pid}-worker-${++workDirs}`);
  const args = ['worker', '--concurrency', String(concurrency), '--work-dir', workDir, '--database-url', url];
  if (lease !== undefined) args.push('--lease', lease);
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: cliEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => {
      rmSync(workDir, { recursive: true, force: true });
      resolve();
    }),
  );
  return { child, stderr: () => stderr, exited };
}

async function stopWorkers(workers: Worker[], signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill(signal);
  await Promise.all(workers.map((worker) => worker.exited));
}

/** CPU seconds of a process from /proc: its own, and with `reaped` its waited-for children's too. */
function cpuSeconds(pid: number | string, reaped: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // Fields 14–17 of proc(5): utime, stime, cutime, cstime, in clock ticks (100 a second on Linux).
    const own = fields[11]! + fields[12]!;
    return (reaped ? own + fields[13]! + fields[14]! : own) / 100;
  } catch {
    return 0; // gone in between
  }
}

/** CPU seconds of this process's reaped children: the CLI processes it ran and everything they reaped. */
const childrenCpu = () => cpuSeconds(process.pid, true) - cpuSeconds(process.pid, false);

/** CPU seconds of the Postgres server: the postmaster, its live backends, and the backends that exited. */
function postgresCpu(dataDir: string): number {
  const postmaster = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();
  const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(' ');
  return (
    cpuSeconds(postmaster, true) +
    children.filter((pid) => pid !== '').reduce((sum, pid) => sum + cpuSeconds(pid, false), 0)
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  check: () => Promise<boolean>,
  ms: number,
  workers: Worker[],
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  const said = workers.map((worker) => worker.stderr().slice(-2_000)).join('\n---\n');
  throw new Error(`timed out after ${ms} ms waiting for ${what}; the workers said:\n${said}`);
}

interface Window {
  /** CPU seconds of the phasewise processes (and their git children) per run, and of Postgres per run. */
  cpuPerRun: number;
  postgresCpuPerRun: number;
  runs: number;
  steps: number;
  seconds: number;
  failed: number;
  load: number;
}

/** One round: N runs submitted, then W workers until every run is over; steps ÷ the journal's window. */
async function poolRound(
  server: Server,
  workers: number,
  options: PoolOptions,
  latencyMs: number,
): Promise<Window> {
  const repo = repositoryWithRemote(latencyMs);
  const db = await server.database(repo.checkout);
  const running: Worker[] = [];
  try {
    const runs = workers * options.runsPerWorker;
    await inParallel(runs, 4, (k) =>
      cli(['submit', `task ${k + 1}`, '--database-url', db.url], repo.checkout),
    );
    const cpuBefore = childrenCpu();
    const postgresBefore = postgresCpu(server.dataDir);
    for (let w = 0; w < workers; w += 1)
      running.push(startWorker(db.url, repo.checkout, options.concurrency));
    await until(
      'every run to end',
      async () => {
        const statuses = await db.statuses();
        return [...statuses.values()].reduce((a, b) => a + b, 0) === runs && [...statuses.keys()].every(over);
      },
      300_000,
      running,
    );
    const load = loadavg()[0]!;
    const postgresAfter = postgresCpu(server.dataDir);
    await stopWorkers(running);
    const cpu = childrenCpu() - cpuBefore;
    const [window] = await db.query<{ n: string; first: string; last: string }>(
      'SELECT count(*) AS n, min(started_at) AS first, max(ended_at) AS last FROM phasewise.steps',
    );
    const statuses = await db.statuses();
    return {
      cpuPerRun: cpu / runs,
      postgresCpuPerRun: (postgresAfter - postgresBefore) / runs,
      runs,
      steps: Number(window!.n),
      seconds: (Date.parse(window!.last) - Date.parse(window!.first)) / 1000,
      failed: runs - (statuses.get('succeeded') ?? 0),
      load,
    };
  } finally {
    await stopWorkers(running, 'SIGKILL');
    await db.close();
    repo.cleanup();
  }
}

/** The same N runs on the SQLite journal: `phasewise run` in N copies of the checkout, C at a time. */
async function sqliteRound(runs: number, options: PoolOptions, latencyMs: number): Promise<Window> {
  const repo = repositoryWithRemote(latencyMs);
  const copies = Array.from({ length: runs }, () => {
    const copy = mkdtempSync(join(tmpdir(), 'phasewise-bench-sqlite-'));
    cpSync(repo.checkout, copy, { recursive: true });
    return copy;
  });
  try {
    let failed = 0;
    const cpuBefore = childrenCpu();
    await inParallel(runs, options.concurrency, async (k) => {
      await cli(['run', `task ${k + 1}`], copies[k]!).catch(() => {
        failed += 1;
      });
    });
    const load = loadavg()[0]!;
    const cpu = childrenCpu() - cpuBefore;
    let steps = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    for (const copy of copies) {
      const journal = openJournal({ workspace: copy, readOnly: true });
      for (const run of await journal.listRuns()) {
        for (const step of await journal.listSteps(run.runId)) {
          steps += 1;
          first = Math.min(first, Date.parse(step.startedAt));
          last = Math.max(last, Date.parse(step.endedAt));
        }
      }
      await journal.close();
    }
    return {
      cpuPerRun: cpu / runs,
      postgresCpuPerRun: 0,
      runs,
      steps,
      seconds: (last - first) / 1000,
      failed,
      load,
    };
  } finally {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
    repo.cleanup();
  }
}

interface Recovery {
  toFirstStepMs: number;
  toLockMs: number;
}

/**
 * Two workers with the lease; A takes the runs (B starts after A holds them all mid-phase, so B is idle and its
 * capacity is no factor), A is killed with SIGKILL; the figure is the kill to the first step started on one of
 * A's runs by B, and the kill to B holding the first of A's run locks.
 */
async function recoveryRound(server: Server, lease: string, runs: number): Promise<Recovery> {
  const repo = repositoryWithRemote(1_500);
  const db = await server.database(repo.checkout);
  const running: Worker[] = [];
  try {
    await inParallel(runs, 4, (k) =>
      cli(['submit', `task ${k + 1}`, '--database-url', db.url], repo.checkout),
    );
    const a = startWorker(db.url, repo.checkout, runs, lease);
    running.push(a);
    const aId = async () =>
      (
        await db.query<{ worker_id: string }>('SELECT worker_id FROM phasewise.workers WHERE pid = $1', [
          a.child.pid,
        ])
      )[0]?.worker_id;
    const heldByA = async () => {
      const id = await aId();
      if (id === undefined) return [];
      return (
        await db.query<{ run_id: string }>(
          `SELECT l.run_id FROM phasewise.locks l WHERE l.worker_id = $1
             AND EXISTS (SELECT 1 FROM phasewise.steps s WHERE s.run_id = l.run_id)`,
          [id],
        )
      ).map((row) => row.run_id);
    };
    await until(
      'A to hold every run mid-phase',
      async () => (await heldByA()).length === runs,
      120_000,
      running,
    );
    const b = startWorker(db.url, repo.checkout, runs, lease);
    running.push(b);
    await until(
      'B to register',
      async () =>
        (await db.query('SELECT 1 FROM phasewise.workers WHERE pid = $1', [b.child.pid])).length === 1,
      60_000,
      running,
    );
    // B is up; give it a moment past its registration, then kill A in the middle of its steps.
    await sleep(500);
    const aRuns = await heldByA();
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    const killedIso = new Date(killedAt).toISOString();
    let lockAt: number | undefined;
    let stepAt: number | undefined;
    await until(
      "a step of A's runs on B",
      async () => {
        if (lockAt === undefined) {
          const moved = await db.query(
            `SELECT 1 FROM phasewise.locks l JOIN phasewise.workers w ON w.worker_id = l.worker_id
              WHERE l.run_id = ANY($1) AND w.pid = $2`,
            [aRuns, b.child.pid],
          );
          if (moved.length > 0) lockAt = Date.now();
        }
        const [row] = await db.query<{ first: string | null }>(
          `SELECT min(started_at) AS first FROM (
             SELECT started_at FROM phasewise.steps WHERE run_id = ANY($1) AND started_at > $2
             UNION ALL
             SELECT started_at FROM phasewise.steps_started WHERE run_id = ANY($1) AND pid = $3) AS s`,
          [aRuns, killedIso, b.child.pid],
        );
        if (row?.first != null) stepAt = Date.parse(row.first);
        return stepAt !== undefined;
      },
      120_000,
      running,
    );
    return { toFirstStepMs: stepAt! - killedAt, toLockMs: (lockAt ?? stepAt!) - killedAt };
  } finally {
    await stopWorkers(running, 'SIGKILL');
    await db.close();
    repo.cleanup();
  }
}

const rate = (window: Window) => window.steps / window.seconds;
const runsPerMinute = (window: Window) => (window.runs * 60) / window.seconds;
const seconds = (lease: number) => `${lease / 1000}s`;

export async function poolThroughput(options: PoolOptions): Promise<string[]> {
  const lines = [
    `pool of workers on one Postgres: the crash workspace's 5 phases (12 model answers, 6 tool calls a run),`,
    `  ${options.latencyMs} ms a model answer, ${options.runsPerWorker} runs per worker, --concurrency ${options.concurrency} per worker, ${options.rounds} rounds`,
  ];
  const server = Server.start();
  const loads: number[] = [];
  try {
    /** Two rows for a set of rounds: steps per second and runs per minute (the same window). */
    const report = (label: string, windows: Window[]): number => {
      const failed = windows.reduce((sum, window) => sum + window.failed, 0);
      const steps = stats(windows.map(rate));
      const last = windows.at(-1)!;
      lines.push(
        `${formatStats(`  ${label} (${last.runs} runs, ${last.steps} steps)`, steps, 'steps/s', 1)}${failed > 0 ? `  ${failed} runs failed` : ''}`,
      );
      lines.push(formatStats('    the same in runs', stats(windows.map(runsPerMinute)), 'runs/min', 1));
      lines.push(
        formatStats('    CPU per run: phasewise and its git', stats(windows.map((w) => w.cpuPerRun)), 's', 2),
      );
      if (windows.some((w) => w.postgresCpuPerRun > 0)) {
        lines.push(
          formatStats('    CPU per run: Postgres', stats(windows.map((w) => w.postgresCpuPerRun)), 's', 2),
        );
      }
      loads.push(...windows.map((window) => window.load));
      return steps.median;
    };
    const throughput = async (latencyMs: number, rounds: number) => {
      const medians = new Map<number, number>();
      for (const workers of options.workers) {
        const windows: Window[] = [];
        for (let round = 0; round < rounds; round += 1) {
          windows.push(await poolRound(server, workers, options, latencyMs));
        }
        medians.set(workers, report(`Postgres, ${workers} worker${workers === 1 ? '' : 's'}`, windows));
      }
      const windows: Window[] = [];
      for (let round = 0; round < rounds; round += 1) {
        windows.push(await sqliteRound(options.runsPerWorker, options, latencyMs));
      }
      report(`SQLite, \`run\` × ${options.concurrency} at a time`, windows);
      const one = medians.get(1);
      for (const [workers, median] of medians) {
        if (one !== undefined && workers !== 1) {
          const target = workers === 2 ? ' (target ≥ 1.7×)' : '';
          lines.push(
            `${`  ${workers} workers ÷ 1 worker, steps/s medians${target}`.padEnd(50)} ${(median / one).toFixed(2)} ×`,
          );
        }
      }
    };
    await throughput(options.latencyMs, options.rounds);
    if (options.engineRounds > 0) {
      lines.push(`  the same with 0 ms a model answer (engine-bound), ${options.engineRounds} round(s):`);
      await throughput(0, options.engineRounds);
    }
    if (options.recoveryRounds > 0) {
      lines.push(`recovery: 2 workers, 2 runs at 1500 ms a model answer on A, A killed (SIGKILL) mid-phase`);
      for (const lease of options.leases) {
        const step: number[] = [];
        const lock: number[] = [];
        for (let round = 0; round < options.recoveryRounds; round += 1) {
          const measured = await recoveryRound(server, seconds(lease), 2);
          step.push(measured.toFirstStepMs / 1000);
          lock.push(measured.toLockMs / 1000);
          loads.push(loadavg()[0]!);
        }
        const ratio = stats(step.map((s) => (s * 1000) / lease));
        lines.push(formatStats(`  lease ${seconds(lease)}: kill → B holds A's run lock`, stats(lock), 's'));
        lines.push(
          formatStats(`  lease ${seconds(lease)}: kill → first step of A's run on B`, stats(step), 's'),
        );
        lines.push(formatStats(`    the same ÷ the lease (target ≤ 2×)`, ratio, '×'));
      }
    }
    lines.push(
      `  load average (1 min) at the rounds' ends: ${stats(loads).min.toFixed(2)}–${stats(loads).max.toFixed(2)}`,
    );
  } finally {
    await server.stop();
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const list = (name: string, fallback: number[]) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? fallback : process.argv[index + 1]!.split(',').map(Number);
  };
  console.log(
    (
      await poolThroughput({
        rounds: argValue('rounds', 3),
        runsPerWorker: argValue('runs-per-worker', 8),
        concurrency: argValue('concurrency', 4),
        latencyMs: argValue('latency', 300),
        workers: list('workers', [1, 2, 4]),
        engineRounds: argValue('engine-rounds', 1),
        recoveryRounds: argValue('recovery-rounds', 3),
        leases: list('leases', [3000, 6000]),
      })
    ).join('\n'),
  );
}
