/**
 * The names of MCP tools: the configuration's `server.tool` (what roles opt in to, globs allowed), and the name
 * the model sees, `mcp__server__tool`, within what every provider accepts (letters, digits, `_` and `-`, at most
 * 64 characters).
 */
import picomatch from 'picomatch';

const MODEL_NAME_LIMIT = 64;

/** The configuration's name of a server's tool. */
export function qualifiedToolName(server: string, tool: string): string {
  return `${server}.${tool}`;
}

/** The name the model calls the tool by. */
export function modelToolName(server: string, tool: string): string {
  const name = `mcp__${server}__${tool}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return name.length <= MODEL_NAME_LIMIT ? name : name.slice(0, MODEL_NAME_LIMIT);
}

/** Whether a role's `tools:` entries (`server.tool`, `server.*`) take this tool. */
export function roleTakesTool(patterns: readonly string[], server: string, tool: string): boolean {
  return (
    patterns.length > 0 && picomatch.isMatch(qualifiedToolName(server, tool), [...patterns], { dot: true })
  );
}

/** The servers a role's `tools:` entries name. */
export function serversNamed(patterns: readonly string[]): string[] {
  return [...new Set(patterns.map((pattern) => pattern.slice(0, pattern.indexOf('.'))))];
}
