/**
 * Which of the workspace's changes a phase made (`change-windows.ts`): a path whose inode changed inside one of
 * the phase's windows — for a deleted path, its nearest remaining directory, whose entries changed — is the
 * phase's. The run's own output never counts: a workspace file phasewise's stdout or stderr is redirected to
 * (`phasewise run --json > events.ndjson`) is written by the run itself, during its windows too.
 */
import { fstatSync, type Stats } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ChangeWindows } from './change-windows.js';
import { withinWindows } from './change-windows.js';

export interface AttributedChanges {
  /** Changed by the phase's own tools, session or commands. */
  byThePhase: string[];
  /** Changed by someone else while the phase ran, or the run's own output: not counted. */
  byOthers: string[];
}

export async function attributeChanges(
  workspace: string,
  changedPaths: readonly string[],
  windows: ChangeWindows,
): Promise<AttributedChanges> {
  const root = await realpath(workspace);
  const own = ownOutputFiles();
  const byThePhase: string[] = [];
  const byOthers: string[] = [];
  for (const changed of changedPaths) {
    const stats = await lstat(path.join(root, changed)).catch(() => undefined);
    const isOwnOutput = stats !== undefined && own.has(identity(stats));
    const phaseMadeIt =
      !isOwnOutput &&
      (!windows.isComplete ||
        withinWindows((stats ?? (await nearestDirectory(root, changed))).ctimeMs, windows.list()));
    (phaseMadeIt ? byThePhase : byOthers).push(changed);
  }
  return { byThePhase, byOthers };
}

/** The files this process's stdout and stderr write to, when they are files. */
function ownOutputFiles(): Set<string> {
  const files = new Set<string>();
  for (const descriptor of [1, 2]) {
    try {
      const stats = fstatSync(descriptor);
      if (stats.isFile()) files.add(identity(stats));
    } catch {
      // Closed: nothing is written there.
    }
  }
  return files;
}

function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** A deleted path's nearest directory that still exists (the workspace itself at worst). */
async function nearestDirectory(root: string, changed: string): Promise<Stats> {
  for (let directory = path.dirname(changed); ; directory = path.dirname(directory)) {
    const stats = await lstat(path.join(root, directory)).catch(() => undefined);
    if (stats !== undefined || directory === '.' || directory === '/') return stats ?? lstat(root);
  }
}
