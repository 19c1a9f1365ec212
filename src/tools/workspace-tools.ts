/**
 * The workspace tools, wired with one set of options. Which of them a role gets is decided by `toolsFor`
 * (research and review: read; implementation: read + write; verification: read + run).
 */
import type { SandboxSettings } from '../config/types.js';
import type { Redactor } from '../util/redact.js';
import type { ToolSettings } from './define-tool.js';
import { createEditTool } from './edit-tool.js';
import { createGlobTool } from './glob-tool.js';
import { createGrepTool } from './grep-tool.js';
import { createListTool } from './list-tool.js';
import { DEFAULT_OUTPUT_LIMIT_BYTES } from './output-limit.js';
import type { WorkspacePath } from './path-guard.js';
import { createReadTool } from './read-tool.js';
import { createRunCommandTool } from './run-command-tool.js';
import type { Tool } from './tool.js';
import { createWriteTool } from './write-tool.js';

export interface WorkspaceToolsOptions {
  /** run_command's timeout when the model names none; default 120 000 (2 minutes). */
  commandTimeoutMs?: number;
  /** The longest timeout the model may ask run_command for; default 10 minutes (never below the default). */
  maxCommandTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL when a command's process group is stopped; default 2 000. */
  killGraceMs?: number;
  /** Cap on every tool's output, in bytes; default 32 KiB. */
  outputLimitBytes?: number;
  /** Applied to every tool output (file contents, search results, command output). */
  redactor?: Redactor;
  /** The environment commands start from (secret-looking variables are removed); default `process.env`. */
  env?: Record<string, string | undefined>;
  /** How run_command is confined; default `auto` (bubblewrap when it works here), no network. */
  sandbox?: SandboxSettings;
  /** Test seams (STYLE §4); not for production use. */
  _internal?: {
    /** Runs after a path passed the guard, before the tool opens it: lets a test swap in a link. */
    afterPathCheck?: (path: WorkspacePath) => void | Promise<void>;
  };
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_COMMAND_TIMEOUT_MS = 600_000;
const DEFAULT_KILL_GRACE_MS = 2_000;
const MIN_OUTPUT_LIMIT_BYTES = 2_048;

export function createWorkspaceTools(options: WorkspaceToolsOptions = {}): Tool[] {
  const settings: ToolSettings = {
    outputLimitBytes: Math.max(
      MIN_OUTPUT_LIMIT_BYTES,
      options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT_BYTES,
    ),
    redactor: options.redactor,
    afterPathCheck: options._internal?.afterPathCheck,
    protectedFiles: options.sandbox?.protectedFiles,
  };
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  return [
    createListTool(settings),
    createGlobTool(settings),
    createGrepTool(settings),
    createReadTool(settings),
    createWriteTool(settings),
    createEditTool(settings),
    createRunCommandTool(settings, {
      timeoutMs,
      maxTimeoutMs: Math.max(timeoutMs, options.maxCommandTimeoutMs ?? DEFAULT_MAX_COMMAND_TIMEOUT_MS),
      killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      env: options.env ?? process.env,
      ...(options.sandbox === undefined ? {} : { sandbox: options.sandbox }),
    }),
  ];
}
