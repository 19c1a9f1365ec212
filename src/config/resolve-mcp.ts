/**
 * `mcp_servers:` and the roles' `tools:` (docs/mcp.md): servers resolved to what the tools layer starts, with
 * secrets kept as the names of the variables that hold them; every role's tool names checked against the servers,
 * and a read-only role held to the tools the configuration marks read-only.
 */
import { isAbsolute, resolve } from 'node:path';
import picomatch from 'picomatch';
import { isReadOnlyMcpTool, isReadOnlyRole } from '../util/mcp-read-only.js';
import { ownValue } from './field-path.js';
import type { ResolveContext } from './resolve-context.js';
import type { RawConfig, RawMcpServer } from './schema.js';
import type { AgentDefinition, McpServerSettings, McpValue } from './types.js';

export const DEFAULT_MCP_TIMEOUT_MS = 60_000;

export function resolveMcpServers(
  raw: RawConfig['mcp_servers'],
  configDir: string,
): Record<string, McpServerSettings> | undefined {
  if (raw === undefined || Object.keys(raw).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(raw).map(([name, server]) => [name, resolveServer(server, configDir)]),
  );
}

function resolveServer(raw: RawMcpServer, configDir: string): McpServerSettings {
  const common = {
    timeoutMs: raw.timeout ?? DEFAULT_MCP_TIMEOUT_MS,
    readOnly: raw.read_only ?? false,
    readOnlyTools: raw.read_only_tools ?? [],
  };
  if (raw.url !== undefined)
    return { ...common, transport: 'http', url: raw.url, headers: values(raw.headers) };
  return {
    ...common,
    transport: 'stdio',
    // The schema let through only servers with a command or a URL.
    command: raw.command ?? '',
    args: raw.args ?? [],
    env: values(raw.env),
    ...(raw.cwd === undefined ? {} : { cwd: isAbsolute(raw.cwd) ? raw.cwd : resolve(configDir, raw.cwd) }),
  };
}

function values(raw: Record<string, string | { from_env: string; prefix?: string | undefined }> | undefined) {
  const entries = Object.entries(raw ?? {}).map(([key, value]): [string, McpValue] => [
    key,
    typeof value === 'string'
      ? { literal: value }
      : { fromEnv: value.from_env, ...(value.prefix === undefined ? {} : { prefix: value.prefix }) },
  ]);
  return Object.fromEntries(entries);
}

/** Every role's `tools:` names a configured server; a read-only role names only read-only tools. */
export function checkRoleTools(
  agents: Record<string, AgentDefinition>,
  servers: Record<string, McpServerSettings> | undefined,
  context: ResolveContext,
): void {
  for (const agent of Object.values(agents)) {
    for (const [index, entry] of (agent.mcpTools ?? []).entries()) {
      const path = ['agents', agent.name, 'tools', index];
      const dot = entry.indexOf('.');
      const serverName = entry.slice(0, dot);
      const tool = entry.slice(dot + 1);
      const server = ownValue(servers, serverName);
      if (server === undefined) {
        const known = Object.keys(servers ?? {});
        context.issues.add(path, `unknown MCP server \`${serverName}\` in \`${entry}\``, {
          hint:
            known.length === 0
              ? 'declare it under `mcp_servers:` (docs/mcp.md)'
              : `the configured servers are: ${known.join(', ')}`,
        });
        continue;
      }
      if (!isReadOnlyRole(agent) || server.readOnly) continue;
      // A glob may also cover tools that write; only an exact name the configuration marks read-only is safe.
      if (picomatch.scan(tool).isGlob || !isReadOnlyMcpTool(server, tool)) {
        context.issues.add(
          path,
          `role \`${agent.name}\` is read-only, but \`${entry}\` is not marked read-only by the configuration`,
          {
            hint: `set \`read_only: true\` on mcp_servers.${serverName}, list the tool in its \`read_only_tools\`, or give the role write or run permission`,
          },
        );
      }
    }
  }
}
