/**
 * DBOS, configured the way phasewise runs it: over the `pg` pool we build (pool-database.ts), with a logger
 * that goes through the redactor, an executor id per process (`<host>-<pid>-<random>`), the application
 * version a worker serves, and DBOS's migrations off in every process but `phasewise db migrate` (two first
 * launches at once failed one of them in the trials). DBOS is loaded only here and only when used: commands
 * on the SQLite journal never pay for it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { JournalError } from '../errors/index.js';
import { withoutPassword } from '../journal/postgres-location.js';
import { createRedactor } from '../util/redact.js';
import { type DbosLogger, redactingDbosLogger } from './dbos-logger.js';
import { APPLICATION_NAME, type ExecutionArguments, RUN_QUEUE, RUN_WORKFLOW } from './dbos-names.js';
import { connectDatabase, guardDatabase, type PoolDatabase } from './pool-database.js';

/** A process's executor id: unique across machines and restarts. */
export function newExecutorId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export function dbosLoggerFor(database: PoolDatabase, write: (line: string) => void): DbosLogger {
  const password = database.target.password;
  return redactingDbosLogger(
    createRedactor({ extraSecrets: password === undefined ? [] : [password] }),
    write,
  );
}

/** The URL DBOS asks for beside our pool: the password-free location (DBOS connects through the pool). */
function systemDatabaseUrl(database: PoolDatabase): string {
  const { user, host, port, database: name } = database.target;
  return `postgresql://${encodeURIComponent(user)}@${host.includes(':') ? `[${host}]` : host}:${port}/${encodeURIComponent(name)}`;
}

/**
 * `phasewise db migrate`: DBOS's system tables (schema `dbos`), created or brought to this DBOS's version,
 * under an advisory lock (two migrations at once take turns), logging through the redactor. Through DBOS's
 * internal migrator, since its public `DBOS.migrate` logs to the console with a logger of its own.
 */
export async function migrateDbosSystemDatabase(url: string): Promise<void> {
  const database = await connectDatabase(url);
  const { migrateSystemDatabase } = (await import(
    '@dbos-inc/dbos-sdk/internal/system_database'
  )) as unknown as {
    migrateSystemDatabase: (url: string, logger: DbosLogger, schema: string) => Promise<void>;
  };
  const client = await database.pool.connect();
  try {
    await guardDatabase(database, "migrate DBOS's system tables", async () => {
      await takeMigrationLock(client);
      try {
        await migrateSystemDatabase(
          url,
          dbosLoggerFor(database, (line) => process.stderr.write(line)),
          'dbos',
        );
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['phasewise migrate dbos']);
      }
    });
  } finally {
    client.release();
    await database.pool.end();
  }
}

/**
 * Waits for the session lock by trying it again and again: waiting inside one statement would hold a
 * transaction open that DBOS's `CREATE INDEX CONCURRENTLY` in the other process waits for (a deadlock
 * Postgres does not see).
 */
async function takeMigrationLock(client: import('pg').PoolClient): Promise<void> {
  for (;;) {
    const result = await client.query<{ taken: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS taken',
      ['phasewise migrate dbos'],
    );
    if (result.rows[0]?.taken === true) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface LaunchOptions {
  database: PoolDatabase;
  executorId: string;
  version: string;
  /** Runs this worker executes at once. */
  concurrency: number;
  /** Runs the whole pool executes at once, when limited. */
  globalConcurrency?: number;
  /** One execution of a run: what the DBOS workflow does. */
  execute: (execution: ExecutionArguments) => Promise<void>;
  log: (line: string) => void;
}

export interface DbosRuntime {
  shutdown(): Promise<void>;
}

/** Registers the run workflow, launches DBOS on the run queue and returns how to stop it. */
export async function launchDbos(options: LaunchOptions): Promise<DbosRuntime> {
  const { DBOS } = await import('@dbos-inc/dbos-sdk');
  const { database } = options;
  DBOS.setConfig({
    name: APPLICATION_NAME,
    systemDatabaseUrl: systemDatabaseUrl(database),
    systemDatabasePool: database.pool,
    logger: dbosLoggerFor(database, options.log),
    applicationVersion: options.version,
    executorID: options.executorId,
    listenQueues: [RUN_QUEUE],
    runMigrations: false,
  });
  DBOS.registerWorkflow(async (execution: ExecutionArguments) => options.execute(execution), {
    name: RUN_WORKFLOW,
  });
  try {
    await DBOS.launch();
  } catch (error) {
    await DBOS.shutdown({ deregister: true }).catch(() => {});
    const said = error instanceof Error ? error.message : String(error);
    throw new JournalError(
      database.target.location,
      `could not start DBOS on it: ${withoutPassword(said, database.target)}`,
      {
        hint: 'run `phasewise db migrate` (with the same --database-url or PHASEWISE_DATABASE_URL): it creates DBOS’s tables too',
      },
    );
  }
  try {
    await DBOS.registerQueue(RUN_QUEUE, {
      workerConcurrency: options.concurrency,
      ...(options.globalConcurrency === undefined ? {} : { globalConcurrency: options.globalConcurrency }),
      onConflict: 'always_update',
    });
  } catch (error) {
    await DBOS.shutdown({ deregister: true });
    throw error;
  }
  return {
    shutdown: () => DBOS.shutdown({ deregister: true }),
  };
}

/** A client that enqueues executions from any process (submit, approve, reject, resume). */
export interface RunQueueClient {
  enqueueInTransaction(
    client: import('pg').ClientBase,
    execution: ExecutionArguments,
    version: string,
  ): Promise<void>;
  destroy(): Promise<void>;
}

export async function createRunQueueClient(database: PoolDatabase): Promise<RunQueueClient> {
  const { DBOSClient } = await import('@dbos-inc/dbos-sdk');
  const client = await DBOSClient.create({
    systemDatabaseUrl: systemDatabaseUrl(database),
    systemDatabasePool: database.pool,
    logger: dbosLoggerFor(database, (line) => process.stderr.write(line)),
    applicationName: APPLICATION_NAME,
  });
  return {
    enqueueInTransaction: async (pgClient, execution, version) => {
      await client.enqueueInTransaction(
        pgClient,
        {
          queueName: RUN_QUEUE,
          workflowName: RUN_WORKFLOW,
          workflowID: `${execution.runId}.${execution.execution}`,
          workflowIDReusePolicy: 'reject',
          appVersion: version,
          applicationName: APPLICATION_NAME,
        },
        execution,
      );
    },
    destroy: () => client.destroy(),
  };
}
