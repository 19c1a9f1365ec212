/**
 * The tool seam: what an agent may call in the workspace. The loop only sees this interface; the workspace
 * tools (list, glob, grep, read, write, edit, run_command) implement it with a path guard.
 */
import type { AgentDefinition, Permission } from '../config/types.js';
import type { ToolSpec } from '../provider/model.js';
import type { RestoredPath } from './governing-fingerprint.js';

export interface ToolContext {
  /** Absolute path; every path a tool touches must resolve inside it. */
  workspace: string;
  abortSignal: AbortSignal;
  /**
   * The governing files (absolute) of the workspace this call runs in, which no tool or command may change; when
   * given, they replace the tool's own (`ToolSettings.protectedFiles`). A fanned-out lane runs the same tools in a
   * worktree, whose copies of the governing files are listed here.
   */
  protectedFiles?: readonly string[] | undefined;
}

export interface ToolResult {
  output: string;
  isError: boolean;
  /** What a command run without the sandbox changed among the governing files and git metadata, put back. */
  restored?: RestoredPath[];
}

export interface Tool extends ToolSpec {
  /** The permission a role needs to be given this tool. */
  permission: Permission;
  execute(input: unknown, context: ToolContext): Promise<ToolResult>;
}

/** The tools a role may use: those whose permission the role holds. */
export function toolsFor(permissions: readonly Permission[], available: readonly Tool[]): Tool[] {
  return available.filter((tool) => permissions.includes(tool.permission));
}

/**
 * The tools a role takes beyond its permissions' (MCP tools it opts in to), found when its attempt starts; the
 * signal is the attempt's.
 */
export type RoleTools = (agent: AgentDefinition, abortSignal: AbortSignal) => Promise<Tool[]>;
