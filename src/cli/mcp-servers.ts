/**
 * The MCP servers of a run (`mcp_servers:`, docs/mcp.md), wired with the run's redactor; absent when the
 * configuration names none. The caller closes them when the run ends, so no server outlives it.
 */
import type { ResolvedWorkflow } from '../config/index.js';
import { createMcpServers, type McpServers } from '../tools/index.js';
import type { Redactor } from '../util/redact.js';

export function cliMcpServers(
  workflow: ResolvedWorkflow,
  redactor: Redactor | undefined,
  env: Record<string, string | undefined> = process.env,
): McpServers | undefined {
  if (workflow.mcpServers === undefined) return undefined;
  return createMcpServers({
    servers: workflow.mcpServers,
    workspace: workflow.workspace,
    env,
    ...(redactor === undefined ? {} : { redactor }),
  });
}
