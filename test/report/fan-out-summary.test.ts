/**
 * A fanned-out phase in the run summary: its items' lanes folded from the events (live) and from a real SQLite
 * journal's events and step records (afterwards), which must agree; every view shows each item's figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../../src/cli/commands/report.js';
import { statusCommand } from '../../src/cli/commands/status.js';
import { phaseTable } from '../../src/cli/render/phase-table.js';
import { describeEvent, plainRenderer } from '../../src/cli/render/plain-renderer.js';
import { type Journal, openJournal, parseStepKey, stepAddress } from '../../src/journal/index.js';
import { buildReport } from '../../src/report/build-report.js';
import { itemLineText, laneFiguresText } from '../../src/report/fan-out-text.js';
import { summarizeJournal } from '../../src/report/journal-summary.js';
import { escapeHtml, reportHtml } from '../../src/report/render-html.js';
import { reportMarkdown } from '../../src/report/render-report.js';
import { summarizeRun } from '../../src/report/run-summary.js';
import { costText, gateText } from '../../src/report/summary-text.js';
import type { ItemSummary, RunSummary } from '../../src/report/summary-types.js';
import { fanOutEvents, fanOutSteps, RUN_ID } from './fan-out-run.js';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const events = fanOutEvents();
let folder: string;
let journal: Journal;
let afterwards: RunSummary;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'phasewise-fan-out-summary-'));
  journal = openJournal({ workspace: folder });
  await journal.createRun({
    runId: RUN_ID,
    createdAt: events[0]!.at,
    task: '# Task: add a settings page',
    workspace: folder,
    workflow: { phases: [], budgetUsd: 1, tiers: ['small', 'large'], tierModels: {}, providers: {} },
    workflowHash: 'hash',
  });
  for (const step of fanOutSteps()) {
    await journal.recordStep({
      runId: RUN_ID,
      key: step.key,
      phaseId: 'implementation',
      kind: stepAddress(parseStepKey(step.key)!).kind,
      result: step.usage === undefined ? null : { usage: step.usage },
      costUsd: step.costUsd,
      startedAt: events[1]!.at,
      endedAt: events[1]!.at,
    });
  }
  for (const event of events) await journal.appendEvent(event);
  await journal.updateRun(RUN_ID, {
    status: 'succeeded',
    updatedAt: events.at(-1)!.at,
    endedAt: events.at(-1)!.at,
    exitCode: 0,
  });
  afterwards = await summarizeJournal(journal, (await journal.getRun(RUN_ID))!);
});

afterAll(async () => {
  await journal.close();
  rmSync(folder, { recursive: true, force: true });
});

const itemsOf = (summary: RunSummary): ItemSummary[] => summary.phases[0]!.items ?? [];
const item = (summary: RunSummary, id: string): ItemSummary =>
  itemsOf(summary).find((entry) => entry.id === id)!;

describe('a fanned-out phase in the run summary', () => {
  it('folds each item into its own lane, the phase keeping its own attempts and gate', () => {
    const live = summarizeRun(events, RUN_ID);
    const phase = live.phases[0]!;
    expect(phase.fanOut).toMatchObject({
      status: 'merged',
      baseCommit: 'a'.repeat(40),
      maxParallel: 3,
      mergedCommit: 'm3',
    });
    expect(itemsOf(live).map((entry) => entry.id)).toEqual(['api', 'ui', 'docs']);
    expect(phase).toMatchObject({ attempts: 1, escalations: 0, status: 'passed', models: [] });
    expect(phase.gate?.score).toBe(0.9);
    expect(item(live, 'ui')).toMatchObject({
      status: 'passed',
      attempts: 2,
      escalations: 1,
      model: 'p:large',
      costLimitUsd: 0.1,
      commit: 'uiuiui',
      merge: { outcome: 'resolved', files: ['src/app.ts'], index: 2, commit: 'm2' },
      turn: null,
    });
    expect(item(live, 'ui').mergeTurnCostUsd).toBeCloseTo(0.02, 12);
    expect(item(live, 'ui').attemptHistory.map((attempt) => attempt.gate?.passed)).toEqual([false, true]);
    expect(item(live, 'ui').tokens.output).toBe(420);
    expect(item(live, 'docs')).toMatchObject({ dependsOn: ['api'], merge: { outcome: 'merged', index: 3 } });
  });

  it('counts every lane’s spending in the phase: items, the judge on an item gate, the merge turn', () => {
    const live = summarizeRun(events, RUN_ID);
    const expected = 0.01 + 0.008 + 0.003 + 0.005 + 0.012 + 0.04 + 0.02;
    expect(live.phases[0]!.costUsd).toBeCloseTo(expected, 12);
    expect(afterwards.phases[0]!.costUsd).toBeCloseTo(expected, 12);
    expect(item(afterwards, 'api').costUsd).toBeCloseTo(0.021, 12);
    expect(live.phases[0]!.tokens.output).toBe(100 + 50 + 120 + 300 + 80 + 200);
    expect(live.tokens).toEqual(live.phases[0]!.tokens);
  });

  it('is the same folded live and from the journal', () => {
    const live = summarizeRun(events, RUN_ID);
    const phase = live.phases[0]!;
    const recorded = afterwards.phases[0]!;
    for (const figure of ['status', 'attempts', 'gate', 'tokens', 'fanOut', 'rounds', 'escalations'] as const)
      expect(recorded[figure], figure).toEqual(phase[figure]);
    expect(recorded.costUsd).toBeCloseTo(phase.costUsd, 12);
    for (const seen of itemsOf(live)) {
      const kept = item(afterwards, seen.id);
      const { costUsd, mergeTurnCostUsd, attemptHistory, ...rest } = seen;
      const {
        costUsd: keptCost,
        mergeTurnCostUsd: keptMerge,
        attemptHistory: keptAttempts,
        ...keptRest
      } = kept;
      expect(keptRest, seen.id).toEqual(rest);
      expect(keptCost, seen.id).toBeCloseTo(costUsd, 12);
      expect(keptMerge, seen.id).toBeCloseTo(mergeTurnCostUsd, 12);
      expect(keptAttempts.map((a) => [a.attempt, a.model, a.gate, a.tokens])).toEqual(
        attemptHistory.map((a) => [a.attempt, a.model, a.gate, a.tokens]),
      );
    }
  });

  it('says why a phase configured to fan out ran as a single agent', () => {
    const skipped = summarizeRun(
      [
        events[0]!,
        events[1]!,
        {
          runId: RUN_ID,
          at: events[1]!.at,
          type: 'fan-out-skipped',
          phaseId: 'implementation',
          reason: 'the plan lists one item',
        },
      ],
      RUN_ID,
    );
    expect(skipped.phases[0]!.fanOut).toMatchObject({
      status: 'skipped',
      skippedReason: 'the plan lists one item',
    });
    expect(skipped.phases[0]!.items).toBeUndefined();
  });
});

describe('the views of a fanned-out phase', () => {
  it('the live table: one row per item under its phase, with its turn while it runs', () => {
    const running = summarizeRun(
      events.slice(
        0,
        events.findIndex((event) => event.type === 'model-call-end'),
      ),
      RUN_ID,
    );
    const table = stripVTControlCharacters(phaseTable(running, Date.parse(events[3]!.at)));
    const rows = table.split('\n');
    const at = rows.findIndex((row) => /implementation\s/.test(row));
    expect(rows[at + 1]).toMatch(/↳ api\s+running, turn 1\s+p:small\s+1\s.*\$0\.00 \/ \$0\.10/);
    expect(rows[at + 2]).toMatch(/↳ ui\s+running\s+p:small/);
    expect(rows[at + 3]).toMatch(/↳ docs\s+running\s+p:small/);
    const done = stripVTControlCharacters(phaseTable(afterwards));
    const ui = item(afterwards, 'ui');
    expect(done).toMatch(
      new RegExp(
        `↳ ui\\s+passed\\s+p:large\\s+2\\s.*${asPattern(costText(ui.costUsd, ui.costLimitUsd))}\\s+${asPattern(gateText(ui.gate))}`,
      ),
    );
  });

  it('the plain lines: each lane named, item starts and ends, each merge', () => {
    const lines: string[] = [];
    const renderer = plainRenderer((line) => lines.push(line));
    for (const event of events) renderer.onEvent(event);
    renderer.close();
    const log = lines.join('');
    expect(log).toMatch(
      /implementation: fans out over 3 items \(api, ui, docs\), 3 at a time, from aaaaaaaaaaaa/,
    );
    expect(log).toMatch(/implementation \[api\]: started from aaaaaaaaaaaa/);
    expect(log).toMatch(/implementation \[ui\]: escalate — gate failed/);
    expect(log).toMatch(
      /implementation \[ui\]: passed after 2 attempts on p:large, \$0\.0520, gate 0\.95 \/ 0\.80/,
    );
    expect(log).toMatch(/implementation \[merge of ui\]: turn 1 tokens/);
    expect(log).toMatch(
      /implementation: merge 2 \(ui\): conflict \(src\/app\.ts\) resolved by a merge turn, \$0\.02/,
    );
    expect(log).toMatch(/implementation: fan-out merged/);
    // A resumed run's finished item is read back from the journal: its end line says so, its calls stay quiet.
    const resumed: string[] = [];
    const again = plainRenderer((line) => resumed.push(line));
    for (const event of events) again.onEvent({ ...event, replayed: true });
    again.close();
    expect(resumed.join('')).toMatch(/implementation \[ui\]: \(from the journal\) passed after 2 attempts/);
    expect(resumed.join('')).not.toMatch(/turn 1 tokens/);
    expect(
      describeEvent({
        runId: RUN_ID,
        at: events[1]!.at,
        type: 'fan-out-skipped',
        phaseId: 'implementation',
        reason: 'no plan',
      }),
    ).toBe('implementation: runs as a single agent — no plan');
  });

  it('a fan-out an error ended: its status and why, with its worktrees kept, in the line and the summary', () => {
    const ended = events.map((event) =>
      event.type === 'fan-out-end'
        ? {
            ...event,
            status: 'interrupted' as const,
            mergedCommit: null,
            message: 'interrupted',
          }
        : event,
    );
    const end = ended.find((event) => event.type === 'fan-out-end')!;
    expect(describeEvent(end)).toMatch(
      /^implementation: fan-out interrupted \(worktrees kept for a resume\), \$[\d.]+, 14\.0s — interrupted$/,
    );
    const folded = summarizeRun(ended, RUN_ID).phases.find((phase) => phase.id === 'implementation');
    expect(folded?.fanOut).toMatchObject({
      status: 'interrupted',
      mergedCommit: null,
      message: 'interrupted',
    });
  });

  it('the report: items in Markdown and JSON, and one timeline lane per item in the HTML', async () => {
    const report = await buildReport(journal, (await journal.getRun(RUN_ID))!);
    const markdown = reportMarkdown(report);
    expect(markdown).toContain('## Work items');
    expect(markdown).toMatch(
      /\| implementation \| ui \| passed \| p:large \| 2 \| .* \| resolved \(src\/app\.ts\) by a merge turn, \$0\.02 \|/,
    );
    expect(markdown).toMatch(/ implementation \[ui\]: merge 2 \(ui\): conflict/);
    expect(markdown).toMatch(
      /\| implementation \[ui\] \| attempt 2 \| p:large \| 1\.5k\/0\/0\/300 \| \$0\.04 \|/,
    );
    const html = reportHtml(report);
    expect(html).toContain('>implementation [ui] a1</text>');
    const lanes = [...html.matchAll(/<g class="lane item" data-item="([^"]+)"/g)].map((match) => match[1]);
    expect(lanes).toEqual(['api', 'ui', 'docs']);
    expect(html.match(/<g class="lane phase"/g)).toHaveLength(1);
    expect(html).toContain(escapeHtml(itemLineText(item(afterwards, 'ui')).split(' · ').at(-1)!));
    expect(html).toContain(`${escapeHtml(laneFiguresText(item(afterwards, 'ui')))}</text>`);
    expect(laneFiguresText(item(afterwards, 'ui'))).toBe(
      '$0.0520 · gate 0.95 / 0.80 · resolved by a merge turn ($0.02)',
    );
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
  });

  it('the terminal report and status: a row per item under its phase, and each item in one line', async () => {
    const report = await printedLater(() => reportCommand(RUN_ID, { workspace: folder, format: 'terminal' }));
    expect(report).toMatch(/↳ ui\s+passed\s+p:large\s+2\s+1\s/);
    expect(report).toContain(
      `work items of fanned-out phases:\n  implementation ${itemLineText(item(afterwards, 'api'))}\n`,
    );
    expect(report).toContain(
      'ui: passed · p:large · $0.0520 / $0.10 · gate 0.95 / 0.80 · resolved (src/app.ts) by a merge turn, $0.02',
    );
    const status = await printedLater(() => statusCommand(RUN_ID, { workspace: folder }));
    expect(status).toMatch(
      /implementation\s+passed[^\n]*\n[^\n]*↳ api\s+passed[^\n]*\n[^\n]*↳ ui\s+passed[^\n]*\n[^\n]*↳ docs\s+passed/,
    );
  });

  it.skipIf(chromium === undefined && process.env.CI === undefined)(
    'the HTML report draws one lane per item in headless Chromium',
    async () => {
      expect(chromium, 'Debian chromium is needed (.ci/run installs it)').toBeDefined();
      const file = join(folder, 'report.html');
      writeFileSync(file, reportHtml(await buildReport(journal, (await journal.getRun(RUN_ID))!)));
      const dom = execFileSync(
        chromium!,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ].concat([`--user-data-dir=${join(folder, 'chromium-profile')}`, '--dump-dom', `file://${file}`]),
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
      );
      const lanes = [...dom.matchAll(/<g class="lane item" data-item="([^"]+)"[^>]*><text[^>]*>([^<]+)</g)];
      expect(lanes.map((lane) => [lane[1], lane[2]])).toEqual([
        ['api', '↳ api'],
        ['ui', '↳ ui'],
        ['docs', '↳ docs'],
      ]);
    },
    90_000,
  );
});

/** What a command printed on stdout, colours removed. */
async function printedLater(command: () => Promise<number>): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    expect(await command()).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return stripVTControlCharacters(chunks.join(''));
}

function asPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&');
}
