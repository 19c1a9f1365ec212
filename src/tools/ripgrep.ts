/**
 * Running ripgrep (the binary shipped by `@vscode/ripgrep`, no download) for list, glob and grep. The walk
 * honours `.gitignore` (even outside a git repository), shows hidden files but never `.git/` or `.phasewise/`,
 * and does not follow symbolic links. It runs inside a directory opened and verified beforehand, never on a
 * path argument (which ripgrep would follow if it had become a link). Lines are streamed to the caller, which
 * stops the search once it has enough; a user's ripgrep config file is ignored so it cannot change these rules.
 */
import { spawn } from 'node:child_process';
import type { FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { WorkspacePath } from './path-guard.js';
import { ToolRefusal } from './tool-refusal.js';
import { openCheckedDirectory, openedDirectoryPath } from './verified-open.js';

/** The walking rules every search shares. */
export const WALK_ARGS = [
  '--no-config',
  '--hidden',
  '--no-require-git',
  '--glob',
  '!.git',
  '--glob',
  '!.phasewise',
];

const SEARCH_TIMEOUT_MS = 60_000;
const STDERR_LIMIT = 4_000;

export interface RipgrepOutcome {
  exitCode: number | null;
  stderr: string;
  /** The caller asked to stop before ripgrep finished. */
  stopped: boolean;
}

export interface RipgrepOptions {
  /**
   * Where the search runs: an opened, verified directory, entered through its descriptor (passed to ripgrep
   * as fd 3 and made its working directory via `/proc/self/fd/3`), so no link swapped in after the check can
   * move the search elsewhere. Without /proc, its checked path.
   */
  directory: { handle?: FileHandle; path: string };
  /** An opened, verified file to search instead, given as ripgrep's stdin (pass `-` as the path). */
  input?: FileHandle;
  abortSignal: AbortSignal;
  /** Receives each line of output; returning false stops the search. */
  onLine(line: string): boolean;
}

let rgPathPromise: Promise<string> | undefined;

/** Loaded on first use, so a platform without the binary fails one tool call instead of the whole import. */
function ripgrepPath(): Promise<string> {
  rgPathPromise ??= import('@vscode/ripgrep').then(
    (module) => module.rgPath,
    (error: unknown) => {
      rgPathPromise = undefined;
      throw new ToolRefusal(`ripgrep is not available on this platform: ${(error as Error).message}`);
    },
  );
  return rgPathPromise;
}

export async function runRipgrep(args: string[], options: RipgrepOptions): Promise<RipgrepOutcome> {
  const binary = await ripgrepPath();
  const signal = AbortSignal.any([options.abortSignal, AbortSignal.timeout(SEARCH_TIMEOUT_MS)]);
  const { handle, path } = options.directory;
  const throughDescriptor = handle !== undefined && path.startsWith('/proc/self/fd/');
  const child = spawn(binary, args, {
    cwd: throughDescriptor ? '/proc/self/fd/3' : path,
    stdio: [options.input?.fd ?? 'ignore', 'pipe', 'pipe', ...(throughDescriptor ? [handle.fd] : [])],
    signal,
  });
  let stderr = '';
  let stopped = false;
  const [stdout, stderrStream] = [child.stdout!, child.stderr!];
  stderrStream.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
  });
  const lines = createInterface({ input: stdout, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (stopped) return;
    if (!options.onLine(line)) {
      stopped = true;
      lines.close();
      child.kill();
    }
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => {
      if (signal.aborted) resolve(null);
      else reject(error);
    });
    child.once('close', (code) => resolve(code));
  });
  if (signal.aborted && !stopped) {
    throw options.abortSignal.aborted
      ? options.abortSignal.reason
      : new ToolRefusal(
          `the search took longer than ${SEARCH_TIMEOUT_MS / 1000} s; narrow it with a path or glob`,
        );
  }
  return { exitCode, stderr: stderr.slice(0, STDERR_LIMIT).trim(), stopped };
}

/** Opens the checked directory, runs ripgrep inside it (paths come out relative to it), and closes it. */
export async function runRipgrepIn(
  path: WorkspacePath,
  args: string[],
  options: Pick<RipgrepOptions, 'abortSignal' | 'onLine'>,
): Promise<RipgrepOutcome> {
  const handle = await openCheckedDirectory(path);
  try {
    return await runRipgrep(args, {
      ...options,
      directory: { handle, path: await openedDirectoryPath(handle, path) },
    });
  } finally {
    await handle.close();
  }
}
