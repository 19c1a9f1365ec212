/**
 * A replay checks what it reads: a recorded result of another shape than its step's schema is a JournalError
 * naming the run, the key and the field, and the step is not executed in its place. Real SQLite journals; the
 * malformed records are written through the journal's own API, as a journal edited by hand or written by another
 * build would hold them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelStepSchema } from '../../src/agent/model-step.js';
import { JournalError } from '../../src/errors/index.js';
import {
  type Journal,
  journalSteps,
  openJournal,
  recordedResult,
  type StepKind,
  stepAddress,
  stepKey,
} from '../../src/journal/index.js';
import { recordReview } from '../../src/orchestrator/review.js';
import { escalationDecisionSchema, recordedGateSchema } from '../../src/phase/step-schemas.js';
import { buildReport } from '../../src/report/build-report.js';
import { toolResultSchema } from '../../src/tools/step-schemas.js';
import { createRedactor } from '../../src/util/redact.js';
import { sampleRun } from './contract/samples.js';
import { type TempWorkspace, tempWorkspace } from './support/temp-workspace.js';

const clock = { now: () => Date.parse('2026-12-05T10:00:00.000Z') };
const at = '2026-12-05T10:00:00.000Z';

describe('a replay checks what it reads', () => {
  let workspace: TempWorkspace;
  let journal: Journal;
  beforeEach(async () => {
    workspace = await tempWorkspace();
    journal = openJournal({ workspace: workspace.path });
    await journal.createRun(sampleRun('run-7'));
  });
  afterEach(async () => {
    await journal.close();
    await workspace.remove();
  });

  const record = async (key: string, kind: StepKind, result: unknown) =>
    await journal.recordStep({
      runId: 'run-7',
      key,
      phaseId: 'research',
      kind,
      result,
      costUsd: 0,
      startedAt: at,
      endedAt: at,
    });

  it('refuses a recorded decision of another shape, naming the run, the key and the field, and executes nothing', async () => {
    const address = stepAddress({ phaseId: 'research', attempt: 2, step: 'decision' });
    await record(address.key, address.kind, {
      action: 'halt',
      ladderIndex: '1',
      tierIndex: 0,
      reason: 'why',
    });
    let executed = false;
    const steps = journalSteps(journal, 'run-7', clock);
    const replay = steps.step(
      { ...address, phaseId: 'research', schema: escalationDecisionSchema },
      async () => {
        executed = true;
        return { action: 'retry' as const, ladderIndex: 0, tierIndex: 0, reason: '' };
      },
    );
    const error = await replay.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(JournalError);
    const message = (error as JournalError).message;
    expect(message).toContain(journal.location);
    expect(message).toContain('run run-7');
    expect(message).toContain('step research/a2/decision');
    expect(message).toContain('field ladderIndex');
    expect((error as JournalError).runId).toBe('run-7');
    expect((error as JournalError).exitCode).toBe(2);
    expect(executed).toBe(false);
  });

  it('names the path of a field deep inside the record', async () => {
    const key = stepKey({ phaseId: 'research', attempt: 1, turn: 2, step: 'model' });
    const answer = {
      content: [
        { type: 'text', text: 'done' },
        { type: 'tool-call', toolCallId: 'c1', toolName: 7, input: {} },
      ],
      usage: { inputNoCache: 10, cacheRead: 0, cacheWrite: 0, output: 5, reasoning: 0 },
      finishReason: { unified: 'stop', raw: 'end_turn' },
      modelId: 'm',
      costUsd: 0.01,
      priceTableVersion: 'v',
      durationMs: 3,
    };
    await record(key, 'model', answer);
    const steps = journalSteps(journal, 'run-7', clock);
    await expect(steps.recorded(key, modelStepSchema)).rejects.toThrow(JournalError);
    await expect(steps.recorded(key, modelStepSchema)).rejects.toThrow(
      /run run-7, step research\/a1\/t2\/model: field content\.1\.toolName/,
    );
    // The same record with the field as this build writes it replays.
    const fixed = { ...answer, content: [answer.content[0], { ...answer.content[1], toolName: 'read' }] };
    const other = stepKey({ phaseId: 'research', attempt: 1, turn: 3, step: 'model' });
    await record(other, 'model', fixed);
    expect(await steps.recorded(other, modelStepSchema)).toEqual(fixed);
  });

  it('reads a step recorded under a kind this build does not know as a JournalError', async () => {
    const key = stepKey({ phaseId: 'research', attempt: 1, step: 'gate' });
    await record(key, 'verdict' as StepKind, { score: 1 });
    await expect(journal.getStep('run-7', key)).rejects.toThrow(JournalError);
    await expect(journal.listSteps('run-7')).rejects.toThrow(
      /run run-7, step research\/a1\/gate: field kind is `verdict`/,
    );
  });

  it('replays a result the redactor changed: a marker inside a string is still a string', async () => {
    const redactor = createRedactor({ env: {}, extraSecrets: ['hunter2-secret-value'] });
    const address = stepAddress({
      phaseId: 'research',
      attempt: 1,
      turn: 1,
      step: 'tool',
      index: 0,
      toolCallId: 'c1',
    });
    const options = { ...address, phaseId: 'research', schema: toolResultSchema };
    const first = journalSteps(journal, 'run-7', clock, redactor.redactDeep);
    const live = await first.step(options, async () => ({
      output: 'password=hunter2-secret-value',
      isError: false,
    }));
    expect(live.value.output).not.toContain('hunter2');
    const replayed = await journalSteps(journal, 'run-7', clock, redactor.redactDeep).step(
      options,
      async () => {
        throw new Error('a recorded step is never executed again');
      },
    );
    expect(replayed).toEqual({ value: live.value, replayed: true });
    expect(replayed.value.output).toContain('[REDACTED');
  });

  it('refuses to find a pending review in a decision of another shape', async () => {
    await journal.updateRun('run-7', { status: 'halted', updatedAt: at });
    const address = stepAddress({ phaseId: 'research', attempt: 1, step: 'decision' });
    await record(address.key, address.kind, { action: 'halt', reason: 42 });
    await expect(recordReview(journal, 'run-7', { action: 'approve', now: 0 })).rejects.toThrow(
      /run run-7, step research\/a1\/decision: field (ladderIndex|reason)/,
    );
  });

  it('reads the report from records checked the same way: a usage of another shape names the field', async () => {
    const address = stepAddress({ phaseId: 'research', attempt: 1, step: 'model', turn: 1 });
    await record(address.key, address.kind, { usage: { inputNoCache: 10, output: 'many' } });
    const run = (await journal.getRun('run-7'))!;
    await expect(buildReport(journal, run)).rejects.toThrow(JournalError);
    await expect(buildReport(journal, run)).rejects.toThrow(
      /run run-7, step research\/a1\/t1\/model: field usage\.output/,
    );
  });

  it('counts earlier gate failures and a verdict only from records of the gate and phase shapes', async () => {
    const gate = stepAddress({ phaseId: 'research', attempt: 1, step: 'gate' });
    await record(gate.key, gate.kind, { passed: 'no' });
    const steps = await journal.listSteps('run-7');
    expect(() => steps.map((step) => recordedResult(journal, step, recordedGateSchema).passed)).toThrow(
      /step research\/a1\/gate: field/,
    );
  });
});
