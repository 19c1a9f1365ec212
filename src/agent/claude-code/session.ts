/**
 * One Claude Code session: the SDK's query with the role's prompt, tools and limits; each response charged
 * once, from its stream, as it completes; the ledger's stop; the result settled and mapped to an outcome.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BudgetExceededError, isPhasewiseError } from '../../errors/index.js';
import { stepAddress } from '../../journal/step-keys.js';
import { ProviderCallError } from '../../provider/provider-call-error.js';
import { resolveWorkspaceRoot } from '../../tools/path-guard.js';
import { usd } from '../../util/format.js';
import type { AttemptContext } from '../agent-context.js';
import type { AgentResult } from '../run-agent.js';
import type { StopReason } from '../stop-conditions.js';
import { summarizeToolInput } from '../tool-dispatch.js';
import { BashSandbox, bashSandboxApplies } from './bash-sandbox.js';
import type { ClaudeAgentSdkQuery } from './sdk.js';
import { ResponseCharges } from './session-charges.js';
import { sessionHooks } from './session-hooks.js';
import { sessionEnv, spawnClaudeCode } from './session-process.js';
import { agentResultOf, type ClaudeCodeRequest, type SessionEnd } from './session-records.js';
import { sessionEndSchema } from './session-step-schemas.js';
import { claudeCodeTools } from './tool-guard.js';
import { type AnthropicUsage, usageOfResponse } from './usage.js';

const STDERR_TAIL_CHARS = 2_000;

export class Session {
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
  private readonly charges: ResponseCharges;

  constructor(
    private readonly context: AttemptContext,
    private readonly request: ClaudeCodeRequest,
    private readonly sdk: ClaudeAgentSdkQuery,
    private readonly session: number,
  ) {
    this.maxBudgetUsd = context.ledger.available(context.phaseId).usd;
    this.transcript = request.transcriptPath.replace(/(\.jsonl)?$/, `-s${session}.jsonl`);
    // The ledger is spent, or a response's usage is beyond belief: stop the session (once), that its outcome.
    const scope = { phaseId: context.phaseId, attempt: context.attempt, session };
    this.charges = new ResponseCharges(context, scope, request.target.modelId, (stop) => {
      if (this.stoppedBy !== undefined) return;
      this.stoppedBy = stop;
      this.controller.abort(stop);
    });
    this.charges.see(request.system);
    this.charges.see(request.prompt);
  }

  async run(): Promise<AgentResult> {
    const { context, request } = this;
    const allowed = claudeCodeTools(request.permissions);
    const workspace = {
      path: context.workspace,
      root: await resolveWorkspaceRoot(context.workspace),
      protectedFiles: request.sandbox?.protectedFiles,
    };
    const bash =
      request.permissions.includes('run') && bashSandboxApplies(request.sandbox)
        ? new BashSandbox({ workspace: workspace.root, env: request.env, settings: request.sandbox })
        : undefined;
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
          // Bash runs in phasewise's sandbox (bash-sandbox.ts), which cannot be nested in Claude Code's own.
          ...(bash === undefined ? {} : { sandbox: { enabled: false } }),
          // Stream events carry each response's final usage (message_delta); frames alone do not.
          includePartialMessages: true,
          env: sessionEnv(request, { ownSandbox: bash === undefined }),
          spawnClaudeCodeProcess: (spawnOptions) =>
            spawnClaudeCode(spawnOptions, (chunk) => {
              this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
            }),
          hooks: sessionHooks({ allowed, workspace, bash }),
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
        else await this.charges.flush();
        if (type === 'system' && (message as { subtype?: string }).subtype === 'init')
          this.sessionId = (message as { session_id?: string }).session_id ?? null;
        if (type === 'user') this.onToolResults(message as UserFrame);
        if (type === 'result') result = message as Record<string, unknown>;
      }
      await this.charges.flush();
    } catch (error) {
      await this.charges.flush().catch(() => {});
      // The SDK throws after an error result (the turn cap, say); the result itself says what happened.
      if (result === undefined || this.stoppedBy !== undefined || context.abortSignal.aborted)
        throw this.failure(error);
    } finally {
      context.abortSignal.removeEventListener('abort', onAbort);
      bash?.close();
    }
    if (this.stoppedBy !== undefined) throw this.stoppedBy;
    if (result === undefined) throw this.failure(new Error('Claude Code ended without a result'));
    await this.charges.settle(result, `settlement of session ${this.session}`);
    return this.finish(result);
  }

  private record(message: unknown): void {
    const { redactor } = this.context;
    const line = JSON.stringify(redactor === undefined ? message : redactor.redactDeep(message));
    appendFileSync(this.transcript, `${line}\n`);
    this.charges.see(line);
  }

  /**
   * A response's stream: `message_start` carries its id and input usage, `message_delta` the final output count,
   * `message_stop` ends it — the moment to charge it, before Claude Code runs the tools it asked for.
   */
  private async onStreamEvent(frame: StreamFrame): Promise<void> {
    if (frame.parent_tool_use_id !== null && frame.parent_tool_use_id !== undefined) return;
    const { event } = frame;
    if (event.type === 'message_start' && event.message !== undefined) {
      await this.charges.note(event.message.id, event.message.model, usageOfResponse(event.message.usage));
    } else if (event.type === 'message_delta' && event.usage !== undefined) {
      this.charges.update(usageOfResponse(event.usage));
    } else if (event.type === 'message_stop') {
      await this.charges.flush();
    }
  }

  private async onAssistant(frame: AssistantFrame): Promise<void> {
    const { message } = frame;
    if (frame.parent_tool_use_id !== null && frame.parent_tool_use_id !== undefined) return;
    if (this.textOf !== message.id) {
      this.textOf = message.id;
      this.lastText = '';
    }
    // Frames repeat their response's usage; without stream events they are all there is to count.
    await this.charges.note(message.id, message.model, usageOfResponse(message.usage));
    for (const block of message.content ?? []) {
      if (block.type === 'text' && typeof block.text === 'string') this.lastText += block.text;
      if (block.type === 'tool_use') {
        this.context.emit({
          type: 'tool-call',
          phaseId: this.context.phaseId,
          attempt: this.context.attempt,
          turn: this.charges.responses + 1,
          tool: block.name ?? 'tool',
          summary: summarizeToolInput(block.input),
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
        turn: this.charges.responses,
        tool: 'claude-code',
        ok: block.is_error !== true,
        replayed: false,
      });
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
          hint: `Claude Code stopped the session at maxBudgetUsd by its own estimate; phasewise's ledger counts ${usd(this.charges.costUsd, { places: 4 })} for it`,
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
      turns: typeof result.num_turns === 'number' ? result.num_turns : this.charges.responses,
      stopReason,
      stopDetail: maxTurns
        ? `the cap of ${this.request.maxTurns} turns was reached without a final report`
        : null,
      tokens: this.charges.tokens,
      costUsd: this.charges.costUsd,
      session: this.session,
      sessionId: this.sessionId,
      subtype,
      claudeCodeCostUsd: typeof result.total_cost_usd === 'number' ? result.total_cost_usd : 0,
      responses: this.charges.responses,
      settlements: this.charges.settlements,
      transcript: this.transcript,
    };
    // Redacted like every step (durable-steps.ts): the report is the model's own text, but it can echo a secret.
    const { phaseId, attempt } = this.context;
    const { value } = await this.context.steps.step(
      {
        ...stepAddress({ phaseId, attempt, session: this.session, step: 'session-end' }),
        phaseId,
        schema: sessionEndSchema,
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
