/**
 * What one run of an eval measured — a task under a policy, one repeat — as written to DIR/runs/<key>.json the
 * moment it is known (atomically, so a kill leaves it whole or absent) and gathered into results.json. A record
 * on disk is what makes a resumed eval skip the run: it is never run or paid for again.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export const RUN_RECORD_VERSION = 1;

const phaseVerdictSchema = z.object({
  phaseId: z.string(),
  /** The built-in role of the phase's agent (its own name for an agent of its own). */
  role: z.string(),
  /** The phase's final gate: the verdict its last attempt got. */
  gatePassed: z.boolean(),
  checks: z.array(z.object({ name: z.string(), kind: z.string(), passed: z.boolean() })),
});

export const runRecordSchema = z.object({
  version: z.literal(RUN_RECORD_VERSION),
  key: z.string(),
  task: z.string(),
  policy: z.string(),
  /** The tier an `all-<tier>` policy pinned, with its model; null for `default`. */
  tier: z.string().nullable(),
  model: z.string().nullable(),
  repeat: z.number().int().positive(),
  runId: z.string(),
  status: z.string(),
  exitCode: z.number().int().nullable(),
  /** The hidden check passed (exit 0) in the run's worktree after the run ended, whatever the run's status. */
  solved: z.boolean(),
  hiddenCheck: z.object({
    ending: z.string(),
    exitCode: z.number().int().nullable(),
    durationMs: z.number(),
  }),
  costUsd: z.number(),
  durationMs: z.number(),
  worktree: z.string(),
  phases: z.array(phaseVerdictSchema),
});

export type RunRecord = z.infer<typeof runRecordSchema>;
export type PhaseVerdict = z.infer<typeof phaseVerdictSchema>;

export function runRecordPath(dir: string, key: string): string {
  return join(dir, 'runs', `${key}.json`);
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeFileAtomic(runRecordPath(dir, record.key), `${JSON.stringify(record, null, 2)}\n`);
}

/** Every finished run recorded in DIR, by key. */
export function readRunRecords(dir: string): Map<string, RunRecord> {
  const folder = join(dir, 'runs');
  const records = new Map<string, RunRecord>();
  if (!existsSync(folder)) return records;
  for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.json'))) {
    const file = join(folder, name);
    const parsed = runRecordSchema.safeParse(parseJson(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      throw new UsageError(`${file} is not a run record of this phasewise version`, {
        hint: 'remove it to run that run again, or give another output folder with -o',
      });
    }
    records.set(parsed.data.key, parsed.data);
  }
  return records;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
