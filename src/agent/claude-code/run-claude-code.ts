/**
 * A phase attempt run as one Claude Code session (the `claude-code` runtime): the role prompt as the system
 * prompt, `cwd` the workspace, the role's tools only (each call checked against the workspace first), the turn
 * cap, and cancellation through the phase's AbortSignal. Claude Code runs its own loop, so the budget is held
 * from outside: each model response is charged to the ledger as it completes (once per response, however many
 * frames stream it) and journaled, the session is stopped when the ledger says so, and `maxBudgetUsd` is passed
 * as a backstop. The result message's totals settle what the responses did not show (auxiliary calls).
 *
 * A session is journaled as a whole: a finished one is replayed on resume and never run again; one that was cut
 * off (a crash, a stop) keeps the responses it was charged for, and the attempt starts a fresh session, recorded
 * as a re-run of the one before.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { costOfUsage } from '../../budget/cost.js';
import { PRICE_TABLE_VERSION } from '../../budget/price-table.js';
import type { Permission } from '../../config/types.js';
import { BudgetExceededError, isPhasewiseError, UsageError } from '../../errors/index.js';
import type { TokenCounts } from '../../events/index.js';
import type { ModelUsage } from '../../provider/model.js';
import { ProviderCallError } from '../../provider/provider-call-error.js';
import type { ClaudeCodeTarget } from '../../provider/resolver.js';
import { resolveWorkspaceRoot } from '../../tools/path-guard.js';
import type { AgentContext } from '../agent-context.js';
import type { AgentResult } from '../run-agent.js';
import type { StopReason } from '../stop-conditions.js';
import { type ClaudeAgentSdk, loadClaudeAgentSdk } from './sdk.js';
import { claudeCodeTools, refusalOf } from './tool-guard.js';
import {
  type AnthropicUsage,
  addUsage,
  isEmptyUsage,
  ResponseUsage,
  type SessionModelUsage,
  usageBeyond,
  usageOfModelTotal,
  usageOfResponse,
} from './usage.js';

export interface ClaudeCodeRequest {
  system: string;
  prompt: string;
  permissions: readonly Permission[];
  maxTurns: number;
  target: ClaudeCodeTarget;
  /** The session's transcript (every SDK message, redacted, one JSON line each); `-s<N>` is added per session. */
  transcriptPath: string;
  /** The environment the session starts from (the CLI's, without configured key variables). */
  env: Record<string, string | undefined>;
}

/** What a finished session leaves in the journal; a resumed run returns it without starting Claude Code. */
interface SessionEnd extends AgentResult {
  session: number;
  sessionId: string | null;
  /** The result message's subtype (`success`, `error_max_turns`). */
  subtype: string;
  /** Claude Code's own estimate of the session's cost, for comparison; the ledger uses phasewise's prices. */
  claudeCodeCostUsd: number;
  responses: number;
  transcript: string;
}

interface ResponseStep {
  usage: ModelUsage;
  modelId: string;
  responseId: string;
  costUsd: number;
  priceTableVersion: string;
}

const NO_TOKENS = (): TokenCounts => ({
  inputNoCache: 0,
  cacheRead: 0,
  cacheWrite: 0,
  output: 0,
  reasoning: 0,
});

export async function runClaudeCode(context: AgentContext, request: ClaudeCodeRequest): Promise<AgentResult> {
  const base = `${context.phaseId}/a${context.attempt}/claude-code`;
  let session = 1;
  for (; context.steps.recorded(`${base}/s${session}/start`) !== undefined; session += 1) {
    const ended = context.steps.recorded<SessionEnd>(`${base}/s${session}/end`);
    if (ended !== undefined) {
      replayEvents(context, base, ended);
      return agentResultOf(ended);
    }
  }
  const available = context.ledger.available(context.phaseId);
  if (available.usd <= 0) throw context.ledger.exhausted(context.phaseId, available.scope);
  if (request.permissions.includes('run')) requireCommandSandbox(request.env);
  const sdk = await loadClaudeAgentSdk();
  await context.steps.step(
    { key: `${base}/s${session}/start`, phaseId: context.phaseId, kind: 'session' },
    async () => ({
      runtime: 'claude-code',
      session,
      model: request.target.modelId,
      // A session before this one was cut off (a crash or a stop): what it spent stays charged; this is a re-run.
      rerunOf: session > 1 ? session - 1 : null,
    }),
  );
  return new Session(context, request, sdk, base, session).run();
}

class Session {
  private readonly usage = new ResponseUsage();
  private readonly tokens = NO_TOKENS();
  private costUsd = 0;
  private responses = 0;
  private lastText = '';
  /** The response `lastText` belongs to. */
  private textOf: string | undefined;
  private sessionId: string | null = null;
  private readonly controller = new AbortController();
  /** The end of Claude Code's stderr, for the message when it fails. */
  private stderrTail = '';
  /** What the phase and run could still spend when the session started: Claude Code's own backstop. */
  private readonly maxBudgetUsd: number;
  private stoppedBy: unknown;
  private readonly transcript: string;
  /** The response being streamed, charged when the next message shows it is complete. */
  private pending: { id: string; model: string; usage: ModelUsage } | undefined;

  constructor(
    private readonly context: AgentContext,
    private readonly request: ClaudeCodeRequest,
    private readonly sdk: ClaudeAgentSdk,
    private readonly base: string,
    private readonly session: number,
  ) {
    this.maxBudgetUsd = context.ledger.available(context.phaseId).usd;
    this.transcript = request.transcriptPath.replace(/(\.jsonl)?$/, `-s${session}.jsonl`);
  }

  async run(): Promise<AgentResult> {
    const { context, request } = this;
    const allowed = claudeCodeTools(request.permissions);
    const workspace = { path: context.workspace, root: await resolveWorkspaceRoot(context.workspace) };
    const onAbort = () => this.controller.abort(context.abortSignal.reason);
    if (context.abortSignal.aborted) onAbort();
    context.abortSignal.addEventListener('abort', onAbort, { once: true });
    mkdirSync(dirname(this.transcript), { recursive: true });
    let result: Record<string, unknown> | undefined;
    try {
      const messages = this.sdk.query({
        // Like every API prompt: no secret reaches the model (model-turn.ts redacts the same way).
        prompt: context.redactor === undefined ? request.prompt : context.redactor.redact(request.prompt),
        options: {
          model: request.target.modelId,
          cwd: context.workspace,
          systemPrompt:
            context.redactor === undefined ? request.system : context.redactor.redact(request.system),
          tools: allowed,
          allowedTools: allowed,
          // Anything not allowed above is refused without asking; the hook below checks every call first.
          permissionMode: 'dontAsk',
          // No user, project or local settings, and no CLAUDE.md: repository text is data, never instructions.
          settingSources: [],
          maxTurns: request.maxTurns,
          maxBudgetUsd: this.maxBudgetUsd,
          abortController: this.controller,
          persistSession: false,
          // Stream events carry each response's final usage (message_delta); frames alone do not.
          includePartialMessages: true,
          env: sessionEnv(request),
          spawnClaudeCodeProcess: (spawnOptions) => this.spawn(spawnOptions),
          hooks: {
            PreToolUse: [
              {
                hooks: [
                  async (input) => {
                    const call = input as { tool_name?: string; tool_input?: unknown };
                    const reason = await refusalOf(
                      { tool: call.tool_name ?? '', input: call.tool_input },
                      allowed,
                      workspace,
                    );
                    return reason === undefined
                      ? { continue: true }
                      : {
                          hookSpecificOutput: {
                            hookEventName: 'PreToolUse',
                            permissionDecision: 'deny',
                            permissionDecisionReason: `phasewise: ${reason}`,
                          },
                        };
                  },
                ],
              },
            ],
          },
        },
      });
      for await (const message of messages) {
        const type = (message as { type: string }).type;
        if (type === 'stream_event') {
          await this.onStreamEvent(message as StreamFrame);
          continue;
        }
        this.record(message);
        if (type === 'assistant') await this.onAssistant(message as AssistantFrame);
        else await this.flush();
        if (type === 'system' && (message as { subtype?: string }).subtype === 'init')
          this.sessionId = (message as { session_id?: string }).session_id ?? null;
        if (type === 'user') this.onToolResults(message as UserFrame);
        if (type === 'result') result = message as Record<string, unknown>;
      }
      await this.flush();
    } catch (error) {
      await this.flush().catch(() => {});
      // The SDK throws after an error result (the turn cap, say); the result itself says what happened.
      if (result === undefined || this.stoppedBy !== undefined || context.abortSignal.aborted)
        throw this.failure(error);
    } finally {
      context.abortSignal.removeEventListener('abort', onAbort);
    }
    if (this.stoppedBy !== undefined) throw this.stoppedBy;
    if (result === undefined) throw this.failure(new Error('Claude Code ended without a result'));
    await this.settle(result);
    return this.finish(result);
  }

  /**
   * Claude Code as a child that dies with phasewise: on Linux, `setpriv --pdeathsig KILL` makes the kernel kill
   * it when this process dies, even by SIGKILL, so no orphaned session goes on spending or editing.
   */
  private spawn(options: {
    command: string;
    args: string[];
    cwd?: string;
    env: Record<string, string | undefined>;
    signal: AbortSignal;
  }) {
    const setpriv = process.platform === 'linux' ? onPath('setpriv', options.env) : undefined;
    const [file, args] =
      setpriv === undefined
        ? [options.command, options.args]
        : [setpriv, ['--pdeathsig', 'KILL', '--', options.command, ...options.args]];
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      signal: options.signal,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    return child;
  }

  private record(message: unknown): void {
    const { redactor } = this.context;
    const line = JSON.stringify(redactor === undefined ? message : redactor.redactDeep(message));
    appendFileSync(this.transcript, `${line}\n`);
  }

  /**
   * A response's stream: `message_start` carries its id and input usage, `message_delta` the final output count,
   * `message_stop` ends it — the moment to charge it, before Claude Code runs the tools it asked for.
   */
  private async onStreamEvent(frame: StreamFrame): Promise<void> {
    if (frame.parent_tool_use_id !== null && frame.parent_tool_use_id !== undefined) return;
    const { event } = frame;
    if (event.type === 'message_start' && event.message !== undefined) {
      await this.note(event.message.id, event.message.model, usageOfResponse(event.message.usage));
    } else if (event.type === 'message_delta' && this.pending !== undefined && event.usage !== undefined) {
      const delta = usageOfResponse(event.usage);
      // Delta counts are running totals: keep the larger of each.
      addUsage(this.pending.usage, usageBeyond(delta, this.pending.usage));
    } else if (event.type === 'message_stop') {
      await this.flush();
    }
  }

  /** Usage seen for response `id`; a different response in progress is charged first. */
  private async note(id: string, model: string, usage: ModelUsage): Promise<void> {
    if (this.pending !== undefined && this.pending.id !== id) await this.flush();
    if (this.pending === undefined) this.pending = { id, model, usage };
    else addUsage(this.pending.usage, usageBeyond(usage, this.pending.usage));
  }

  private async onAssistant(frame: AssistantFrame): Promise<void> {
    const { message } = frame;
    if (frame.parent_tool_use_id !== null && frame.parent_tool_use_id !== undefined) return;
    if (this.textOf !== message.id) {
      this.textOf = message.id;
      this.lastText = '';
    }
    // Frames repeat their response's usage; without stream events they are all there is to count.
    await this.note(message.id, message.model, usageOfResponse(message.usage));
    for (const block of message.content ?? []) {
      if (block.type === 'text' && typeof block.text === 'string') this.lastText += block.text;
      if (block.type === 'tool_use') {
        this.context.emit({
          type: 'tool-call',
          phaseId: this.context.phaseId,
          attempt: this.context.attempt,
          turn: this.responses + 1,
          tool: block.name ?? 'tool',
          summary: summarize(block.input),
        });
      }
    }
  }

  private onToolResults(frame: UserFrame): void {
    const content = frame.message?.content;
    if (!Array.isArray(content)) return;
    for (const block of content) {
      if (block.type !== 'tool_result') continue;
      this.context.emit({
        type: 'tool-call-end',
        phaseId: this.context.phaseId,
        attempt: this.context.attempt,
        turn: this.responses,
        tool: 'claude-code',
        ok: block.is_error !== true,
        replayed: false,
      });
    }
  }

  /** Charges the completed response: journal step, ledger, event; stops the session when the ledger is spent. */
  private async flush(): Promise<void> {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    const charged = this.usage.observe(pending.id, pending.model, pending.usage);
    if (!charged.first && isEmptyUsage(charged.added)) return;
    if (charged.first) this.responses += 1;
    await this.charge(`m${this.responses}${charged.first ? '' : `-more-${pending.id}`}`, {
      usage: charged.added,
      modelId: pending.model,
      responseId: pending.id,
    });
  }

  private async charge(name: string, what: { usage: ModelUsage; modelId: string; responseId: string }) {
    const { context } = this;
    const costUsd = costOfUsage(what.usage, context.price);
    const step: ResponseStep = { ...what, costUsd, priceTableVersion: PRICE_TABLE_VERSION };
    await context.steps.step<ResponseStep>(
      {
        key: `${this.base}/s${this.session}/${name}`,
        phaseId: context.phaseId,
        kind: 'model',
        costOf: (value) => value.costUsd,
      },
      async () => step,
    );
    context.ledger.charge(context.phaseId, costUsd);
    this.costUsd += costUsd;
    for (const key of Object.keys(this.tokens) as Array<keyof TokenCounts>)
      this.tokens[key] += what.usage[key] ?? 0;
    context.emit({
      type: 'model-call-end',
      phaseId: context.phaseId,
      attempt: context.attempt,
      turn: this.responses,
      model: `claude-code:${what.modelId}`,
      tokens: tokensOf(what.usage),
      costUsd,
      phaseSpentUsd: context.ledger.spent(context.phaseId),
      runSpentUsd: context.ledger.spent(),
      replayed: false,
      durationMs: 0,
    });
    const available = context.ledger.available(context.phaseId);
    if (available.usd <= 0 && this.stoppedBy === undefined) {
      this.stoppedBy = context.ledger.exhausted(context.phaseId, available.scope);
      this.controller.abort(this.stoppedBy);
    }
  }

  /** The result's totals, per model, beyond the responses already charged (auxiliary calls, unseen frames). */
  private async settle(result: Record<string, unknown>): Promise<void> {
    const totals = (result.modelUsage ?? {}) as Record<string, SessionModelUsage>;
    for (const [model, total] of Object.entries(totals)) {
      const rest = usageBeyond(usageOfModelTotal(total), this.usage.totalFor(model));
      if (isEmptyUsage(rest)) continue;
      await this.charge(`rest-${model}`, { usage: rest, modelId: model, responseId: 'result' });
    }
  }

  private async finish(result: Record<string, unknown>): Promise<AgentResult> {
    const subtype = String(result.subtype);
    if (subtype === 'error_max_budget_usd') {
      // Claude Code's backstop fired first: its own price estimate reached the limit phasewise passed it.
      const estimate = typeof result.total_cost_usd === 'number' ? result.total_cost_usd : 0;
      throw new BudgetExceededError(
        { scope: 'phase', phaseId: this.context.phaseId, spentUsd: estimate, limitUsd: this.maxBudgetUsd },
        {
          hint: `Claude Code stopped the session at maxBudgetUsd by its own estimate; phasewise's ledger counts $${this.costUsd.toFixed(4)} for it`,
        },
      );
    }
    if (subtype !== 'success' && subtype !== 'error_max_turns') {
      const errors = Array.isArray(result.errors) ? result.errors.join('; ') : '';
      throw this.providerError(`Claude Code ended with ${subtype}${errors === '' ? '' : `: ${errors}`}`);
    }
    const maxTurns = subtype === 'error_max_turns';
    const stopReason: StopReason = maxTurns ? 'max-turns' : 'answered';
    const end: SessionEnd = {
      text: maxTurns ? this.lastText : typeof result.result === 'string' ? result.result : this.lastText,
      turns: typeof result.num_turns === 'number' ? result.num_turns : this.responses,
      stopReason,
      stopDetail: maxTurns
        ? `the cap of ${this.request.maxTurns} turns was reached without a final report`
        : null,
      tokens: this.tokens,
      costUsd: this.costUsd,
      session: this.session,
      sessionId: this.sessionId,
      subtype,
      claudeCodeCostUsd: typeof result.total_cost_usd === 'number' ? result.total_cost_usd : 0,
      responses: this.responses,
      transcript: this.transcript,
    };
    // Not redacted: the report is the model's own text, like an API model's answer (model-turn.ts).
    const { value } = await this.context.steps.step<SessionEnd>(
      {
        key: `${this.base}/s${this.session}/end`,
        phaseId: this.context.phaseId,
        kind: 'session',
        redact: false,
      },
      async () => end,
    );
    return agentResultOf(value);
  }

  /** Why the session stopped: our budget stop, the phase's signal (timeout, Ctrl-C), or Claude Code's failure. */
  private failure(error: unknown): unknown {
    if (this.stoppedBy !== undefined) return this.stoppedBy;
    if (this.context.abortSignal.aborted) return this.context.abortSignal.reason;
    if (isPhasewiseError(error)) return error;
    const message = (error as Error).message ?? String(error);
    const stderr = this.stderrTail.trim();
    const said = stderr === '' || message.includes(stderr) ? '' : `; it said: ${stderr}`;
    return this.providerError(`Claude Code failed: ${message}${said}`);
  }

  private providerError(message: string): ProviderCallError {
    return new ProviderCallError(message, {
      provider: 'claude-code',
      model: this.request.target.modelId,
      retryable: false,
    });
  }
}

/**
 * Commands Claude Code runs would inherit the session's key; on Linux it strips it from them only inside its
 * sandbox (bubblewrap, with socat for the network proxy), and refuses to run them without it. Said here,
 * before anything is spent, with the fix.
 */
const STDERR_TAIL_CHARS = 2_000;

function onPath(binary: string, env: Record<string, string | undefined>): string | undefined {
  const dirs = (env.PATH ?? process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, binary)).find((path) => existsSync(path));
}

function requireCommandSandbox(env: Record<string, string | undefined>): void {
  if (process.platform !== 'linux') return;
  const missing = ['bwrap', 'socat'].filter((binary) => onPath(binary, env) === undefined);
  if (missing.length === 0) return;
  const packages = missing.map((binary) => (binary === 'bwrap' ? 'bubblewrap' : binary)).join(' ');
  throw new UsageError(`a claude-code phase that runs commands needs ${packages}, not installed here`, {
    hint: `install with \`sudo apt-get install ${packages}\` (Debian, Ubuntu): Claude Code runs commands in a bubblewrap sandbox that keeps credentials out of them`,
  });
}

function sessionEnv(request: ClaudeCodeRequest): Record<string, string | undefined> {
  const { target } = request;
  const env: Record<string, string | undefined> = {
    ...request.env,
    // No telemetry, update checks or error reports.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_AUTO_MEMORY: '1',
    CLAUDE_AGENT_SDK_CLIENT_APP: 'phasewise',
  };
  // A role that runs commands: Claude Code strips its credentials from them (on Linux, with bubblewrap).
  if (request.permissions.includes('run')) env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB = '1';
  if (target.baseUrl !== undefined) env.ANTHROPIC_BASE_URL = target.baseUrl.replace(/\/v1\/?$/, '');
  // The configured key, else the key Claude Code would find by itself; without either, its own login.
  const key = process.env[target.apiKeyEnv ?? 'ANTHROPIC_API_KEY'];
  if (key !== undefined && key !== '') env.ANTHROPIC_API_KEY = key;
  return env;
}

function replayEvents(context: AgentContext, base: string, ended: SessionEnd): void {
  for (let n = 1; n <= ended.responses; n += 1) {
    const step = context.steps.recorded<ResponseStep>(`${base}/s${ended.session}/m${n}`);
    if (step === undefined) continue;
    context.emit({
      type: 'model-call-end',
      phaseId: context.phaseId,
      attempt: context.attempt,
      turn: n,
      model: `claude-code:${step.modelId}`,
      tokens: tokensOf(step.usage),
      costUsd: step.costUsd,
      phaseSpentUsd: context.ledger.spent(context.phaseId),
      runSpentUsd: context.ledger.spent(),
      replayed: true,
      durationMs: 0,
    });
  }
}

function agentResultOf(end: SessionEnd): AgentResult {
  return {
    text: end.text,
    turns: end.turns,
    stopReason: end.stopReason,
    stopDetail: end.stopDetail,
    tokens: end.tokens,
    costUsd: end.costUsd,
  };
}

function tokensOf(usage: ModelUsage): TokenCounts {
  return {
    inputNoCache: usage.inputNoCache,
    cacheRead: usage.cacheRead,
    cacheWrite: usage.cacheWrite,
    output: usage.output,
    reasoning: usage.reasoning,
  };
}

function summarize(input: unknown): string {
  const text = JSON.stringify(input ?? {});
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

interface AssistantFrame {
  type: 'assistant';
  parent_tool_use_id?: string | null;
  message: {
    id: string;
    model: string;
    usage?: AnthropicUsage;
    content?: Array<{ type: string; text?: string; name?: string; input?: unknown }>;
  };
}

interface StreamFrame {
  type: 'stream_event';
  parent_tool_use_id?: string | null;
  event: {
    type: string;
    message?: { id: string; model: string; usage?: AnthropicUsage };
    usage?: AnthropicUsage;
  };
}

interface UserFrame {
  type: 'user';
  message?: { content?: unknown };
}
