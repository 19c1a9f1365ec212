/**
 * The worktrees phasewise left in a workspace, read from `.phasewise/worktrees/<runId>/<phaseId>/<name>` on disk,
 * each with the disk space it takes (for `status`, and for `clean` to say what it freed).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diskUse } from './disk-use.js';
import { isSafeSegment, worktreesRoot } from './layout.js';

export interface WorktreeEntry {
  runId: string;
  phaseId: string;
  name: string;
  path: string;
  bytes: number;
}

export async function listWorktrees(workspace: string): Promise<WorktreeEntry[]> {
  const root = worktreesRoot(workspace);
  const entries: WorktreeEntry[] = [];
  for (const runId of await folders(root)) {
    for (const phaseId of await folders(join(root, runId))) {
      for (const name of await folders(join(root, runId, phaseId))) {
        const path = join(root, runId, phaseId, name);
        entries.push({ runId, phaseId, name, path, bytes: await diskUse(path) });
      }
    }
  }
  return entries;
}

/** The run ids that have a folder of worktrees, sorted. */
export async function runsWithWorktrees(workspace: string): Promise<string[]> {
  return folders(worktreesRoot(workspace));
}

/** Subfolders whose names phasewise could have made, sorted; none when the folder is missing. */
async function folders(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && isSafeSegment(entry.name))
    .map((entry) => entry.name)
    .sort();
}
