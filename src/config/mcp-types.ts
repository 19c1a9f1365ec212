/** The resolved `mcp_servers:` entries: how each server is reached and which of its tools only read. */

/**
 * A value given to an MCP server (an environment variable of a stdio server, a header of an HTTP one): literal
 * text, or read from the caller's environment when the server starts — only the variable's name is journaled.
 */
export type McpValue = { literal: string } | { fromEnv: string; prefix?: string };

interface McpServerCommon {
  /** How long one tool call may take before the model is told it timed out. */
  timeoutMs: number;
  /** Every tool of the server is read-only (a read-only role may use them). */
  readOnly: boolean;
  /** Globs of tool names that are read-only when the server as a whole is not. */
  readOnlyTools: string[];
}

export type McpServerSettings =
  | (McpServerCommon & {
      transport: 'stdio';
      command: string;
      args: string[];
      env: Record<string, McpValue>;
      /** Directory the server starts in (absolute); default the workspace. */
      cwd?: string;
    })
  | (McpServerCommon & { transport: 'http'; url: string; headers: Record<string, McpValue> });
