/**
 * A gate is a weighted set of checks, each scoring 0–1, combined into one score compared with the threshold; a
 * required check that fails vetoes the phase whatever the score (DESIGN §3). The scoring is a pure function of
 * the checks' outcomes (`scoreGate`); the checks themselves may read the workspace, run a command, or ask the
 * injected judge. A check that cannot reach a verdict throws a GateCheckError instead of scoring low.
 */
import type { GateCheckConfig, GateConfig } from '../config/types.js';
import { BudgetExceededError } from '../errors/index.js';
import type { CheckResultSummary } from '../events/index.js';
import { checkCommand } from './check-command.js';
import { checkCost } from './check-cost.js';
import { checkCustom } from './check-custom.js';
import { checkDiff } from './check-diff.js';
import { checkFindings } from './check-findings.js';
import { checkGrounding } from './check-grounding.js';
import { checkJudge } from './check-judge.js';
import { checkMatches } from './check-matches.js';
import { checkSections } from './check-sections.js';
import { checkWorkItems } from './check-work-items.js';
import { GateCheckError } from './gate-check-error.js';
import type { CheckOutcome, GateInput, GateServices } from './gate-input.js';

export type * from './gate-input.js';

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

/** Runs the checks one after another, in the configured order (a command check may be slow or stateful). */
export async function evaluateGate(
  config: GateConfig,
  input: GateInput,
  services: GateServices,
): Promise<GateResult> {
  const checks: CheckResult[] = [];
  for (const check of config.checks) {
    services.abortSignal.throwIfAborted();
    const acts = check.kind === 'command' || check.kind === 'custom';
    const outcome =
      acts && services.changeWindow !== undefined
        ? await services.changeWindow(() => runCheck(check, input, services))
        : await runCheck(check, input, services);
    checks.push(checkResult(check, outcome, services));
  }
  return scoreGate(config.threshold, checks);
}

/** Weighted mean of the scores (1 when every weight is zero); any failed required check vetoes. */
export function scoreGate(threshold: number, checks: CheckResult[]): GateResult {
  const totalWeight = checks.reduce((total, check) => total + check.weight, 0);
  const score =
    totalWeight === 0
      ? 1
      : checks.reduce((total, check) => total + check.score * check.weight, 0) / totalWeight;
  const rounded = Math.round(score * 10_000) / 10_000;
  const vetoed = checks.some((check) => check.required && !check.passed);
  return { score: rounded, threshold, passed: !vetoed && rounded >= threshold, vetoed, checks };
}

function checkResult(check: GateCheckConfig, outcome: CheckOutcome, services: GateServices): CheckResult {
  const evidence =
    outcome.evidence === undefined || services.redactor === undefined
      ? outcome.evidence
      : services.redactor.redactDeep(outcome.evidence);
  return {
    name: check.name,
    kind: check.kind,
    score: outcome.score,
    weight: check.weight,
    required: check.required,
    passed: outcome.score >= CHECK_PASS_SCORE,
    message: outcome.message,
    ...(evidence === undefined ? {} : { evidence }),
  };
}

async function runCheck(
  check: GateCheckConfig,
  input: GateInput,
  services: GateServices,
): Promise<CheckOutcome> {
  try {
    return await dispatch(check, input, services);
  } catch (error) {
    if (services.abortSignal.aborted) throw services.abortSignal.reason;
    // A judge that cannot be afforded is the budget's verdict, not the check's: it ends the phase as such.
    if (error instanceof GateCheckError || error instanceof BudgetExceededError) throw error;
    throw new GateCheckError(check, (error as Error)?.message ?? String(error), { cause: error });
  }
}

function dispatch(
  check: GateCheckConfig,
  input: GateInput,
  services: GateServices,
): Promise<CheckOutcome> | CheckOutcome {
  switch (check.kind) {
    case 'sections':
      return checkSections(input.output, check.sections ?? input.deliverables);
    case 'cost':
      return checkCost(input.costUsd, input.costLimitUsd);
    case 'grounding':
      return checkGrounding(input.output, {
        workspace: input.workspace,
        minCitations: check.minCitations,
        symbols: check.symbols,
        allowNew: check.allowNew,
        abortSignal: services.abortSignal,
      });
    case 'command':
      return checkCommand({ ...check, workspace: input.workspace }, services);
    case 'judge':
      return checkJudge(input.output, check, services);
    case 'findings':
      return checkFindings(input.output, check.limits, check.mustHave);
    case 'diff':
      return checkDiff(input.changedPaths, check, input.changedByOthers);
    case 'custom':
      return checkCustom(input, check, services.abortSignal);
    case 'work-items':
      return checkWorkItems(input.output);
    case 'matches':
      return checkMatches(input.output, check.patterns);
  }
}
