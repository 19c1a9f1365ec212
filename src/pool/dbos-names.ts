/**
 * The names phasewise and DBOS agree on: the application, the queue of runs, the workflow one execution of a
 * run is, its id (`<run-id>.<n>`), and the application version a worker runs and a submission is stamped with.
 */
import { readFileSync } from 'node:fs';

export const APPLICATION_NAME = 'phasewise';
export const RUN_QUEUE = 'phasewise-runs';
export const RUN_WORKFLOW = 'phasewise-run';
/** The environment variable that overrides the version (a pool upgraded machine by machine). */
export const WORKER_VERSION_ENV = 'PHASEWISE_WORKER_VERSION';

/** The arguments of one execution, as DBOS stores them (plain JSON). */
export interface ExecutionArguments {
  runId: string;
  execution: number;
}

export function executionId({ runId, execution }: ExecutionArguments): string {
  return `${runId}.${execution}`;
}

/** The package's version, or `PHASEWISE_WORKER_VERSION` when set: workers take only runs of their own version. */
export function applicationVersion(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[WORKER_VERSION_ENV]?.trim();
  if (override !== undefined && override !== '') return override;
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
