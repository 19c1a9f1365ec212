/**
 * A command as Claude Code's Bash runs it under phasewise: the PreToolUse rewrite (`bash-sandbox.ts`), then the
 * rewritten command through `bash -c` from the workspace with this process's whole environment (Claude Code's
 * shell has the session's), then the PostToolUse tidying. The real-SDK test is in test/agent/claude-code.test.ts.
 */
import { execFile } from 'node:child_process';
import { BashSandbox } from '../../src/agent/claude-code/bash-sandbox.js';
import type { SandboxSettings } from '../../src/config/types.js';

export async function runAsClaudeCodeBash(
  command: string,
  options: { workspace: string; env: Record<string, string | undefined>; settings: SandboxSettings },
): Promise<string> {
  const sandbox = new BashSandbox(options);
  const rewrite = sandbox.rewrite('call-1', { command });
  if ('refusal' in rewrite) return `refused: ${rewrite.refusal}`;
  try {
    return await new Promise<string>((resolve) => {
      execFile(
        'bash',
        ['-c', rewrite.input.command as string],
        {
          cwd: options.workspace,
          env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-session-key' },
          timeout: 30_000,
        },
        (error, stdout, stderr) =>
          resolve(`${error === null ? 'exit 0' : `exit ${error.code}`}\n${stdout}${stderr}`),
      );
    });
  } finally {
    sandbox.ended('call-1');
  }
}
