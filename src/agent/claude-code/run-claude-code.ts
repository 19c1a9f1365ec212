/**
 * A phase attempt run as one Claude Code session (the `claude-code` runtime): the role prompt as the system
 * prompt, `cwd` the workspace, the role's tools only (each call checked against the workspace first), the turn
 * cap, and cancellation through the phase's AbortSignal. Claude Code runs its own loop, so the budget is held
 * from outside: each model response is charged to the ledger as it completes (once per response, however many
 * frames stream it) and journaled, the session is stopped when the ledger says so, and `maxBudgetUsd` is passed
 * as a backstop. The result message's totals settle what the responses did not show (auxiliary calls, output
 * the frames understated), at base rates: a long-context tier is a request's, never the session's.
 *
 * A session is journaled as a whole: a finished one is replayed on resume and never run again; one that was cut
 * off (a crash, a stop) keeps the responses it was charged for, and the attempt starts a fresh session, recorded
 * as a re-run of the one before.
 */
import { type AttemptScope, stepAddress, stepKey } from '../../journal/step-keys.js';
import type { AttemptContext } from '../agent-context.js';
import type { AgentResult } from '../run-agent.js';
import { bashSandboxApplies } from './bash-sandbox.js';
import { type ClaudeAgentSdkQuery, loadClaudeAgentSdk } from './sdk.js';
import { Session } from './session.js';
import { requireCommandSandbox } from './session-process.js';
import { agentResultOf, type ClaudeCodeRequest, emitResponse, type SessionEnd } from './session-records.js';
import { responseStepSchema, sessionEndSchema, sessionStartSchema } from './session-step-schemas.js';

export type { ClaudeCodeRequest } from './session-records.js';

/** @param loadSdk the Agent SDK; tests pass one that replays recorded Claude Code output */
export async function runClaudeCode(
  context: AttemptContext,
  request: ClaudeCodeRequest,
  loadSdk: () => Promise<ClaudeAgentSdkQuery> = loadClaudeAgentSdk,
): Promise<AgentResult> {
  const attempt: AttemptScope = { phaseId: context.phaseId, attempt: context.attempt };
  let session = 1;
  for (; await context.steps.has(stepKey({ ...attempt, session, step: 'session-start' })); session += 1) {
    const ended = await context.steps.recorded(
      stepKey({ ...attempt, session, step: 'session-end' }),
      sessionEndSchema,
    );
    if (ended !== undefined) {
      await replayEvents(context, attempt, ended);
      return agentResultOf(ended);
    }
  }
  const available = context.ledger.available(context.phaseId);
  if (available.usd <= 0) throw context.ledger.exhausted(context.phaseId, available.scope);
  if (request.permissions.includes('run') && !bashSandboxApplies(request.sandbox))
    requireCommandSandbox(request.env);
  const sdk = await loadSdk();
  await context.steps.step(
    {
      ...stepAddress({ ...attempt, session, step: 'session-start' }),
      phaseId: context.phaseId,
      schema: sessionStartSchema,
    },
    async () => ({
      runtime: 'claude-code',
      session,
      model: request.target.modelId,
      // A session before this one was cut off (a crash or a stop): what it spent stays charged; this is a re-run.
      rerunOf: session > 1 ? session - 1 : null,
    }),
  );
  return new Session(context, request, sdk, session).run();
}

/** A finished session's progress events again, from its recorded responses and settlement. */
async function replayEvents(
  context: AttemptContext,
  attempt: AttemptScope,
  ended: SessionEnd,
): Promise<void> {
  const session = { ...attempt, session: ended.session };
  for (let n = 1; n <= ended.responses; n += 1) {
    const step = await context.steps.recorded(
      stepKey({ ...session, step: 'session-response', response: n }),
      responseStepSchema,
    );
    if (step !== undefined) emitResponse(context, n, step, true);
  }
  for (const name of ended.settlements ?? []) {
    const step = await context.steps.recorded(
      stepKey({ ...session, step: 'session-settlement', name }),
      responseStepSchema,
    );
    if (step !== undefined) emitResponse(context, ended.responses, step, true);
  }
}
