/**
 * How an attempt is executed: one interface, one implementation per runtime named in the provider-kind table
 * (`config/provider-kinds.ts`) — the tool loop over a model that is called turn by turn (`tool-loop-runtime.ts`)
 * and a Claude Code session, which runs its own loop (`claude-code/claude-code-runtime.ts`). The phase picks one
 * by the resolved model's runtime (`phase/runtimes.ts`); it prepares the prompts, the tools and the windows of the
 * attempt's changes, and knows nothing of how they are used.
 */
import type { RuntimeName } from '../config/provider-kinds.js';
import type { Permission, SandboxSettings } from '../config/types.js';
import type { ResolvedModel } from '../provider/resolver.js';
import type { ChangeWindows } from '../tools/change-windows.js';
import type { Tool } from '../tools/tool.js';
import type { AttemptContext } from './agent-context.js';
import type { AgentResult } from './run-agent.js';

export interface RuntimeRequest {
  system: string;
  /**
   * The opening text every attempt and lane of the phase shares (the task and the handoffs), before `prompt`: the
   * tool loop sends it as a message of its own so the provider caches it once for all of them; a Claude Code
   * session is told it ahead of `prompt`.
   */
  context?: string;
  prompt: string;
  /** The role's permissions, and the tools they grant (each acting one already timed as a change window). */
  permissions: readonly Permission[];
  tools: readonly Tool[];
  maxTurns: number;
  maxOutputTokens: number;
  /** Where a runtime that keeps a transcript of its own writes it (a Claude Code session's). */
  transcriptPath: string;
  /** The environment commands and sessions start from. */
  env: Record<string, string | undefined>;
  /** The run's command sandbox and its governing files. */
  sandbox?: SandboxSettings | undefined;
  /** The attempt's change windows: work that changes the workspace by means of its own runs as one. */
  changes: ChangeWindows;
}

export interface Runtime<M extends ResolvedModel = ResolvedModel> {
  runAttempt(context: AttemptContext, model: M, request: RuntimeRequest): Promise<AgentResult>;
}

/** One runtime per name in the provider-kind table, each taking the resolved models of its own sort. */
export type Runtimes = { [N in RuntimeName]: Runtime<Extract<ResolvedModel, { runtime: N }>> };
