/**
 * Opening a run: a new one is created in the journal with its resolved workflow; an existing one is resumed only
 * when its workflow is unchanged (or `force`), and only by one process at a time (the journal's lock).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ResolvedWorkflow } from '../config/types.js';
import { ConfigChangedError, UsageError } from '../errors/index.js';
import type { Journal, RunRecord } from '../journal/journal.js';
import type { Clock } from '../util/clock.js';
import { newRunId } from '../util/ids.js';
import { diffValues, sha256, stableStringify } from '../util/stable-json.js';

export interface OpenedRun {
  runId: string;
  task: string;
  workflow: ResolvedWorkflow;
  resumed: boolean;
  lockToken: string;
}

export interface OpenRunOptions {
  journal: Journal;
  workflow: ResolvedWorkflow;
  task?: string;
  resume?: { runId: string; force?: boolean; breakLock?: boolean };
  clock: Clock;
  generateRunId?: (now: number) => string;
}

export function workflowHash(workflow: ResolvedWorkflow): string {
  return sha256(stableStringify(workflow));
}

export async function openRun(options: OpenRunOptions): Promise<OpenedRun> {
  const { journal, workflow, clock } = options;
  const now = clock.now();
  const lockToken = randomUUID();
  const holder = { pid: process.pid, host: hostname(), since: new Date(now).toISOString(), token: lockToken };
  if (options.resume === undefined) {
    if (options.task === undefined || options.task.trim() === '') {
      throw new UsageError('no task given', {
        hint: 'pass it as `phasewise run "<task>"`, or set `task:` in the config',
      });
    }
    const generate = options.generateRunId ?? newRunId;
    const runId = await createUniqueRun(
      journal,
      () => generate(now),
      (id) =>
        journal.createRun({
          runId: id,
          createdAt: new Date(now).toISOString(),
          task: options.task as string,
          workspace: workflow.workspace,
          workflow,
          workflowHash: workflowHash(workflow),
        }),
    );
    await journal.acquireLock(runId, holder);
    return { runId, task: options.task, workflow, resumed: false, lockToken };
  }
  const { runId, force = false, breakLock = false } = options.resume;
  const existing = await journal.getRun(runId);
  if (existing === undefined) {
    throw new UsageError(`no run ${runId} in ${journal.location}`, {
      hint: 'list runs with `phasewise runs`',
    });
  }
  await journal.acquireLock(runId, holder, { breakLock });
  const chosen = await checkUnchanged(existing, workflow, force, journal, lockToken);
  return { runId, task: existing.task, workflow: chosen, resumed: true, lockToken };
}

async function checkUnchanged(
  existing: RunRecord,
  workflow: ResolvedWorkflow,
  force: boolean,
  journal: Journal,
  lockToken: string,
): Promise<ResolvedWorkflow> {
  if (existing.workflowHash === workflowHash(workflow)) return workflow;
  const changes = diffValues(existing.workflow, workflow);
  if (!force) {
    await journal.releaseLock(existing.runId, lockToken);
    throw new ConfigChangedError(existing.runId, changes.length > 0 ? changes : ['(workflow differs)']);
  }
  return workflow;
}

/**
 * Run ids are a second's time stamp and 16 random bits: runs started in the same second in one workspace (a
 * script starting fifty) collide now and then, and the later one must take another id rather than fail.
 */
async function createUniqueRun(
  journal: Journal,
  generate: () => string,
  create: (runId: string) => Promise<void>,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const runId = generate();
    try {
      await create(runId);
      return runId;
    } catch (error) {
      // Taken by another run (created in the meantime by another process, or before): draw another id.
      if (attempt >= 8 || (await journal.getRun(runId)) === undefined) throw error;
    }
  }
}
