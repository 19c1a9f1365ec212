/**
 * The Claude Agent SDK, loaded only when a phase runs on Claude Code: it ships the Claude Code binary (hundreds
 * of megabytes), so it is an optional dependency and nothing else in phasewise imports it.
 */
import { UsageError } from '../../errors/index.js';

export const CLAUDE_AGENT_SDK = '@anthropic-ai/claude-agent-sdk';

export type ClaudeAgentSdk = typeof import('@anthropic-ai/claude-agent-sdk');

/** The one part of the SDK a session uses: its `query` (a replay of recorded messages in tests). */
export type ClaudeAgentSdkQuery = Pick<ClaudeAgentSdk, 'query'>;

const installHint =
  `install it in phasewise's directory with \`npm install ${CLAUDE_AGENT_SDK}\` (it is an optional dependency: ` +
  '`npm ci --omit=optional` leaves it out), or run these phases on the anthropic provider instead';

/** A usage error naming the fix when the SDK is not installed; undefined when it is. Loads nothing. */
export function claudeAgentSdkMissing(
  resolve: (specifier: string) => string = (specifier) => import.meta.resolve(specifier),
): UsageError | undefined {
  try {
    resolve(CLAUDE_AGENT_SDK);
    return undefined;
  } catch {
    return new UsageError(`the claude-code runtime needs ${CLAUDE_AGENT_SDK}, which is not installed`, {
      hint: installHint,
    });
  }
}

let loading: Promise<ClaudeAgentSdk> | undefined;

export function loadClaudeAgentSdk(): Promise<ClaudeAgentSdkQuery> {
  const missing = claudeAgentSdkMissing();
  if (missing !== undefined) return Promise.reject(missing);
  loading ??= import(CLAUDE_AGENT_SDK) as Promise<ClaudeAgentSdk>;
  return loading;
}
