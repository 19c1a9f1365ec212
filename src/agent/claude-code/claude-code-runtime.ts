/**
 * The `claude-code` runtime: the attempt as one Claude Code session (`run-claude-code.ts`). The session runs its
 * tools itself, so the whole of it is one window of the phase's changes.
 */
import type { SessionModel } from '../../provider/resolver.js';
import type { Runtime } from '../runtime.js';
import { runClaudeCode } from './run-claude-code.js';
import { type ClaudeAgentSdkQuery, loadClaudeAgentSdk } from './sdk.js';

/** @param loadSdk the Agent SDK; tests pass one that replays recorded Claude Code output */
export function claudeCodeRuntime(
  loadSdk: () => Promise<ClaudeAgentSdkQuery> = loadClaudeAgentSdk,
): Runtime<SessionModel> {
  return {
    runAttempt: (context, model, request) =>
      request.changes.during(() =>
        runClaudeCode(
          context,
          {
            system: request.system,
            prompt:
              request.context === undefined ? request.prompt : `${request.context}\n\n${request.prompt}`,
            permissions: request.permissions,
            maxTurns: request.maxTurns,
            target: model.session,
            transcriptPath: request.transcriptPath,
            env: request.env,
            sandbox: request.sandbox,
          },
          loadSdk,
        ),
      ),
  };
}
