/**
 * Which MCP tools count as read-only, decided once for the configuration's check and the tools a role is given:
 * a server marked `read_only`, or a tool whose name matches its `read_only_tools` globs. A read-only role is one
 * that neither writes nor runs commands.
 */
import picomatch from 'picomatch';

export function isReadOnlyMcpTool(
  server: { readOnly: boolean; readOnlyTools: readonly string[] },
  tool: string,
) {
  return (
    server.readOnly || (server.readOnlyTools.length > 0 && picomatch.isMatch(tool, [...server.readOnlyTools]))
  );
}

export function isReadOnlyRole(role: { permissions: readonly string[] }): boolean {
  return !role.permissions.includes('write') && !role.permissions.includes('run');
}
