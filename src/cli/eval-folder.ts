/**
 * The folder of an eval: what identifies it (eval.json: task set, policies, repeats, whether it finished), and
 * where an eval goes: `-o`, else the latest unfinished one of the same eval, else a new one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** What identifies an eval in its folder: run again with the same, it resumes; with others, it is refused. */
const manifestSchema = z.object({
  version: z.literal(1),
  taskSet: z.string(),
  policies: z.array(z.string()),
  repeat: z.number().int().positive(),
  startedAt: z.string(),
  complete: z.boolean(),
});
export type EvalManifest = z.infer<typeof manifestSchema>;

/** -o as given; else the latest unfinished eval of the same task set, policies and repeats; else a new folder. */
export function outputFolder(
  output: string | undefined,
  wanted: Omit<EvalManifest, 'startedAt' | 'complete'>,
  cwd: string,
): string {
  if (output !== undefined) return resolve(cwd, output);
  const root = join(cwd, '.phasewise', 'eval');
  const earlier = existsSync(root) ? readdirSync(root).sort().reverse() : [];
  for (const name of earlier) {
    const manifest = readManifest(join(root, name));
    if (manifest !== undefined && !manifest.complete && sameEval(manifest, wanted)) return join(root, name);
  }
  ignoreInGit(join(cwd, '.phasewise'));
  // No hyphens: the folder is part of every worktree's path, which prompts and reports show.
  return join(root, new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, ''));
}

function sameEval(manifest: EvalManifest, wanted: Omit<EvalManifest, 'startedAt' | 'complete'>): boolean {
  return (
    manifest.taskSet === wanted.taskSet &&
    manifest.repeat === wanted.repeat &&
    manifest.policies.join(',') === wanted.policies.join(',')
  );
}

export function checkSameEval(
  manifest: EvalManifest | undefined,
  wanted: Omit<EvalManifest, 'startedAt' | 'complete'>,
  dir: string,
): void {
  if (manifest === undefined || sameEval(manifest, wanted)) return;
  throw new UsageError(
    `${dir} holds another eval (${manifest.taskSet}, policies ${manifest.policies.join(',')}, --repeat ${manifest.repeat})`,
    {
      hint: 'run it with the same task set, --policies and --repeat to go on, or give another folder with -o',
    },
  );
}

export function readManifest(dir: string): EvalManifest | undefined {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeManifest(dir: string, manifest: EvalManifest): void {
  writeFileAtomic(join(dir, 'eval.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** `.phasewise/` keeps out of git, as the journal's does; a .gitignore already there stays as it is. */
function ignoreInGit(directory: string): void {
  mkdirSync(directory, { recursive: true });
  try {
    writeFileSync(join(directory, '.gitignore'), '*\n', { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
