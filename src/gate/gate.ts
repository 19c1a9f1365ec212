/**
 * A gate is a weighted set of checks, each scoring 0–1, combined into one score compared with the threshold; a
 * required check that fails vetoes the phase whatever the score (DESIGN §3). Pure: `(output) => GateResult`.
 */
import type { GateCheckConfig, GateConfig } from '../config/types.js';
import type { CheckResultSummary } from '../events/index.js';
import { checkCost } from './check-cost.js';
import { checkSections } from './check-sections.js';

export interface GateInput {
  /** The phase report the agent produced. */
  output: string;
  /** Section headings the role must deliver. */
  deliverables: string[];
  costUsd: number;
  costLimitUsd: number;
}

/** One check's verdict; the same shape travels in `gate-end` events. */
export type CheckResult = CheckResultSummary;

export interface GateResult {
  score: number;
  threshold: number;
  passed: boolean;
  vetoed: boolean;
  checks: CheckResult[];
}

/** A check passes on its own when it scores at least this; a required check below it vetoes. */
const CHECK_PASS_SCORE = 1;

export function evaluateGate(config: GateConfig, input: GateInput): GateResult {
  const checks = config.checks.map((check) => runCheck(check, input));
  const totalWeight = checks.reduce((total, check) => total + check.weight, 0);
  const score =
    totalWeight === 0
      ? 1
      : checks.reduce((total, check) => total + check.score * check.weight, 0) / totalWeight;
  const rounded = Math.round(score * 10_000) / 10_000;
  const vetoed = checks.some((check) => check.required && !check.passed);
  return {
    score: rounded,
    threshold: config.threshold,
    passed: !vetoed && rounded >= config.threshold,
    vetoed,
    checks,
  };
}

function runCheck(check: GateCheckConfig, input: GateInput): CheckResult {
  const { score, message } =
    check.kind === 'sections'
      ? checkSections(input.output, check.sections ?? input.deliverables)
      : checkCost(input.costUsd, input.costLimitUsd);
  return {
    name: check.name,
    kind: check.kind,
    score,
    weight: check.weight,
    required: check.required,
    passed: score >= CHECK_PASS_SCORE,
    message,
  };
}
