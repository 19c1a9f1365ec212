/**
 * Policy efficiency. The headline is the policy on real outcomes (bench/policy-real-data.ts: the built-in
 * policy replayed over OpenHands' per-task SWE-bench Verified results in bench/data/). Below it, the engine's
 * paths (issue 8, part 5): on a published fixture of scripted tasks whose pass/fail per tier is
 * known (`bench/fixtures/policy-tasks.json`), the cost and pass rate of the default tiering and escalation
 * policy — each role on its own tier, `retry → escalate → halt` — against running every phase on the top tier.
 *
 * Every run is the real engine with its journal and gates; only the model is scripted: a phase's answer has
 * all its report sections (and so passes its gate) exactly when the tier is at or above the phase's
 * `passesFrom` in the fixture, and lacks them below it. Token counts per call come from the fixture.
 *
 * Run alone: npx tsx bench/policy-efficiency.ts [--tasks 200]
 * Rewrite the fixture (deterministic): npx tsx bench/policy-efficiency.ts --write-fixture
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedWorkflow } from '../src/config/types.js';
import { openJournal } from '../src/journal/index.js';
import { runWorkflow } from '../src/orchestrator/run-workflow.js';
import type { LanguageModel, ModelRequest, ModelResponse } from '../src/provider/model.js';
import { createModelResolver } from '../src/provider/resolver.js';
import { phase, report, testWorkflow } from '../test/support/workflow.js';
import { policyOnRealData } from './policy-real-data.js';
import { argValue } from './stats.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'policy-tasks.json');
const TIERS = ['small', 'medium', 'large'] as const;
const PHASES = ['research', 'planning', 'implementation', 'review', 'verification'] as const;
type PhaseId = (typeof PHASES)[number];

/** Where each role starts under the default policy (DESIGN: explore cheap, plan and review on the top tier). */
const DEFAULT_START: Record<PhaseId, (typeof TIERS)[number]> = {
  research: 'small',
  planning: 'large',
  implementation: 'small',
  review: 'large',
  verification: 'medium',
};

interface FixturePhase {
  /** The cheapest tier index whose answer passes the gate; null when none does. */
  passesFrom: number | null;
  input: number;
  output: number;
}

interface FixtureTask {
  id: string;
  phases: Record<PhaseId, FixturePhase>;
}

interface Fixture {
  description: string;
  tiers: readonly string[];
  tasks: FixtureTask[];
}

/** Deterministic: the same seed writes the same fixture. */
function makeFixture(count: number): Fixture {
  let state = 2026;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // How hard each role's work tends to be: the chance that the cheapest tier, then the middle one, is enough.
  const ease: Record<PhaseId, [number, number]> = {
    research: [0.8, 0.97],
    planning: [0.25, 0.7],
    implementation: [0.45, 0.85],
    review: [0.35, 0.75],
    verification: [0.7, 0.95],
  };
  const tasks = Array.from({ length: count }, (_, index): FixtureTask => {
    const phases = Object.fromEntries(
      PHASES.map((id): [PhaseId, FixturePhase] => {
        const roll = random();
        const unsolvable = random() < 0.02;
        const [cheap, middle] = ease[id];
        const passesFrom = unsolvable ? null : roll < cheap ? 0 : roll < middle ? 1 : 2;
        return [
          id,
          {
            passesFrom,
            input: 2_000 + Math.floor(random() * 8_000),
            output: 300 + Math.floor(random() * 3_000),
          },
        ];
      }),
    ) as Record<PhaseId, FixturePhase>;
    return { id: `task-${String(index + 1).padStart(3, '0')}`, phases };
  });
  return {
    description:
      'Scripted tasks for bench/policy-efficiency.ts: per phase, the cheapest tier (0 small, 1 medium, 2 large) whose ' +
      'answer passes its gate (null: none does), and the tokens each call uses. Generated with a fixed seed.',
    tiers: TIERS,
    tasks,
  };
}

/** Answers by the fixture: all report sections at or above the phase's tier, an incomplete draft below it. */
function fixtureModel(task: FixtureTask, modelId: string): LanguageModel {
  const tier = TIERS.indexOf(modelId as (typeof TIERS)[number]);
  return {
    provider: 'scripted',
    modelId,
    generate: async (request: ModelRequest): Promise<ModelResponse> => {
      const id = request.metadata.phaseId as PhaseId;
      const spec = task.phases[id];
      const passes = spec.passesFrom !== null && tier >= spec.passesFrom;
      return {
        content: [{ type: 'text', text: passes ? report(id) : 'An incomplete draft without its sections.' }],
        usage: { inputNoCache: spec.input, cacheRead: 0, cacheWrite: 0, output: spec.output, reasoning: 0 },
        finishReason: { unified: 'stop', raw: 'end_turn' },
        modelId,
      };
    },
  };
}

function workflowFor(policy: 'default' | 'top', workspace: string): ResolvedWorkflow {
  return testWorkflow({
    workspace,
    concurrency: 1,
    budgetUsd: 100,
    phases: PHASES.map((id, index) =>
      phase(id, {
        model: { kind: 'tier', tier: policy === 'top' ? 'large' : DEFAULT_START[id] },
        // The built-in ladders: implementation climbs without a same-tier retry (docs/policy.md).
        escalation:
          policy === 'default' && id === 'implementation'
            ? ['escalate', 'escalate', 'halt']
            : ['retry', 'escalate', 'halt'],
        costLimitUsd: 10,
        // Room for the fixture's answers (up to 3,300 tokens), which the usage check holds to twice the cap.
        maxOutputTokens: 4096,
        dependsOn: index === 0 ? [] : [PHASES[index - 1]!],
      }),
    ),
  });
}

interface PolicyResult {
  passed: number;
  costUsd: number;
  costOfPassedUsd: number;
  attempts: number;
}

async function runPolicy(policy: 'default' | 'top', tasks: FixtureTask[]): Promise<PolicyResult> {
  const result: PolicyResult = { passed: 0, costUsd: 0, costOfPassedUsd: 0, attempts: 0 };
  for (const task of tasks) {
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-policy-'));
    const workflow = workflowFor(policy, workspace);
    const journal = openJournal({ workspace });
    const resolveModel = createModelResolver({
      providers: workflow.providers,
      factories: { scripted: (_provider, modelId) => fixtureModel(task, modelId) },
    });
    const outcome = await runWorkflow({ workflow, journal, resolveModel, task: task.id });
    result.attempts += (await journal.listSteps(outcome.runId)).filter(
      (step) => step.kind === 'attempt',
    ).length;
    await journal.close();
    rmSync(workspace, { recursive: true, force: true });
    result.costUsd += outcome.costUsd;
    if (outcome.status === 'succeeded') {
      result.passed += 1;
      result.costOfPassedUsd += outcome.costUsd;
    }
  }
  return result;
}

export async function policyEfficiency(options: { tasks: number; trials?: number }): Promise<string[]> {
  const headline = policyOnRealData({ trials: options.trials ?? 1000 });
  return [...headline, '', ...(await enginePaths(options))];
}

/** The engine's paths: the real engine, journal and gates on the generated fixture. */
async function enginePaths(options: { tasks: number }): Promise<string[]> {
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  const tasks = fixture.tasks.slice(0, options.tasks);
  // What the fixture says a run can reach at best: every phase has some tier that passes.
  const solvable = tasks.filter((task) => PHASES.every((id) => task.phases[id].passesFrom !== null)).length;
  const defaults = await runPolicy('default', tasks);
  const top = await runPolicy('top', tasks);
  const line = (label: string, value: PolicyResult) =>
    `  ${label.padEnd(46)} ${String(value.passed).padStart(3)} of ${tasks.length} passed (${((100 * value.passed) / tasks.length).toFixed(1)} %), ` +
    `$${value.costUsd.toFixed(2)} in all, $${(value.costOfPassedUsd / Math.max(1, value.passed)).toFixed(4)} per passed task, ${value.attempts} attempts`;
  return [
    `engine paths: ${tasks.length} generated fixture tasks (${solvable} solvable at some tier), 5 phases each, the real engine`,
    line('default tiering and ladders', defaults),
    line('every phase on the top tier', top),
    `  default / top: ${((100 * defaults.costUsd) / top.costUsd).toFixed(1)} % of the cost, ` +
      `${defaults.passed - top.passed >= 0 ? '+' : ''}${defaults.passed - top.passed} tasks passed`,
  ];
}

if (process.argv.includes('--write-fixture')) {
  writeFileSync(FIXTURE, `${JSON.stringify(makeFixture(200), null, 2)}\n`);
  console.log(`wrote ${FIXTURE}`);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await policyEfficiency({ tasks: argValue('tasks', 200) })).join('\n'));
}
