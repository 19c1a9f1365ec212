/**
 * One MCP server's place in a run: its connection, started on first use and reused by every call; started again
 * after it exited or was stopped, at most `MAX_STARTS` times, after which its calls say it is unavailable.
 */
import type { McpServerSettings } from '../../config/types.js';
import { connectMcpServer, type McpConnection } from './mcp-connection.js';

export const MAX_STARTS = 3;

/** One server's state in the run. */
export interface ServerSlot {
  name: string;
  settings: McpServerSettings;
  /** A live connection, or the start under way, reused by every call. */
  connect(signal: AbortSignal): Promise<McpConnection>;
  /** Stops the server (after a timeout): the next use starts it again. */
  discard(): Promise<void>;
}

export function serverSlot(
  name: string,
  settings: McpServerSettings,
  context: { env: Record<string, string | undefined>; workspace: string },
): ServerSlot {
  let current: Promise<McpConnection> | undefined;
  let starts = 0;
  const slot: ServerSlot = {
    name,
    settings,
    async connect(signal) {
      if (current !== undefined) {
        const connection = await current.catch(() => undefined);
        if (connection?.open === true) return connection;
        current = undefined;
      }
      if (starts >= MAX_STARTS) {
        throw new Error(
          `MCP server "${name}" is unavailable: it stopped or failed ${starts} times in this run`,
        );
      }
      starts += 1;
      current = connectMcpServer(name, settings, { ...context, signal });
      return await current;
    },
    async discard() {
      const pending = current;
      current = undefined;
      const connection = await pending?.catch(() => undefined);
      await connection?.close();
    },
  };
  return slot;
}
