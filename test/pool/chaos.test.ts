/**
 * Chaos on a pool, end to end with real processes: a throwaway Postgres from Debian, the fake LLM server over
 * HTTP (Anthropic's API, every answer 500 ms late, caching off so billing is plain tokens), a bare git repository
 * as the runs' remote, 20 runs submitted, 3 `phasewise worker` processes (concurrency 2 each, a 6 s lease) under a
 * provider rate limit of 4 calls at once. One worker is killed with SIGKILL mid-phase, replaced, its replacement
 * killed again and replaced; Postgres is restarted once in between. Then:
 * - every run succeeded and its branch holds its work;
 * - no paid step ran twice: per run, the server was sent each model step once, plus at most the cut-off calls the
 *   journal records as re-executed; and each recorded step's usage is the server's billing of its last request,
 *   so the ledger's total is the server's billing less exactly the cut-off calls;
 * - the ledger in Postgres holds what the journal holds, and no reservation is left;
 * - the rate limit held: the server never served more than 4 requests at once;
 * - each dead worker was recovered once, by one of the live workers racing for it.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, type FakeTurn, startFakeLlmServer } from '../../src/testing/index.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { binPath, cli } from '../support/cli.js';
import { reportOf } from '../support/crash-workspace.js';

const RUNS = 20;
const MAX_CONCURRENT = 4;
const LATENCY_MS = 500;
const KEY_ENV = 'VENDOR_LOGIN';
const KEY = 'chaos-login-1';
const script = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));

let database: PostgresServer;
let llm: FakeLlmServer;

beforeAll(async () => {
  database = startPostgres();
  const call = (name: string, input: unknown): FakeTurn => ({ toolCalls: [{ name, input }] });
  llm = await startFakeLlmServer({
    apiKey: KEY,
    latencyMs: LATENCY_MS,
    cacheMinTokens: Number.MAX_SAFE_INTEGER,
    script: {
      conversations: [
        {
          name: 'research',
          match: ['## File map'],
          turns: [call('list', { path: '.' }), { text: reportOf('research') }],
        },
        { name: 'planning', match: ['## Executive summary'], turns: [{ text: reportOf('planning') }] },
        {
          name: 'implementation',
          match: ['## Changes'],
          turns: [
            call('write', {
              path: 'src/health.js',
              content: 'export const health = () => ({ ok: true });\n',
            }),
            { text: reportOf('implementation') },
          ],
        },
      ],
    },
  });
});

afterAll(async () => {
  await llm?.close();
  await database?.stop();
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** A checkout whose committed configuration talks to the fake server, with a bare clone as `origin`. */
function repository(): { checkout: string; bare: string } {
  const root = mkdtempSync(join(tmpdir(), 'phasewise-chaos-'));
  const checkout = join(root, 'project');
  mkdirSync(checkout);
  writeFileSync(
    join(checkout, 'phasewise.yaml'),
    `version: 1
budget: 2.00
models:
  tiers: [small]
  small: vendor:claude-haiku-4-5
  providers:
    vendor:
      kind: anthropic
      base_url: "${llm.anthropicBaseUrl}"
      api_key_env: ${KEY_ENV}
      rate_limit: { max_concurrent: ${MAX_CONCURRENT} }
phases:
  research: { model: small, cost_limit: $0.20, escalation: [halt] }
  planning: { model: small, cost_limit: $0.20, dependencies: research, escalation: [halt] }
  implementation: { model: small, cost_limit: $0.20, dependencies: planning, escalation: [halt] }
`,
  );
  git(checkout, 'init', '-q', '-b', 'main');
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-qm', 'the project');
  const bare = join(root, 'project.git');
  git(root, 'clone', '-q', '--bare', checkout, bare);
  git(checkout, 'remote', 'add', 'origin', bare);
  return { checkout, bare };
}

interface WorkerProcess {
  child: ChildProcess;
  log: () => string;
  exited: Promise<void>;
}

function startWorker(checkout: string, url: string, workDir: string): WorkerProcess {
  const child = spawn(
    process.execPath,
    [binPath, 'worker', '--concurrency', '2', '--lease', '6s', '--work-dir', workDir, '--database-url', url],
    {
      cwd: checkout,
      env: { ...process.env, NO_COLOR: '1', [KEY_ENV]: KEY },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { child, log: () => log, exited };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  check: () => Promise<boolean>,
  ms: number,
  logs: () => string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}; the workers said:\n${logs()}`);
}

describe('a pool of workers under chaos', () => {
  it('finishes every run once, within the rate limit, across two SIGKILLs and a Postgres restart', async () => {
    const { checkout, bare } = repository();
    const name = `pw_chaos_${process.pid}`;
    await database.sql(`CREATE DATABASE ${name}`);
    const dbUrl = new URL(database.url);
    dbUrl.pathname = `/${name}`;
    const url = dbUrl.toString();
    expect(cli(['db', 'migrate', '--database-url', url], { cwd: checkout }).code).toBe(0);
    const db = new pg.Pool({ connectionString: url, max: 2 });
    db.on('error', () => {});
    const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
      (await db.query<T>(text, values)).rows;

    // No task is a prefix of another: each run's requests are told apart by its task.
    const tasks = Array.from(
      { length: RUNS },
      (_, k) => `Add health endpoint, run ${String(k + 1).padStart(2, '0')} of ${RUNS}.`,
    );
    const runIds: string[] = [];
    for (const task of tasks) {
      const submitted = cli(['submit', task, '--database-url', url], { cwd: checkout });
      expect(submitted.code, submitted.stderr).toBe(0);
      runIds.push(submitted.stdout.trim());
    }

    const workRoot = mkdtempSync(join(tmpdir(), 'phasewise-chaos-work-'));
    const workers: WorkerProcess[] = [];
    const start = (index: number) => {
      const worker = startWorker(checkout, url, join(workRoot, `worker ${String.fromCharCode(97 + index)}`));
      workers.push(worker);
      return worker;
    };
    const logs = () => workers.map((worker) => worker.log()).join('\n');
    const workerIdOf = async (worker: WorkerProcess) => {
      let id: string | undefined;
      await until(
        'a worker to register',
        async () => {
          id = (
            await query<{ worker_id: string }>(`SELECT worker_id FROM phasewise.workers WHERE pid = $1`, [
              worker.child.pid,
            ])
          )[0]?.worker_id;
          return id !== undefined;
        },
        30_000,
        logs,
      );
      return id!;
    };
    const killedAt = new Map<string, number>();
    /** Kills `worker` with SIGKILL once it holds a run and the server is answering a call. */
    const killMidPhase = async (worker: WorkerProcess) => {
      const id = await workerIdOf(worker);
      await until(
        `worker ${id} to be mid-phase`,
        async () => {
          const held = await query(`SELECT 1 FROM phasewise.locks WHERE worker_id = $1`, [id]);
          return held.length > 0 && llm.concurrency().inFlight > 0;
        },
        60_000,
        logs,
      );
      await sleep(LATENCY_MS / 2);
      worker.child.kill('SIGKILL');
      killedAt.set(id, Date.now());
      await worker.exited;
      return id;
    };
    try {
      for (const index of [0, 1, 2]) start(index);
      const firstDead = await killMidPhase(workers[0]!);
      const replacement = start(3);
      await sleep(2_000);
      await promisify(execFile)('bash', [script, 'restart', database.url]);
      const secondDead = await killMidPhase(replacement);
      start(4);

      const over = ['succeeded', 'failed', 'halted', 'aborted', 'budget_exceeded', 'timed_out', 'no_go'];
      await until(
        'every run to end',
        async () => {
          const rows = await query<{ status: string }>('SELECT status FROM phasewise.runs');
          return rows.length === RUNS && rows.every((row) => over.includes(row.status));
        },
        300_000,
        logs,
      );

      // Every run succeeded, and its branch holds its work.
      const runs = await query<{ run_id: string; status: string; message: string | null; cost_usd: number }>(
        'SELECT run_id, status, message, cost_usd FROM phasewise.runs',
      );
      for (const run of runs)
        expect(run.status, `${run.run_id}: ${run.message}\n${logs()}`).toBe('succeeded');
      for (const runId of runIds) {
        expect(git(bare, 'ls-tree', '-r', '--name-only', `phasewise/${runId}`)).toContain('src/health.js');
      }

      // No paid step twice: per run, the server's requests against the journal's model steps.
      const steps = await query<{
        run_id: string;
        key: string;
        kind: string;
        result_json: string;
        cost_usd: number;
      }>('SELECT run_id, key, kind, result_json, cost_usd FROM phasewise.steps');
      const reexecuted = await query<{ run_id: string; key: string; executions: number }>(
        'SELECT run_id, key, executions FROM phasewise.step_reexecutions',
      );
      const taskOf = new Map(
        (await query<{ run_id: string; task: string }>('SELECT run_id, task FROM phasewise.runs')).map(
          (row) => [row.run_id, row.task],
        ),
      );
      let journalInput = 0;
      let journalOutput = 0;
      let lastInput = 0;
      let lastOutput = 0;
      let cutOff = 0;
      for (const runId of runIds) {
        const task = taskOf.get(runId)!;
        const requests = llm.requests.filter(
          (request) => request.usage !== undefined && JSON.stringify(request.body).includes(task),
        );
        const modelSteps = steps.filter((step) => step.run_id === runId && step.kind === 'model');
        const extra = reexecuted
          .filter((row) => row.run_id === runId && modelSteps.some((step) => step.key === row.key))
          .reduce((sum, row) => sum + row.executions - 1, 0);
        expect(modelSteps).toHaveLength(5);
        expect(requests.length).toBeGreaterThanOrEqual(modelSteps.length);
        expect(requests.length, `run ${runId}`).toBeLessThanOrEqual(modelSteps.length + extra);
        cutOff += requests.length - modelSteps.length;
        // The last request of each (phase, turn) is the one whose answer the journal recorded.
        const last = new Map<string, (typeof requests)[number]>();
        for (const request of requests) last.set(`${request.conversation}/${request.turn}`, request);
        expect(last.size).toBe(5);
        for (const request of last.values()) {
          lastInput += request.usage!.input;
          lastOutput += request.usage!.output;
        }
        for (const step of modelSteps) {
          const usage = (JSON.parse(step.result_json) as { usage: { inputNoCache: number; output: number } })
            .usage;
          journalInput += usage.inputNoCache;
          journalOutput += usage.output;
        }
      }
      expect(journalInput).toBe(lastInput);
      expect(journalOutput).toBe(lastOutput);
      // Only cut-off calls were billed beyond the ledger; and a kill mid-phase did cut calls off.
      const billed = llm.requests.filter((request) => request.usage !== undefined).length;
      expect(billed).toBe(RUNS * 5 + cutOff);
      expect(reexecuted.length).toBeGreaterThan(0);

      // The ledger in Postgres holds what the journal holds, with nothing reserved.
      const [ledger] = await query<{ spent: number }>(
        'SELECT sum(spent_usd) AS spent FROM phasewise.ledger_phases',
      );
      const journalCost = runs.reduce((sum, run) => sum + run.cost_usd, 0);
      expect(ledger!.spent).toBeCloseTo(journalCost, 9);
      expect(steps.reduce((sum, step) => sum + step.cost_usd, 0)).toBeCloseTo(journalCost, 9);
      expect(await query('SELECT 1 FROM phasewise.ledger_reservations')).toEqual([]);

      // The rate limit held.
      expect(llm.concurrency().maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENT);
      expect(llm.concurrency().maxInFlight).toBeGreaterThan(1);

      // Each dead worker was recovered once, by one live worker.
      const recovered = await query<{ worker_id: string; recovered_by: string | null }>(
        'SELECT worker_id, recovered_by FROM phasewise.workers WHERE worker_id = ANY($1)',
        [[firstDead, secondDead]],
      );
      expect(recovered.map((row) => row.recovered_by !== null)).toEqual([true, true]);
      for (const dead of [firstDead, secondDead]) {
        const lines = logs()
          .split('\n')
          .filter((line) => line.includes(`recovered ${dead}`));
        expect(lines, logs()).toHaveLength(1);
      }
      expect(logs()).not.toContain(new URL(url).password);
      const claims = await query<{ worker_id: string; recovered_at: Date }>(
        'SELECT worker_id, recovered_at FROM phasewise.workers WHERE worker_id = ANY($1)',
        [[firstDead, secondDead]],
      );
      console.log(
        `chaos: ${RUNS} runs succeeded; ${cutOff} cut-off call(s) billed beyond the ledger, ${reexecuted.length} step(s) re-executed; at most ${llm.concurrency().maxInFlight} requests at once (limit ${MAX_CONCURRENT}); dead workers claimed ${claims.map((row) => `${((row.recovered_at.getTime() - killedAt.get(row.worker_id)!) / 1000).toFixed(1)} s`).join(' and ')} after their kill (lease 6 s)`,
      );
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => Promise.race([worker.exited, sleep(15_000)])));
      for (const worker of workers) worker.child.kill('SIGKILL');
      await db.end();
    }
  }, 420_000);
});
