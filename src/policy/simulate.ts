/**
 * `policy simulate`: the configured policy, each single tier and the oracle replayed over an outcome table, with
 * tasks solved, cost, cost per solved task, cost against all-top and wrong work shipped. Pure: the caller reads
 * the files and passes their contents in.
 */
import type { ResolvedWorkflow } from '../config/types.js';
import { UsageError } from '../errors/index.js';
import type { OutcomeTable } from './outcome-table.js';
import { type PolicySimulation, summarize } from './policy-figures.js';
import {
  type ConfiguredPhase,
  choosePhase,
  configuredPlan,
  type PolicyPlan,
  singleTierPlans,
} from './policy-plans.js';
import { seededRandom } from './random.js';
import { expectedTotals, oracleTotals, type ReplayTotals, sampledTotals, type Verifier } from './replay.js';
import { mapTiers, type TierMapping } from './tier-mapping.js';

export const DEFAULT_TRIALS = 1000;
export const DEFAULT_SEED = 1;
export const MAX_TRIALS = 1_000_000;

export interface SimulationOptions {
  workflow: ResolvedWorkflow;
  table: OutcomeTable;
  /** Tier → the table's model id (`--map`); default: by name, else by `tier_rank`. */
  map?: Readonly<Record<string, string>>;
  /** The phase whose starting tier and ladder are simulated; default: the first implementation phase. */
  phaseId?: string;
  /** Default: perfect (0 and 0). */
  verifier?: Verifier;
  /** Monte Carlo trials for an imperfect verifier (default 1000). */
  trials?: number;
  seed?: number;
}

export type { Estimate, PolicySimulation } from './policy-figures.js';

export interface SimulationResult {
  tasks: number;
  source: string[];
  mapping: TierMapping;
  phase: ConfiguredPhase;
  verifier: Verifier & { perfect: boolean };
  /** Null with a perfect verifier: nothing is random. */
  trials: number | null;
  seed: number | null;
  notes: string[];
  policies: PolicySimulation[];
}

export function simulatePolicies(options: SimulationOptions): SimulationResult {
  const { workflow, table } = options;
  const verifier = options.verifier ?? { falsePassRate: 0, falseFailRate: 0 };
  checkOptions(verifier, options.trials);
  const mapping = mapTiers({
    tiers: workflow.tiers,
    tierModels: workflow.tierModels,
    table,
    ...(options.map === undefined ? {} : { map: options.map }),
  });
  const phase = choosePhase(workflow, options.phaseId);
  const configured = configuredPlan(workflow, phase, mapping, table);
  const plans = [configured.plan, ...singleTierPlans(mapping)];
  const perfect = verifier.falsePassRate === 0 && verifier.falseFailRate === 0;
  const trials = perfect ? null : (options.trials ?? DEFAULT_TRIALS);
  const seed = perfect ? null : (options.seed ?? DEFAULT_SEED);
  const n = table.tasks.length;
  const allTopCost = expectedTotals(plans[plans.length - 1]!, table, verifier).costUsd;
  const policies = plans.map((plan, index): PolicySimulation => {
    const expected = expectedTotals(plan, table, verifier);
    const samples =
      trials === null || seed === null ? null : sample(plan, table, verifier, trials, seed + index);
    return {
      id: plan.id,
      label: plan.label,
      kind: 'policy',
      attempts: plan.attempts.map((attempt) => attempt.label),
      ...summarize(expected, samples, n, allTopCost),
    };
  });
  const oracle = oracleTotals(
    table,
    mapping.tiers.map((tier) => tier.model),
  );
  policies.push({
    id: 'oracle',
    label: 'oracle (bound)',
    kind: 'bound',
    attempts: [],
    ...summarize(oracle, null, n, allTopCost),
  });
  return {
    tasks: n,
    source: table.source,
    mapping,
    phase: configured.phase,
    verifier: { ...verifier, perfect },
    trials,
    seed,
    notes: notes(configured.phase, phase.model.kind === 'auto'),
    policies,
  };
}

function sample(
  plan: PolicyPlan,
  table: OutcomeTable,
  verifier: Verifier,
  trials: number,
  seed: number,
): ReplayTotals[] {
  const random = seededRandom(seed);
  return Array.from({ length: trials }, () => sampledTotals(plan, table, verifier, random));
}

function notes(phase: ConfiguredPhase, auto: boolean): string[] {
  return [
    `outcomes are per task, not per phase: the ladder of phase ${phase.id} (starts on ${phase.start}; ${phase.ladder.join(' → ')}) is applied to each task as a whole, and a task costs what the table says each of its attempts cost`,
    'a retry runs the same model on the same task again: it pays the same cost and gets the same outcome; only the verifier draws a new verdict',
    'no budget or cost limit is simulated: every step of the ladder the engine could take is taken',
    ...(auto
      ? [
          '`auto` starts on the middle tier, as the engine does without an assessment: the table holds no task text to assess',
        ]
      : []),
    'oracle: the cheapest of the tiers’ models that solves each task (a task none solves costs nothing); a bound, not a policy',
  ];
}

function checkOptions(verifier: Verifier, trials: number | undefined): void {
  for (const [name, rate] of [
    ['false-pass', verifier.falsePassRate],
    ['false-fail', verifier.falseFailRate],
  ] as const)
    if (!(rate >= 0 && rate <= 1))
      throw new UsageError(`the ${name} rate must be between 0 and 1, got ${rate}`);
  if (trials !== undefined && !(Number.isSafeInteger(trials) && trials >= 1 && trials <= MAX_TRIALS))
    throw new UsageError(`trials must be a whole number from 1 to ${MAX_TRIALS}, got ${trials}`);
}
