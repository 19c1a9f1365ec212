/**
 * The hooks a session runs under: before every tool call, the guard (`tool-guard.ts`) and, for Bash, the
 * rewrite into phasewise's sandbox (`bash-sandbox.ts`); after a Bash call, whether it succeeded or failed, that
 * sandbox's tidying up.
 */
import type { Options } from '@anthropic-ai/claude-agent-sdk';
import type { BashSandbox } from './bash-sandbox.js';
import { type GuardedWorkspace, refusalOf } from './tool-guard.js';

interface HookCall {
  tool_name?: string;
  tool_input?: unknown;
  tool_use_id?: string;
}

export function sessionHooks(guard: {
  allowed: readonly string[];
  workspace: GuardedWorkspace;
  bash: BashSandbox | undefined;
}): NonNullable<Options['hooks']> {
  const { allowed, workspace, bash } = guard;
  const deny = (reason: string) => ({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse' as const,
      permissionDecision: 'deny' as const,
      permissionDecisionReason: `phasewise: ${reason}`,
    },
  });
  const hooks: NonNullable<Options['hooks']> = {
    PreToolUse: [
      {
        hooks: [
          async (input, toolUseId) => {
            const call = input as HookCall;
            const tool = call.tool_name ?? '';
            const reason = await refusalOf({ tool, input: call.tool_input }, allowed, workspace);
            if (reason !== undefined) return deny(reason);
            if (tool !== 'Bash' || bash === undefined) return { continue: true };
            const rewrite = bash.rewrite(call.tool_use_id ?? toolUseId ?? '', call.tool_input);
            if ('refusal' in rewrite) return deny(rewrite.refusal);
            return {
              hookSpecificOutput: {
                hookEventName: 'PreToolUse' as const,
                permissionDecision: 'allow' as const,
                updatedInput: rewrite.input,
              },
            };
          },
        ],
      },
    ],
  };
  if (bash === undefined) return hooks;
  const ended = async (input: unknown, toolUseId: string | undefined) => {
    bash.ended((input as HookCall).tool_use_id ?? toolUseId ?? '');
    return { continue: true };
  };
  hooks.PostToolUse = [{ matcher: 'Bash', hooks: [ended] }];
  hooks.PostToolUseFailure = [{ matcher: 'Bash', hooks: [ended] }];
  return hooks;
}
