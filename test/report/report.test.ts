/** Report figures are checked against the journal they are built from. */
import { describe, expect, it } from 'vitest';
import { costOfUsage } from '../../src/budget/cost.js';
import { lookupPrice } from '../../src/budget/price-table.js';
import type { RunEvent, TokenCounts } from '../../src/events/index.js';
import { buildReport } from '../../src/report/build-report.js';
import { reportJson, reportMarkdown } from '../../src/report/render-report.js';
import { summarizeRun } from '../../src/report/run-summary.js';
import { harnessesClosedAfterEach, oneTurnScript } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

async function finishedRun() {
  const ids = ['research', 'planning', 'implementation'];
  const workflow = testWorkflow({
    phases: ids.map((id, index) => phase(id, { dependsOn: index === 0 ? [] : [ids[index - 1]!] })),
  });
  const script = oneTurnScript(Object.fromEntries(ids.map((id) => [id, report(id)])));
  script.phases.planning = [
    { turns: [{ text: 'no sections', usage: { input: 3_000, output: 200 } }] },
    // The retry reads what the first attempt wrote to the prompt cache.
    {
      turns: [
        { text: report('planning'), usage: { input: 500, cacheRead: 3_000, cacheWrite: 1_500, output: 700 } },
      ],
    },
  ];
  const h = make(workflow, script);
  const outcome = await h.run();
  return { h, outcome, run: (await h.journal.getRun(outcome.runId))! };
}

describe('report', () => {
  it('adds up to the run: phase costs sum to the journal’s total', async () => {
    const { h, run } = await finishedRun();
    const built = await buildReport(h.journal, run);
    const phases = built.phases.reduce((sum, entry) => sum + entry.costUsd, 0);
    expect(phases).toBeCloseTo(run.costUsd, 12);
    expect(built.costUsd).toBeCloseTo(run.costUsd, 12);
    expect(built.phases.find((entry) => entry.id === 'planning')).toMatchObject({
      attempts: 2,
      status: 'passed',
    });
  });

  it('re-prices the recorded usage at the top tier’s prices', async () => {
    const { h, run } = await finishedRun();
    const built = await buildReport(h.journal, run);
    const top = lookupPrice('large', { input: 5, output: 25 })!;
    const expected = (await h.journal.listSteps(run.runId))
      .filter((step) => step.kind === 'model')
      .reduce((sum, step) => sum + costOfUsage((step.result as { usage: TokenCounts }).usage, top), 0);
    expect(built.topTier.costUsd).toBeCloseTo(expected, 12);
    expect(built.topTier.savedUsd).toBeCloseTo(expected - run.costUsd, 12);
    expect(built.topTier.model).toBe('scripted:large');
  });

  it('renders Markdown with every phase, the failing checks and the timeline', async () => {
    const { h, run } = await finishedRun();
    const markdown = reportMarkdown(await buildReport(h.journal, run));
    for (const id of ['research', 'planning', 'implementation'])
      expect(markdown).toContain(`| ${id} | passed |`);
    expect(markdown).toContain('not a measured re-run');
    expect(markdown).toMatch(/planning: gate \d\.\d\d \/ 0\.90 failed/);
  });

  it('shows the share of the input read from the prompt cache, per phase and in all, in Markdown and JSON', async () => {
    const { h, run } = await finishedRun();
    const built = await buildReport(h.journal, run);
    const planning = built.phases.find((entry) => entry.id === 'planning')!;
    // 3,000 read of 3,000 + 500 + 3,000 + 1,500 input tokens over the two attempts.
    expect(planning.cacheReadShare).toBeCloseTo(3_000 / 8_000, 12);
    expect(built.phases.find((entry) => entry.id === 'research')!.cacheReadShare).toBe(0);
    const input = built.tokens.inputNoCache + built.tokens.cacheRead + built.tokens.cacheWrite;
    expect(built.cacheReadShare).toBeCloseTo(3_000 / input, 12);
    const markdown = reportMarkdown(built);
    expect(markdown).toContain('| cache read |');
    expect(markdown).toMatch(/\| planning \| passed \|[^\n]*\| 38 % \|/);
    expect(markdown).toContain(`${Math.round(300_000 / input)} % of the input read from the prompt cache`);
    expect(JSON.parse(reportJson(built)).phases[1].cacheReadShare).toBeCloseTo(0.375, 12);
  });

  it('counts the time and attempts of every review-loop round in its phase’s row', () => {
    const base = { runId: 'r', tier: 't', model: 'm', costUsd: 0, gateScore: 1, threshold: 0.5 };
    const end = (phaseId: string, durationMs: number): RunEvent => ({
      ...base,
      type: 'phase-end',
      at: new Date(durationMs).toISOString(),
      phaseId,
      status: 'passed',
      attempts: 1,
      durationMs,
      reportPath: null,
      message: null,
    });
    const start: RunEvent = {
      runId: 'r',
      type: 'run-start',
      at: new Date(0).toISOString(),
      task: 't',
      budgetUsd: 1,
      phases: [{ id: 'implementation', agent: 'implementation', model: 'm', costLimitUsd: 1 }],
    } as RunEvent;
    const round: RunEvent = {
      runId: 'r',
      type: 'phase-start',
      at: start.at,
      phaseId: 'implementation@2',
      resumed: false,
    };
    const summary = summarizeRun(
      [start, end('implementation', 700), round, end('implementation@2', 300)],
      'r',
    );
    expect(summary.phases[0]!.durationMs).toBe(1000);
    // Attempts add up too: one in the first round, one in the second.
    expect(summary.phases[0]!.attempts).toBe(2);
  });
});
