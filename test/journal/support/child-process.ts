import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RoundOutcome } from './journal-child.js';

const childScript = fileURLToPath(new URL('./journal-child.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts journal-child.ts under tsx, from the repository root so `--import tsx` resolves. */
export function startJournalChild(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', childScript, ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function finished(child: ChildProcessWithoutNullStreams): Promise<ChildResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves once the child has printed `line` on stdout. Call `finished` first so no output is missed. */
export function printed(child: ChildProcessWithoutNullStreams, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer | string) => {
      seen += String(chunk);
      if (seen.split('\n').includes(line)) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.on('close', (code) => reject(new Error(`child exited (${code}) before printing ${line}`)));
  });
}

/** Starts `count` racing children, waits until all are ready, starts them together, returns their outputs. */
export async function race(
  count: number,
  args: string[],
): Promise<{ pids: number[]; outputs: ChildResult[] }> {
  const racers = Array.from({ length: count }, () => startJournalChild(args));
  const results = racers.map((racer) => finished(racer));
  await Promise.all(racers.map((racer) => printed(racer, 'ready')));
  const startAt = Date.now() + 100;
  for (const racer of racers) racer.stdin.end(`go ${startAt}\n`);
  return { pids: racers.map((racer) => racer.pid ?? -1), outputs: await Promise.all(results) };
}

/** The JSON lines a racing child printed, one per round. */
export function roundOutcomes(stdout: string): RoundOutcome[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RoundOutcome);
}
