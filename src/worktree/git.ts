/**
 * The one way this layer runs git: `execFile`, no shell, arguments as an array. Every call turns off what a
 * repository could make git run or ask (hooks, fsmonitor, signing, credential prompts, automatic gc), signs
 * commits as `phasewise <phasewise@localhost>`, reads git's messages in the C locale, and stops with the caller's
 * AbortSignal. A failure is a `WorktreeError` naming the command and git's own message.
 */
import { execFile } from 'node:child_process';
import { WorktreeError } from '../errors/index.js';

export interface GitOptions {
  /** Extra environment, e.g. `GIT_INDEX_FILE` for a scratch index, or the dates of `commitDates`. */
  env?: Record<string, string>;
  /** Written to git's standard input. */
  input?: string | Buffer;
  signal?: AbortSignal;
}

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Settings that keep a repository's configuration from running anything or prompting. */
const SAFETY = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['commit.gpgsign', 'false'],
  ['tag.gpgsign', 'false'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['rerere.enabled', 'false'],
  ['advice.detachedHead', 'false'],
  // Conflicts show the common ancestor too, in one format whatever the user set: a merge turn reads both sides.
  ['merge.conflictStyle', 'diff3'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

const IDENTITY = {
  GIT_AUTHOR_NAME: 'phasewise',
  GIT_AUTHOR_EMAIL: 'phasewise@localhost',
  GIT_COMMITTER_NAME: 'phasewise',
  GIT_COMMITTER_EMAIL: 'phasewise@localhost',
};

/** Variables that would point git at another repository, index or date than the call says. */
const INHERITED_OUT = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_PREFIX',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_DATE',
];

const MAX_OUTPUT = 512 * 1024 * 1024;

/** `git args` in `cwd`, whatever its exit code; throws only when git could not run or was aborted. */
export async function tryGit(cwd: string, args: string[], options: GitOptions = {}): Promise<GitResult> {
  const result = await run(cwd, args, options);
  return { exitCode: result.exitCode, stdout: result.stdout.toString('utf8'), stderr: result.stderr };
}

/** `git args` in `cwd`: its standard output as bytes (a patch of files in any encoding), or a `WorktreeError`. */
export async function gitBytes(cwd: string, args: string[], options: GitOptions = {}): Promise<Buffer> {
  const result = await run(cwd, args, options);
  if (result.exitCode !== 0) throw failure(cwd, args, result.stderr.trim());
  return result.stdout;
}

function run(
  cwd: string,
  args: string[],
  options: GitOptions,
): Promise<{ exitCode: number; stdout: Buffer; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_OUT) delete env[name];
  Object.assign(env, IDENTITY, options.env, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
    LANGUAGE: 'C',
  });
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...SAFETY, ...args],
      {
        cwd,
        env,
        encoding: 'buffer',
        maxBuffer: MAX_OUTPUT,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (error, stdout, stderrBytes) => {
        const stderr = stderrBytes.toString('utf8');
        if (error === null) return resolve({ exitCode: 0, stdout, stderr });
        if (options.signal?.aborted) return reject(options.signal.reason ?? error);
        const exitCode = (error as { code?: unknown }).code;
        if (typeof exitCode === 'number') return resolve({ exitCode, stdout, stderr });
        reject(failure(cwd, args, error.message, error));
      },
    );
    // git may exit before reading its input (a failed command): not an error of its own.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
  });
}

/** `git args` in `cwd`: its standard output, or a `WorktreeError` when it exits with anything but 0. */
export async function git(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  const result = await tryGit(cwd, args, options);
  if (result.exitCode !== 0) throw failure(cwd, args, result.stderr.trim() || result.stdout.trim());
  return result.stdout;
}

/** The error for a failed `git args` in `cwd`, with git's message. */
export function failure(cwd: string, args: string[], message: string, cause?: unknown): WorktreeError {
  const command = `git ${args.join(' ')}`;
  const said = message === '' ? 'no message' : message;
  return new WorktreeError(
    'git_failed',
    `\`${command}\` failed in ${cwd}: ${said}`,
    { command },
    {
      hint: 'see git’s message above; the repository is left as git left it',
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/** The environment that dates a commit: the same content, parents, message and date give the same commit id. */
export function commitDates(date: Date): Record<string, string> {
  const stamp = `${Math.floor(date.getTime() / 1000)} +0000`;
  return { GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp };
}

/** Splits git's `-z` output into its entries. */
export function nulSeparated(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}
