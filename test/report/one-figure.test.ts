/**
 * One figure, one value, in every view: one recorded run (retry after a gate failure, an escalation, a review-loop
 * round, a rate-limit retry, an attempt stopped by its turn cap, a call that failed mid-stream after being billed)
 * rendered through the live table, the plain lines, `status` and `runs` (text and JSON) and the report (terminal,
 * Markdown, JSON, HTML). Every view must show each phase's figures as the journal's run summary has them, and the
 * summary itself is checked against the journal's step records.
 */
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ledgerPhase } from '../../src/budget/ledger.js';
import { reportCommand } from '../../src/cli/commands/report.js';
import { runsCommand, statusCommand } from '../../src/cli/commands/status.js';
import { plainRenderer } from '../../src/cli/render/plain-renderer.js';
import { ttyRenderer } from '../../src/cli/render/tty-renderer.js';
import type { TokenCounts } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import { summarizeJournal } from '../../src/report/journal-summary.js';
import { summarizeRun } from '../../src/report/run-summary.js';
import {
  attemptsText,
  costText,
  durationText,
  gateText,
  modelsText,
  retriesText,
  tokensText,
} from '../../src/report/summary-text.js';
import type { PhaseSummary, RunSummary } from '../../src/report/summary-types.js';
import { roundUsd, share } from '../../src/util/format.js';
import { type RecordedRun, recordRun } from './one-figure-run.js';

let recorded: RecordedRun;
let summary: RunSummary;
let stepTokens: Map<string, TokenCounts>;

beforeAll(async () => {
  recorded = await recordRun();
  const journal = openJournal({ workspace: recorded.workspace });
  try {
    const run = (await journal.getRun(recorded.runId))!;
    summary = await summarizeJournal(journal, run);
    stepTokens = new Map();
    for (const step of await journal.listSteps(run.runId)) {
      const usage = (step.result as { usage?: TokenCounts } | null)?.usage;
      if (step.phaseId === null || usage === undefined) continue;
      const id = ledgerPhase(step.phaseId);
      const sum = stepTokens.get(id) ?? {
        inputNoCache: 0,
        cacheRead: 0,
        cacheWrite: 0,
        output: 0,
        reasoning: 0,
      };
      for (const kind of Object.keys(sum) as Array<keyof TokenCounts>) sum[kind] += usage[kind] ?? 0;
      stepTokens.set(id, sum);
    }
  } finally {
    await journal.close();
  }
}, 180_000);

afterEach(() => vi.restoreAllMocks());

const phase = (id: string): PhaseSummary => summary.phases.find((entry) => entry.id === id)!;

/** What a command printed on stdout, colours removed. */
async function printedLater(command: () => Promise<number>): Promise<string> {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  const code = await command();
  vi.restoreAllMocks();
  expect(code).toBe(0);
  return stripVTControlCharacters(chunks.join(''));
}

/** The cells of the text-table row that starts with `id` (after the status mark of the live table). */
function rowOf(text: string, id: string): string[] {
  const line = text
    .split('\n')
    .map((candidate) => candidate.replace(/^[·▶✓✗■⏱$‖-]\s+/u, ''))
    .find((candidate) => candidate.startsWith(`${id} `));
  expect(line, `a row for ${id} in:\n${text}`).toBeDefined();
  return line!.split(/\s{2,}/);
}

/** Each phase's figures as every text view must show them. */
function cells(entry: PhaseSummary): string[] {
  return [
    modelsText(entry),
    attemptsText(entry),
    tokensText(entry.tokens),
    retriesText(entry.retries),
    costText(entry.costUsd, entry.costLimitUsd),
    gateText(entry.gate),
    durationText(entry.durationMs),
  ];
}

describe('the run summary, against the journal', () => {
  it('has the story of the run', () => {
    expect(summary.status).toBe('failed');
    expect(phase('planning')).toMatchObject({ attempts: 2, escalations: 0 });
    const stop = recorded.madeUpStop ? 'max-turns' : 'answered';
    expect(phase('planning').attemptHistory.map((attempt) => attempt.stopReason)).toEqual([stop, 'answered']);
    const implementation = phase('implementation');
    // Its first round fanned out: the escalation is the `tokens` item's, inside the phase.
    expect(implementation.models).toEqual(['demo:claude-sonnet-4-5']);
    expect(implementation).toMatchObject({ attempts: 2, escalations: 0, status: 'passed' });
    expect(implementation.rounds.map((round) => round.attempts)).toEqual([1, 1]);
    const tokens = implementation.items?.find((item) => item.id === 'tokens');
    expect(tokens).toMatchObject({
      attempts: 2,
      escalations: 1,
      model: 'demo:claude-opus-4-5',
      status: 'passed',
    });
    expect(attemptsText(phase('review'))).toBe('2 in 2 rounds');
    expect(phase('review').attemptHistory.map((attempt) => attempt.gate?.passed)).toEqual([false, true]);
    expect(recorded.rateLimited).toBe(1);
    expect(phase('research').retries).toEqual({ count: 1, waitMs: 1_000 });
    expect(summary.retries).toEqual({ count: 1, waitMs: 1_000 });
    expect(phase('notes').status).toBe('failed');
  });

  it('counts the tokens of every billed call, the one that failed mid-stream included', () => {
    for (const entry of summary.phases) expect(entry.tokens, entry.id).toEqual(stepTokens.get(entry.id));
    expect(phase('notes').tokens.inputNoCache + phase('notes').tokens.cacheWrite).toBeGreaterThan(0);
    expect(phase('notes').costUsd).toBeGreaterThan(0);
    // A phase's attempts hold all it spent; a fanned-out one's items (and their merge turns) hold the rest.
    const output = (attempts: ReadonlyArray<{ tokens: TokenCounts }>) =>
      attempts.reduce((sum, attempt) => sum + attempt.tokens.output, 0);
    expect(output(phase('review').attemptHistory)).toBe(phase('review').tokens.output);
    const implementation = phase('implementation');
    const items = implementation.items ?? [];
    expect(items).toHaveLength(3);
    const inItems = items.reduce((sum, item) => sum + output(item.attemptHistory), 0);
    expect(output(implementation.attemptHistory) + inItems).toBeLessThanOrEqual(implementation.tokens.output);
    expect(output(implementation.attemptHistory) + inItems).toBeGreaterThan(
      implementation.tokens.output * 0.9,
    );
  });

  it('is what the live fold of the same events says, but for what only step records hold', () => {
    const live = summarizeRun(recorded.events, recorded.runId);
    for (const entry of summary.phases) {
      const seen = live.phases.find((candidate) => candidate.id === entry.id)!;
      for (const figure of [
        'status',
        'models',
        'attempts',
        'rounds',
        'gate',
        'retries',
        'escalations',
      ] as const)
        expect(seen[figure], `${entry.id} ${figure}`).toEqual(entry[figure]);
      expect(seen.attemptHistory.map((a) => [a.stopReason, a.gate, a.durationMs])).toEqual(
        entry.attemptHistory.map((a) => [a.stopReason, a.gate, a.durationMs]),
      );
      // No event carries the tokens of a call that failed after being billed: only the journal knows them.
      if (entry.id !== 'notes') expect(seen.tokens, entry.id).toEqual(entry.tokens);
    }
    expect(live.phases.find((entry) => entry.id === 'notes')!.tokens).not.toEqual(phase('notes').tokens);
  });
});

describe('every view shows the same figures', () => {
  it('the live table, whose last frame comes from the journal', async () => {
    let output = '';
    const stream = Object.assign(Object.create(process.stderr), {
      isTTY: true,
      columns: 400,
      rows: 60,
      write: (chunk: string) => {
        output += chunk;
        return true;
      },
    }) as NodeJS.WriteStream;
    const journal = openJournal({ workspace: recorded.workspace });
    try {
      const renderer = ttyRenderer(stream, {
        finalSummary: async (runId) => await summarizeJournal(journal, (await journal.getRun(runId))!),
      });
      for (const event of recorded.events) renderer.onEvent(event);
      output = '';
      await renderer.close();
    } finally {
      await journal.close();
    }
    const table = stripVTControlCharacters(output);
    for (const entry of summary.phases)
      expect(rowOf(table, entry.id).slice(2), entry.id).toEqual(cells(entry));
  });

  it('the plain lines: a phase-end line names its round and never contradicts its gate', () => {
    const lines: string[] = [];
    const renderer = plainRenderer((line) => lines.push(line));
    for (const event of recorded.events) renderer.onEvent(event);
    renderer.close();
    const log = lines.join('');
    expect(log).toMatch(/review \(round 2\): passed after 1 attempt — 2 in all/);
    expect(log).toMatch(/implementation \(round 2\): passed after 1 attempt — 2 in all/);
    expect(log).toMatch(/review: ended without passing its gate \(\d\.\d\d \/ 0\.92\) after 1 attempt,/);
    if (recorded.madeUpStop) expect(log).toMatch(/planning: attempt 1 stopped — the turn cap was reached/);
    expect(log).not.toMatch(/attempt\(s\)|# Task/);
    expect(log).toMatch(
      /started: 6 phases, budget \$1\.50, task "move auth-service from server-side sessions/,
    );
  });

  it('status, as text and as JSON', async () => {
    const options = { workspace: recorded.workspace };
    const text = await printedLater(() => statusCommand(recorded.runId, options));
    for (const entry of summary.phases)
      expect(rowOf(text, entry.id).slice(2), entry.id).toEqual(cells(entry));
    expect(text).toContain('task: move auth-service from server-side sessions to JWT access tokens\n');
    if (recorded.madeUpStop)
      expect(text).toContain('planning attempt 1: max-turns: the turn cap was reached');
    const json = JSON.parse(
      await printedLater(() => statusCommand(recorded.runId, { ...options, json: true })),
    );
    expect(json.costUsd).toBe(roundUsd(summary.costUsd));
    expect(json.title).toBe(summary.title);
    for (const entry of summary.phases) {
      const shown = json.phases.find((candidate: PhaseSummary) => candidate.id === entry.id);
      expect(shown, entry.id).toMatchObject({
        status: entry.status,
        models: entry.models,
        attempts: entry.attempts,
        tokens: entry.tokens,
        costUsd: roundUsd(entry.costUsd),
        gate: entry.gate,
        retries: entry.retries,
        durationMs: entry.durationMs,
      });
    }
  });

  it('runs, as text and as JSON', async () => {
    const options = { workspace: recorded.workspace };
    const text = await printedLater(() => runsCommand(options));
    expect(text).toContain('  move auth-service from server-side sessions to JW…');
    expect(text).not.toContain('# Task');
    const [line] = (await printedLater(() => runsCommand({ ...options, json: true }))).trim().split('\n');
    const run = JSON.parse(line!);
    expect(run).toMatchObject({ runId: recorded.runId, status: summary.status, title: summary.title });
    expect(run.costUsd).toBe(roundUsd(summary.costUsd));
  });

  it('the report: terminal, Markdown, JSON and HTML', async () => {
    const report = (format: string) =>
      printedLater(() => reportCommand(recorded.runId, { workspace: recorded.workspace, format }));
    const terminal = await report('terminal');
    const markdown = await report('md');
    const html = await report('html');
    const json = JSON.parse(await report('json'));
    for (const entry of summary.phases) {
      const row = rowOf(terminal, entry.id);
      expect([row[2], row[3], row[5], row[6], row[7], row[9], row[10]], entry.id).toEqual(cells(entry));
      const md = markdown.split('\n').find((line) => line.startsWith(`| ${entry.id} | ${entry.status} |`))!;
      const mdCells = md.replace(/ \|$/, '').split(' | ');
      // Markdown has one column more after the tokens: the share read from the prompt cache.
      expect([mdCells[2], mdCells[3], mdCells[5], mdCells[7], mdCells[8], mdCells[10], mdCells[11]]).toEqual(
        cells(entry),
      );
      expect(mdCells[6]).toBe(
        share(json.phases.find((phase: { id: string }) => phase.id === entry.id).cacheReadShare),
      );
      const htmlRow = html.match(new RegExp(`<tr><td>${entry.id}</td>.*?</tr>`))![0];
      const htmlCells = [...htmlRow.matchAll(/<td>(.*?)<\/td>/g)].map((match) =>
        match[1]!.replaceAll('&#62;', '>'),
      );
      expect([
        htmlCells[2],
        htmlCells[3],
        htmlCells[5],
        htmlCells[6],
        htmlCells[7],
        htmlCells[8],
        htmlCells[9],
      ]).toEqual(cells(entry).map((cell) => cell.replace('→', '→')));
      const shown = json.phases.find((candidate: PhaseSummary) => candidate.id === entry.id);
      expect(shown).toMatchObject({
        attempts: entry.attempts,
        tokens: entry.tokens,
        costUsd: roundUsd(entry.costUsd),
        gate: entry.gate,
        retries: entry.retries,
        models: entry.models,
      });
    }
    expect(json.costUsd).toBe(roundUsd(summary.costUsd));
    // Every serialized amount is rounded: no `0.5212456999999999`.
    for (const match of (await report('json')).matchAll(/"\w*Usd": (-?[\d.e-]+)/g))
      expect(match[1]!.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(6);
    for (const text of [terminal, markdown, html]) expect(text).not.toContain('# Task');
    // The timeline words each phase's end as the plain lines do, so it never contradicts the gate above it.
    expect(markdown).toMatch(
      / review: ended without passing its gate \(\d\.\d\d \/ 0\.92\) after 1 attempt\n/,
    );
    expect(markdown).toMatch(/ review@2: passed after 1 attempt — 2 in all\n/);
    // The gate chart has a bar for every attempt of every round, each with its tokens and time.
    const bars = summary.phases.reduce(
      (sum, entry) =>
        sum +
        Math.max(1, entry.attemptHistory.length) +
        (entry.items ?? []).reduce((inItems, item) => inItems + item.attemptHistory.length, 0),
      0,
    );
    const gateChart = html
      .split('<h2>Gate score against threshold, every attempt</h2>')[1]!
      .split('</figure>')[0]!;
    expect(gateChart.match(/<rect /g)).toHaveLength(bars);
    expect(gateChart).toContain('review round 2 a1');
    if (recorded.madeUpStop) {
      expect(markdown).toContain('| max-turns: the turn cap was reached |');
      expect(terminal).toContain('planning attempt 1: max-turns: the turn cap was reached');
      expect(html).toContain('planning attempt 1: max-turns: the turn cap was reached');
    }
  });
});
