/**
 * How `phasewise mcp` does its work: by running phasewise's own commands as child processes of the same CLI, so
 * every tool behaves exactly as the command line does (configuration, journal, locks, exit codes) and nothing but
 * the protocol ever reaches the server's stdout. A run (and an answer, which resumes one) goes on in the
 * background, its NDJSON events written to a file under `.phasewise/mcp/` that `watch` reads.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  /** Runs a command to its end and returns what it printed. */
  run(args: readonly string[]): Promise<CliOutcome>;
  /** Starts a command in the background (it outlives the server), its stdout going to `eventsFile`. */
  start(args: readonly string[], eventsFile: string): { pid: number; exited: Promise<number | null> };
}

/** The CLI this server was started as (`node …/bin.js mcp`): the same program runs the commands. */
export function cliRunner(cwd: string, bin: string = process.argv[1] ?? ''): CliRunner {
  const env = { ...process.env, NO_COLOR: '1' };
  return {
    run: (args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], {
          cwd,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
        });
        child.on('error', (error) => resolve({ code: null, stdout, stderr: `${stderr}${error.message}` }));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
    start(args, eventsFile) {
      mkdirSync(join(eventsFile, '..'), { recursive: true });
      const out = openSync(eventsFile, 'a');
      const err = openSync(`${eventsFile}.stderr`, 'a');
      try {
        const child = spawn(process.execPath, [bin, ...args], {
          cwd,
          env,
          stdio: ['ignore', out, err],
          detached: true,
        });
        const exited = new Promise<number | null>((resolve) => {
          child.on('exit', (code) => resolve(code));
          child.on('error', () => resolve(null));
        });
        child.unref();
        return { pid: child.pid ?? 0, exited };
      } finally {
        closeSync(out);
        closeSync(err);
      }
    },
  };
}

/** The NDJSON events written to a file so far (a line still being written is left for the next read). */
export function readEvents(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** The last lines a command printed on stderr, for a tool error. */
export function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

export function readStderr(eventsFile: string): string {
  const file = `${eventsFile}.stderr`;
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
