/**
 * `run_command`: `bash -c` in the workspace, inside the command sandbox (`sandbox.ts`), with a timeout, without
 * the user's secrets in its environment,
 * its output (stdout and stderr interleaved) kept to the first and last parts under the cap, and its whole
 * process group stopped on timeout, on abort, and for anything left in the background when it exits.
 */
import { z } from 'zod';
import type { SandboxSettings } from '../config/types.js';
import { commandEnvironment } from './command-env.js';
import { defineTool, type ToolSettings } from './define-tool.js';
import { type RestoredPath, restoredText } from './governing-fingerprint.js';
import type { GroupCommandResult } from './process-group.js';
import { runSandboxed } from './sandbox.js';

export interface RunCommandOptions {
  /** Timeout when the model names none. */
  timeoutMs: number;
  /** The longest timeout the model may ask for. */
  maxTimeoutMs: number;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** The environment commands start from, before secrets are removed. */
  env: Record<string, string | undefined>;
  /** How commands are confined (default: bubblewrap when available, no network). */
  sandbox?: SandboxSettings;
}

const RESERVED_BYTES = 600;

export function createRunCommandTool(settings: ToolSettings, options: RunCommandOptions) {
  const maxSeconds = Math.max(1, Math.floor(options.maxTimeoutMs / 1000));
  const input = z.object({
    command: z.string().min(1).describe('Shell command, run with bash -c in the workspace root'),
    timeout_seconds: z
      .number()
      .int()
      .min(1)
      .max(maxSeconds)
      .optional()
      .describe(
        `Stop the command after this many seconds (default ${Math.round(options.timeoutMs / 1000)}, at most ${maxSeconds})`,
      ),
  });
  return defineTool(
    {
      name: 'run_command',
      description:
        'Run a shell command (bash) in the workspace root and return its exit code and output (stdout and ' +
        'stderr together; long output keeps the beginning and the end). Commands are non-interactive (no ' +
        'stdin) and are stopped, with every process they started, when they time out. Background processes ' +
        'are stopped when the command exits.',
      permission: 'run',
      input,
      run: async (parsed, call) => {
        const budget = call.settings.outputLimitBytes - RESERVED_BYTES;
        const result = await runSandboxed(
          {
            command: parsed.command,
            cwd: call.root,
            workspace: call.root,
            protectedFiles: call.protectedFiles,
            env: commandEnvironment(options.env),
            timeoutMs:
              parsed.timeout_seconds === undefined ? options.timeoutMs : parsed.timeout_seconds * 1000,
            killGraceMs: options.killGraceMs,
            abortSignal: call.abortSignal,
            headBytes: Math.floor(budget / 4),
            tailBytes: budget - Math.floor(budget / 4),
          },
          options.sandbox,
        );
        const text = cleanTerminalOutput(result.output);
        const restored = restoredLine(result.restored);
        return {
          output: `${statusLine(result)}${restored}\n${text === '' ? '(no output)' : text}`,
          isError: result.ending !== 'exited' || result.exitCode !== 0 || result.restored.length > 0,
          restored: result.restored,
        };
      },
    },
    settings,
  );
}

/** Told to the model first: its change to the rules was undone, and will be every time. */
function restoredLine(restored: readonly RestoredPath[]): string {
  if (restored.length === 0) return '';
  return `\n[the command changed the run's governing files or git metadata, which no command may change; put back: ${restoredText(restored)}]`;
}

function statusLine(result: GroupCommandResult): string {
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  const background = result.stoppedBackground
    ? '; processes it left running in the background were stopped'
    : '';
  switch (result.ending) {
    case 'timed-out':
      return `[timed out after ${seconds}: the command and every process it started were stopped]`;
    case 'aborted':
      return `[aborted after ${seconds}: the phase was stopped, and the command with it]`;
    default:
      return result.exitCode === null
        ? `[killed by ${result.signal ?? 'a signal'} after ${seconds}${background}]`
        : `[exit code ${result.exitCode} after ${seconds}${background}]`;
  }
}

// Terminal escape sequences are exactly what these strip: OSC (titles, links), CSI (colours, cursor), others.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const OSC_SEQUENCE = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const CSI_SEQUENCE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const SHORT_ESCAPE = /\x1b[@-Z\\-_]/g;

/** Colour codes and carriage-return progress bars only cost tokens: keep what a terminal would finally show. */
export function cleanTerminalOutput(text: string): string {
  return text
    .replace(OSC_SEQUENCE, '')
    .replace(CSI_SEQUENCE, '')
    .replace(SHORT_ESCAPE, '')
    .split('\n')
    .map((line) => {
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
      return trimmed.slice(trimmed.lastIndexOf('\r') + 1);
    })
    .join('\n');
}
