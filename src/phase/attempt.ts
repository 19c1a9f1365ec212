/**
 * One attempt at a phase: run by its model's runtime (the agent loop on a model, or a Claude Code session;
 * `runtimes.ts`), its output kept as an artifact, then the gate. Output
 * and gate result are journal steps, so a resumed run keeps the gate history and never re-scores.
 */
import { join } from 'node:path';
import type { AttemptContext } from '../agent/agent-context.js';
import type { AgentResult } from '../agent/run-agent.js';
import type { GateResult } from '../gate/gate.js';
import { stepAddress } from '../journal/step-keys.js';
import type { ChangeWindows } from '../tools/change-windows.js';
import { toolsFor } from '../tools/tool.js';
import type { WorkspaceSnapshot } from '../tools/workspace-snapshot.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { type AttemptEnd, attemptReportText, endOfError, endOfResult, turnCounter } from './attempt-end.js';
import { runAttemptGate } from './attempt-gate.js';
import { addRecordedWindows, attemptWindows, windowsRecord } from './attempt-windows.js';
import type { TierPosition } from './model-choice.js';
import type { PhaseServices } from './phase-services.js';
import type { PhaseSpec } from './phase-spec.js';
import { type PromptInput, promptParts, systemPrompt } from './prompt.js';
import { runtimeFor } from './runtimes.js';
import { attemptOutputSchema, attemptStartSchema } from './step-schemas.js';

export interface AttemptResult {
  agent: AgentResult;
  gate: GateResult;
  outputPath: string;
  model: string;
  /** Set when a fanned-out attempt left a merge in conflict: the phase halts for a person, whatever the gate. */
  halt: string | null;
}

export interface AttemptRequest {
  abortSignal: AbortSignal;
  attempt: number;
  position: TierPosition;
  /** The previous attempt's failed checks, on a retry or escalation. */
  feedback: PromptInput['feedback'];
  /** What the phase spent in earlier attempts. */
  priorPhaseCostUsd: number;
  /**
   * The workspace before the phase's first attempt: the `diff` check compares with it, so a change an earlier
   * attempt made (and was vetoed for) still counts against a later one. Taken while the first model call is
   * under way: every tool call, a Claude Code session, a fan-out's merged result and the gate wait for it.
   */
  before: Promise<WorkspaceSnapshot>;
  /** When the phase's own tools, sessions and gate commands ran: only changes made then are the phase's. */
  windows: ChangeWindows;
}

export async function runAttempt(
  spec: PhaseSpec,
  services: PhaseServices,
  request: AttemptRequest,
): Promise<AttemptResult> {
  const { abortSignal, attempt, position, feedback, priorPhaseCostUsd, before, windows } = request;
  const { phase, agent } = spec;
  const { steps } = services;
  const resolved = services.resolveModel(position.ref);
  // The start of an attempt is a step too: the tier it runs on is then durable, and a replayed start is known.
  const { replayed } = await steps.step(
    {
      ...stepAddress({ phaseId: phase.id, attempt, step: 'attempt-start' }),
      phaseId: phase.id,
      schema: attemptStartSchema,
    },
    async () => ({ tier: position.label, model: resolved.ref }),
  );
  services.emit({
    type: 'attempt-start',
    phaseId: phase.id,
    attempt,
    tier: position.label,
    model: resolved.ref,
    ...(replayed ? { replayed } : {}),
  });
  const attemptChanges = attemptWindows();
  const counter = turnCounter(attemptChanges.emit(services.emit));
  // What the runtime needs of the phase, and nothing more.
  const attemptContext: AttemptContext = {
    runId: spec.runId,
    phaseId: phase.id,
    attempt,
    price: resolved.price,
    steps,
    ledger: services.ledger,
    abortSignal,
    emit: counter.emit,
    clock: services.clock,
    workspace: spec.workflow.workspace,
    protectedFiles: spec.workflow.sandbox?.protectedFiles,
    priorPhaseCostUsd,
    toolsWaitFor: before,
    ...(spec.lane === undefined ? {} : { lane: spec.lane }),
    ...(services.redactor === undefined ? {} : { redactor: services.redactor }),
  };
  const system = systemPrompt(agent, agent.deliverables);
  const { context, instructions: prompt } = promptParts({
    agent,
    task: spec.task,
    workspace: spec.workflow.workspace,
    upstream: spec.upstream,
    ...(spec.part === undefined ? {} : { part: spec.part }),
    feedback,
    deliverables: agent.deliverables,
  });
  // How the attempt runs is its model's runtime's business (the tool loop, a Claude Code session).
  const runtime = runtimeFor(resolved);
  // A role's MCP tools start their servers: only for the tool loop (a Claude Code session runs its own tools).
  const roleTools =
    resolved.runtime === 'claude-code' || (agent.mcpTools ?? []).length === 0
      ? undefined
      : await services.roleTools?.(agent, abortSignal);
  const runAgentOfModel = () =>
    runtime.runAttempt(attemptContext, resolved, {
      system,
      context,
      prompt,
      permissions: agent.permissions,
      tools: attemptChanges.tools([...toolsFor(agent.permissions, services.tools), ...(roleTools ?? [])]),
      maxTurns: phase.maxTurns,
      maxOutputTokens: phase.maxOutputTokens,
      transcriptPath: join(spec.artifactDir, `attempt-${attempt}.claude-code.jsonl`),
      env: services.commandEnv ?? process.env,
      sandbox: spec.workflow.sandbox,
      changes: attemptChanges.windows,
    });
  // A fanned-out phase's first attempt is its work items side by side (`fan-out/`); later ones are one agent's.
  const { fanOut } = services;
  let halt: string | null = null;
  let agentResult: AgentResult;
  try {
    if (attempt === 1 && fanOut !== undefined) {
      await before;
      const result = await fanOut.run(spec, services, { abortSignal, changes: attemptChanges.windows });
      ({ halt, ...agentResult } = result);
    } else {
      // A Claude Code session runs its tools itself: it starts once the snapshot is taken.
      if (resolved.runtime === 'claude-code') await before;
      agentResult = await runAgentOfModel();
    }
  } catch (error) {
    // An agent that throws ends the attempt (and the phase): say why before the error goes up. Nothing is
    // recorded as a step, so a resume runs the attempt on; this event is journaled as what happened then.
    const reason = abortSignal.aborted ? abortSignal.reason : error;
    emitAttemptEnd(spec, services, attempt, endOfError(reason, counter.turns()));
    throw error;
  }
  const end = endOfResult(agentResult);
  // The attempt's result records how the agent stopped and when it could change the workspace. The event,
  // emitted after it, is marked replayed exactly when the step was (replay-tracker): a resume shows it again
  // without journaling it twice.
  const { value: output } = await steps.step(
    {
      ...stepAddress({ phaseId: phase.id, attempt, step: 'output' }),
      phaseId: phase.id,
      schema: attemptOutputSchema,
    },
    async () => {
      const path = join(spec.artifactDir, `attempt-${attempt}.md`);
      // The agent's own text (model answers are acted on unredacted): redacted like everything a run shows.
      const text = attemptReportText(agentResult.text, end);
      writeFileAtomic(path, services.redactor?.redact(text) ?? text);
      return { path, ...end, changeWindows: windowsRecord(attemptChanges.windows) };
    },
  );
  emitAttemptEnd(spec, services, attempt, end);
  // Replayed, the result gives back the first run's windows, which supersede what the replay saw.
  addRecordedWindows(windows, output.changeWindows ?? {});
  const gate = await runAttemptGate(spec, services, {
    attempt,
    abortSignal,
    agentResult,
    before: await before,
    windows,
  });
  services.emit({
    type: 'gate-end',
    phaseId: phase.id,
    attempt,
    score: gate.score,
    threshold: gate.threshold,
    passed: gate.passed,
    vetoed: gate.vetoed,
    checks: gate.checks,
  });
  return { agent: agentResult, gate, outputPath: output.path, model: resolved.ref, halt };
}

function emitAttemptEnd(spec: PhaseSpec, services: PhaseServices, attempt: number, end: AttemptEnd): void {
  services.emit({ type: 'attempt-end', phaseId: spec.phase.id, attempt, ...end });
}
