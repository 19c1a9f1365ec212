export { createMcpServers, type McpServers, type McpServersOptions } from './mcp/mcp-servers.js';
export { DEFAULT_OUTPUT_LIMIT_BYTES } from './output-limit.js';
export {
  isInside,
  type PathIntent,
  resolveWorkspacePath,
  resolveWorkspaceRoot,
  type WorkspacePath,
} from './path-guard.js';
export { DEFAULT_SANDBOX, probeSandbox, sandboxWarning, startSandboxProbe } from './sandbox.js';
export { type Tool, type ToolContext, type ToolResult, toolsFor } from './tool.js';
export { ToolRefusal } from './tool-refusal.js';
export {
  createWorkspaceTools,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type WorkspaceToolsOptions,
} from './workspace-tools.js';
