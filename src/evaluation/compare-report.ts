/**
 * A comparison: the original run and its re-run under another policy, both measured from their journals, the
 * difference between them (what the original saved, or cost extra, against the policy's re-run; the time), and
 * the original's misroutes of `model: auto`. Savings here are measured by a re-run, not a re-pricing.
 */
import type { ComparedRun } from './compare-measure.js';
import type { MisrouteCount } from './misroutes.js';

export const COMPARISON_VERSION = 1;

export interface Comparison {
  version: typeof COMPARISON_VERSION;
  task: string;
  policy: string;
  /** The commit the re-run started from, and whether the workspace held changes it does not. */
  commit: string;
  uncommitted: boolean;
  folder: string;
  original: ComparedRun;
  rerun: ComparedRun;
  difference: {
    /** The re-run's cost minus the original's: what the original saved (negative: what it cost extra). */
    savedUsd: number;
    /** `savedUsd` as a share of the re-run's cost; null when the re-run cost nothing. */
    savedShare: number | null;
    /** The re-run's time minus the original's; null when either is unknown. */
    durationMs: number | null;
  };
  misroutes: MisrouteCount;
}

export function buildComparison(parts: Omit<Comparison, 'version' | 'difference'>): Comparison {
  const { original, rerun } = parts;
  const savedUsd = rerun.costUsd - original.costUsd;
  return {
    version: COMPARISON_VERSION,
    ...parts,
    difference: {
      savedUsd,
      savedShare: rerun.costUsd > 0 ? savedUsd / rerun.costUsd : null,
      durationMs:
        original.durationMs === null || rerun.durationMs === null
          ? null
          : rerun.durationMs - original.durationMs,
    },
  };
}
