/**
 * How often a phase's gate agreed with the hidden check (the format docs/eval.md shows, read by `policy simulate
 * --gate-from`). Each phase of each run is one observation: its final gate verdict beside the run's hidden check.
 * Rates are conditional on the hidden check: false passes among the phases whose run failed it, false fails
 * among those whose run passed it; null when there was nothing to condition on.
 */
import type { RunRecord } from './run-record.js';

export interface GateAccuracy {
  false_pass_rate: number | null;
  false_fail_rate: number | null;
  hidden_failed: number;
  false_passes: number;
  hidden_passed: number;
  false_fails: number;
}

export interface GateAccuracyFile {
  version: 1;
  source: string[];
  overall: GateAccuracy;
  roles: Record<string, GateAccuracy>;
  check_kinds: Record<string, GateAccuracy>;
}

export interface Observation {
  gatePassed: boolean;
  hiddenPassed: boolean;
}

export function accuracyOf(observations: readonly Observation[]): GateAccuracy {
  let hiddenFailed = 0;
  let falsePasses = 0;
  let hiddenPassed = 0;
  let falseFails = 0;
  for (const { gatePassed, hiddenPassed: solved } of observations) {
    if (solved) {
      hiddenPassed += 1;
      if (!gatePassed) falseFails += 1;
    } else {
      hiddenFailed += 1;
      if (gatePassed) falsePasses += 1;
    }
  }
  return {
    false_pass_rate: hiddenFailed === 0 ? null : falsePasses / hiddenFailed,
    false_fail_rate: hiddenPassed === 0 ? null : falseFails / hiddenPassed,
    hidden_failed: hiddenFailed,
    false_passes: falsePasses,
    hidden_passed: hiddenPassed,
    false_fails: falseFails,
  };
}

export function gateAccuracy(records: readonly RunRecord[], source: string[]): GateAccuracyFile {
  const overall: Observation[] = [];
  const roles = new Map<string, Observation[]>();
  const kinds = new Map<string, Observation[]>();
  for (const record of records) {
    for (const phase of record.phases) {
      const observation = { gatePassed: phase.gatePassed, hiddenPassed: record.solved };
      overall.push(observation);
      push(roles, phase.role, observation);
      for (const check of phase.checks) {
        push(kinds, check.kind, { gatePassed: check.passed, hiddenPassed: record.solved });
      }
    }
  }
  return {
    version: 1,
    source,
    overall: accuracyOf(overall),
    roles: mapValues(roles),
    check_kinds: mapValues(kinds),
  };
}

function push(into: Map<string, Observation[]>, key: string, observation: Observation): void {
  const list = into.get(key) ?? [];
  list.push(observation);
  into.set(key, list);
}

function mapValues(groups: Map<string, Observation[]>): Record<string, GateAccuracy> {
  return Object.fromEntries(
    [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, list]) => [key, accuracyOf(list)]),
  );
}
