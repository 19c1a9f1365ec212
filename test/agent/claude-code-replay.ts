/**
 * Recorded Claude Code output replayed through the runtime's own code: `runClaudeCode` with an Agent SDK whose
 * `query` yields the recorded messages (test/fixtures/claude-code) instead of starting Claude Code, over a real
 * journal, ledger and price, in a run the report can be built from.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AttemptContext } from '../../src/agent/agent-context.js';
import { type ClaudeCodeRequest, runClaudeCode } from '../../src/agent/claude-code/run-claude-code.js';
import type { ClaudeAgentSdkQuery } from '../../src/agent/claude-code/sdk.js';
import { CostLedger } from '../../src/budget/ledger.js';
import { createCliModelResolver } from '../../src/cli/models.js';
import type { ResolvedWorkflow } from '../../src/config/types.js';
import type { EventInput } from '../../src/events/index.js';
import { journalSteps, openJournal } from '../../src/journal/index.js';
import type { Journal } from '../../src/journal/journal.js';
import type { SessionModel } from '../../src/provider/resolver.js';
import { buildReport, type RunReport } from '../../src/report/build-report.js';
import { systemClock } from '../../src/util/clock.js';
import { phase, testWorkflow } from '../support/workflow.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'claude-code');

export function recordedMessages(file: string): unknown[] {
  return readFileSync(join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** An SDK that answers every query with the recorded messages, in order. */
function replaySdk(messages: unknown[]): ClaudeAgentSdkQuery {
  async function* replay() {
    for (const message of messages) yield message;
  }
  return { query: (() => replay()) as unknown as ClaudeAgentSdkQuery['query'] };
}

export interface Replayed {
  costUsd: number;
  /** The journal's model steps of the session: key, cost and the recorded step. */
  charges: Array<{ key: string; costUsd: number; result: Record<string, unknown> }>;
  events: EventInput[];
  report: RunReport;
  /** Runs the attempt again on the same journal, as a resumed run would: the events it re-derives. */
  resume(): Promise<EventInput[]>;
}

const open: Journal[] = [];
afterEach(async () => {
  for (const journal of open.splice(0)) await journal.close();
});

/**
 * Replays `file` as one session of phase `implementation` on `cc:<model>` (the table's price).
 * @param edit changes the recorded messages first (a variant a test describes)
 */
export async function replaySession(
  file: string,
  model: string,
  edit: (messages: unknown[]) => unknown[] = (messages) => messages,
): Promise<Replayed> {
  const maxTurns = 40;
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-cc-replay-'));
  const workflow: ResolvedWorkflow = {
    ...testWorkflow({ workspace }),
    tiers: ['main'],
    tierModels: { main: `cc:${model}` },
    providers: { cc: { name: 'cc', kind: 'claude-code', pricing: {} } },
    phases: [phase('implementation', { model: { kind: 'tier', tier: 'main' }, maxTurns })],
  };
  const journal = openJournal({ workspace });
  open.push(journal);
  const runId = 'run-replay';
  const createdAt = new Date().toISOString();
  await journal.createRun({ runId, createdAt, task: 'replay', workspace, workflow, workflowHash: 'replay' });
  const resolved = createCliModelResolver(workflow)(`cc:${model}`);
  const events: EventInput[] = [];
  const context: AttemptContext = {
    runId,
    phaseId: 'implementation',
    attempt: 1,
    price: resolved.price,
    steps: journalSteps(journal, runId, systemClock),
    ledger: new CostLedger({ runUsd: 100, phaseUsd: { implementation: 100 } }),
    abortSignal: new AbortController().signal,
    emit: (event) => events.push(event),
    clock: systemClock,
    workspace,
    priorPhaseCostUsd: 0,
  };
  const request: ClaudeCodeRequest = {
    system: 'You are the implementation agent.',
    prompt: 'replay',
    permissions: ['read'],
    maxTurns,
    target: (resolved as SessionModel).session,
    transcriptPath: join(workspace, 'transcript.jsonl'),
    env: {},
  };
  const result = await runClaudeCode(context, request, async () => replaySdk(edit(recordedMessages(file))));
  const charges = (await journal.listSteps(runId))
    .filter((step) => step.kind === 'model')
    .map((step) => ({
      key: step.key,
      costUsd: step.costUsd,
      result: step.result as Record<string, unknown>,
    }));
  const resume = async () => {
    const replayed: EventInput[] = [];
    await runClaudeCode({ ...context, emit: (event) => replayed.push(event) }, request, async () => {
      throw new Error('a finished session is replayed from the journal, never run again');
    });
    return replayed;
  };
  return {
    costUsd: result.costUsd,
    charges,
    events,
    report: await buildReport(journal, (await journal.getRun(runId))!),
    resume,
  };
}
