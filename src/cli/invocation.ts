/**
 * How the user started phasewise, so every hint names a command they can paste as it is: `./phasewise resume …`
 * after the quick start, `phasewise resume …` when it is on PATH, `npx phasewise resume …` through npx. The layers
 * below the CLI write hints as `phasewise <command>`; the CLI rewrites them on the way out (`asInvoked`).
 */
import { realpathSync } from 'node:fs';
import { basename, delimiter, join, relative } from 'node:path';

/** The commands a hint can name; only `phasewise` followed by one of them is rewritten (never `.phasewise/`). */
const COMMANDS = [
  'init',
  'validate',
  'estimate',
  'run',
  'resume',
  'status',
  'runs',
  'report',
  'approve',
  'reject',
  'abort',
  'demo',
  'policy',
  'eval',
  'compare',
];
const HINT = new RegExp(`(^|[\\s\`'"(])phasewise(?= (?:${COMMANDS.join('|')})\\b)`, 'g');

export interface InvocationSources {
  env: Record<string, string | undefined>;
  /** `process.argv[1]`: the script node was started with. */
  script: string | undefined;
  cwd: string;
}

/**
 * The command as typed. The `./phasewise` wrapper says how it was called (`PHASEWISE_INVOKED_AS`); an npm bin
 * (a global install, `npm link`) is `phasewise` when that name on PATH is this very script; npx says so in its
 * environment; anything else is `node <script>`.
 */
export function invocationName(sources: InvocationSources = defaultSources()): string {
  const { env, script, cwd } = sources;
  const wrapper = env.PHASEWISE_INVOKED_AS;
  if (wrapper !== undefined && wrapper !== '') return shellWord(wrapper);
  if (script === undefined) return 'phasewise';
  if (basename(script) === 'phasewise') {
    if (env.npm_command === 'exec') return 'npx phasewise';
    if (sameFile(findOnPath('phasewise', env.PATH), script)) return 'phasewise';
  }
  const shown = relative(cwd, script);
  return `node ${shellWord(shown.startsWith('..') || shown === '' ? script : shown)}`;
}

let current = 'phasewise';

/** Set once by the CLI's entry; a program that imports phasewise as a library keeps `phasewise`. */
export function useInvocationName(name: string): void {
  current = name;
}

export function invokedAs(): string {
  return current;
}

/** `text` with every `phasewise <command>` in it spelled the way the user invoked phasewise. */
export function asInvoked(text: string, name: string = current): string {
  return name === 'phasewise' ? text : text.replace(HINT, (_match, before: string) => `${before}${name}`);
}

function defaultSources(): InvocationSources {
  return { env: process.env, script: process.argv[1], cwd: process.cwd() };
}

function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (realOrUndefined(candidate) !== undefined) return candidate;
  }
  return undefined;
}

function sameFile(a: string | undefined, b: string): boolean {
  const real = a === undefined ? undefined : realOrUndefined(a);
  return real !== undefined && real === realOrUndefined(b);
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Quoted for a POSIX shell when it has anything a shell would split or expand. */
export function shellWord(word: string): string {
  return /^[\w./+@:=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
