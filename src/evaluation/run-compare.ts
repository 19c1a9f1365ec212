/**
 * `compare`'s re-run, wired: a git worktree of the original workspace's repository at the chosen commit, in the
 * comparison's folder; the task run there under the policy's workflow (resumed through the worktree's journal
 * when an earlier comparison was stopped, not run again when it ended); then `--check` there, and measured.
 * The folder's manifest.json names the comparison it holds, so a folder is never reused for another one.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors/index.js';
import { openJournal } from '../journal/index.js';
import type { RunSummary } from '../report/summary-types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { type ComparedRun, measureRun } from './compare-measure.js';
import type { CompareSource } from './compare-source.js';
import { type CheckCommand, runHiddenCheck } from './hidden-check.js';
import type { Policy } from './policies.js';
import { type EvalServices, runToEnd } from './run-to-end.js';
import { ensureWorktree } from './worktrees.js';

const manifestSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  policy: z.string(),
  commit: z.string(),
});
type CompareManifest = z.infer<typeof manifestSchema>;

export interface RunCompareOptions {
  dir: string;
  /** The original run and its workspace. */
  runId: string;
  workspace: string;
  task: string;
  source: CompareSource;
  policy: Policy;
  check: CheckCommand | null;
  services: EvalServices;
  onProgress: (line: string) => void;
}

export async function runCompare(
  options: RunCompareOptions,
): Promise<{ run: ComparedRun; summary: RunSummary } | 'interrupted'> {
  const { dir, source, policy, services } = options;
  claimFolder(dir, { version: 1, runId: options.runId, policy: policy.name, commit: source.commit });
  const worktree = join(dir, 'w');
  ensureWorktree(
    { file: options.workspace, repository: source.root, commit: source.commit },
    source.root,
    worktree,
  );
  const workspace = source.prefix === '' ? worktree : join(worktree, source.prefix).replace(/\/$/, '');
  // The original's `--workspace` override would send a later `phasewise resume` of the re-run back to it.
  const { overrides, ...workflow } = policy.workflow;
  const budget = overrides?.budgetUsd === undefined ? {} : { overrides: { budgetUsd: overrides.budgetUsd } };
  const parts = services.prepareRun({ ...workflow, ...budget, workspace });
  const journal = openJournal({ workspace });
  let measured: { run: ComparedRun; summary: RunSummary };
  try {
    const earlier = (await journal.listRuns())[0];
    options.onProgress(
      earlier !== undefined && earlier.status !== 'running' && earlier.status !== 'interrupted'
        ? `the re-run ${earlier.runId} under ${policy.name} ended earlier: read back from its journal, not run again`
        : `re-running under ${policy.name} in ${workspace}`,
    );
    const runId = await runToEnd(options.task, parts, journal, services, (id) =>
      options.onProgress(`resuming the re-run ${id}`),
    );
    if (runId === undefined) return 'interrupted';
    measured = await measureRun(journal, (await journal.getRun(runId))!);
  } finally {
    await journal.close();
  }
  if (options.check !== null) {
    options.onProgress(`running --check in ${workspace}`);
    const check = await runHiddenCheck(options.check, workspace, services.abortSignal);
    if (check.ending === 'aborted') return 'interrupted';
    measured.run.check = check;
  }
  return measured;
}

/** The folder holds this comparison, or nothing yet; another comparison's folder is refused. */
function claimFolder(dir: string, wanted: CompareManifest): void {
  const file = join(dir, 'manifest.json');
  if (existsSync(file)) {
    let held: CompareManifest | undefined;
    try {
      const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      held = parsed.success ? parsed.data : undefined;
    } catch {
      held = undefined;
    }
    if (
      held === undefined ||
      held.runId !== wanted.runId ||
      held.policy !== wanted.policy ||
      held.commit !== wanted.commit
    ) {
      throw new UsageError(
        `${dir} holds another comparison (its manifest.json names another run, policy or commit)`,
        {
          hint: 'give another folder with -o, or leave -o out to use the comparison folder under .phasewise/compare/',
        },
      );
    }
    return;
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(wanted, null, 2)}\n`);
}
