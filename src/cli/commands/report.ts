/** `phasewise report <run>`: what a run cost, where the money went, whether quality held — from the journal. */
import pc from 'picocolors';
import { UsageError } from '../../errors/index.js';
import {
  attemptsText,
  buildReport,
  costText,
  cutOffLines,
  durationText,
  gateText,
  itemLabel,
  itemLineText,
  modelsText,
  type RunReport,
  reportHtml,
  reportJson,
  reportMarkdown,
  retriesText,
  stoppedAttempts,
  TOKENS_HEADER,
  tokensText,
  workspaceWarningLines,
} from '../../report/index.js';
import { duration, share, table, truncate, usd } from '../../util/format.js';
import { OutputPathError, writeOutputFile } from '../../util/write-output-file.js';
import { type JournalOptions, locateJournal, openJournalFor } from '../journal-choice.js';
import { fromRecords } from '../journal-records.js';
import type { WorkspaceOptions } from '../workspace.js';

export interface ReportOptions extends WorkspaceOptions, JournalOptions {
  format?: string;
  output?: string;
}

const formats = ['terminal', 'md', 'json', 'html'] as const;

export async function reportCommand(runId: string | undefined, options: ReportOptions): Promise<number> {
  const format = options.format ?? formatOfFile(options.output);
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`unknown report format "${format}"`, { hint: `use one of: ${formats.join(', ')}` });
  }
  const { workspace, settings } = locateJournal(options);
  const journal = await openJournalFor(workspace, settings, options, 'read');
  let report: RunReport;
  let text: string;
  try {
    const run = runId === undefined ? (await journal.listRuns())[0] : await journal.getRun(runId);
    if (run === undefined)
      throw new UsageError(runId === undefined ? 'no runs yet' : `no run ${runId}`, {
        hint: 'list runs with `phasewise runs`',
      });
    report = await fromRecords(journal, run.runId, () => buildReport(journal, run));
    text = await fromRecords(journal, run.runId, () => render(format, report));
  } finally {
    await journal.close();
  }
  if (options.output === undefined) process.stdout.write(text);
  else {
    writeOutput(options.output, text);
    process.stderr.write(`wrote ${options.output}\n`);
  }
  return 0;
}

/** `-o`: a regular file (or a link to one), replaced atomically; anything else is the user's mistake, exit 2. */
function writeOutput(path: string, text: string): void {
  try {
    writeOutputFile(path, text);
  } catch (error) {
    if (!(error instanceof OutputPathError)) throw error;
    throw new UsageError(`cannot write the report to ${error.message}`, {
      hint: '-o takes a regular file in an existing folder (a symbolic link to one is written through)',
    });
  }
}

function render(format: string, report: RunReport): string {
  if (format === 'json') return reportJson(report);
  if (format === 'md') return reportMarkdown(report);
  return format === 'html' ? reportHtml(report) : terminal(report);
}

function terminal(report: RunReport): string {
  const head = [
    `run ${pc.bold(report.runId)}  ${report.status}${report.exitCode === null ? '' : ` (exit ${report.exitCode})`}`,
    `task: ${truncate(report.title, 100)}`,
    `spent ${usd(report.costUsd)} of ${usd(report.budgetUsd)}${report.durationMs === null ? '' : ` in ${duration(report.durationMs)}`} · ${TOKENS_HEADER} ${tokensText(report.tokens)} · ${share(report.cacheReadShare)} of the input from the prompt cache · retries ${retriesText(report.retries)}`,
    `on the top tier (${report.topTier.model}) the same usage would cost ${usd(report.topTier.costUsd)}` +
      (report.topTier.savedShare === null ? '' : `: ${share(report.topTier.savedShare)} saved`) +
      pc.dim(' (a re-pricing of recorded usage, not a re-run)'),
  ];
  const rows = report.phases.flatMap((phase) => [
    [
      phase.id,
      phase.status,
      modelsText(phase),
      attemptsText(phase),
      String(phase.escalations),
      tokensText(phase.tokens),
      retriesText(phase.retries),
      costText(phase.costUsd, phase.costLimitUsd),
      usd(phase.topTierCostUsd),
      gateText(phase.gate),
      durationText(phase.durationMs),
    ],
    ...(phase.items ?? []).map((item) => [
      itemLabel(item),
      item.status,
      item.model || '-',
      String(item.attempts),
      String(item.escalations),
      tokensText(item.tokens),
      '-',
      costText(item.costUsd, item.costLimitUsd),
      '-',
      gateText(item.gate),
      durationText(item.durationMs),
    ]),
  ]);
  const header = [
    'phase',
    'status',
    'model(s)',
    'att',
    'esc',
    TOKENS_HEADER,
    'retries',
    'cost / limit',
    'top tier',
    'gate',
    'time',
  ];
  const failing = report.phases.flatMap((phase) =>
    (phase.gate?.failing ?? []).map((check) => `  ${phase.id}: ${check.name} — ${check.message}`),
  );
  const stopped = stoppedAttempts(report.phases).map((line) => `  ${line}`);
  const cutOff = cutOffLines(report);
  const items = report.phases.flatMap((phase) => [
    ...(phase.fanOut?.skippedReason == null
      ? []
      : [`  ${phase.id} ran as a single agent: ${phase.fanOut.skippedReason}`]),
    ...(phase.items ?? []).map((item) => `  ${phase.id} ${itemLineText(item)}`),
  ]);
  const restored = workspaceWarningLines(report);
  return [
    `${head.join('\n')}\n\n${table([header.map((cell) => pc.dim(cell)), ...rows])}\n`,
    failing.length === 0
      ? ''
      : `\nchecks that did not pass (the gate may still have):\n${failing.join('\n')}\n`,
    stopped.length === 0 ? '' : `\nattempts that stopped without answering:\n${stopped.join('\n')}\n`,
    items.length === 0 ? '' : `\nwork items of fanned-out phases:\n${items.join('\n')}\n`,
    cutOff.length === 0 ? '' : `\n${cutOff.join('\n')}\n`,
    restored.length === 0 ? '' : `\n${restored.join('\n')}\n`,
  ].join('');
}

function formatOfFile(output: string | undefined): string {
  const extension = output?.split('.').pop()?.toLowerCase();
  return extension === 'json'
    ? 'json'
    : extension === 'md'
      ? 'md'
      : extension === 'html'
        ? 'html'
        : 'terminal';
}
