/**
 * The run's MCP servers: each started when a phase of a role that uses it starts (its tool list is what the model
 * is offered), kept for the run, and closed at its end. A server that exits, or is stopped after a call timed out,
 * is started again on its next use — at most `MAX_STARTS` times (`server-slot.ts`) in a run, after which its tools answer that it is
 * unavailable. Tool calls become tools of the agent (`mcp-tool.ts`), journaled like every other.
 */
import type { AgentDefinition, McpServerSettings } from '../../config/types.js';
import { isReadOnlyMcpTool, isReadOnlyRole } from '../../util/mcp-read-only.js';
import type { Redactor } from '../../util/redact.js';
import { DEFAULT_OUTPUT_LIMIT_BYTES } from '../output-limit.js';
import type { Tool } from '../tool.js';
import type { McpToolInfo } from './mcp-connection.js';
import { createMcpTool } from './mcp-tool.js';
import { roleTakesTool, serversNamed } from './mcp-tool-names.js';
import { type ServerSlot, serverSlot } from './server-slot.js';

export interface McpServersOptions {
  servers: Record<string, McpServerSettings>;
  /** The workspace: where stdio servers start unless configured otherwise. */
  workspace: string;
  /** Where `from_env` values are read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Applied to every tool result (and error) before the model or the journal sees it. */
  redactor?: Redactor;
  outputLimitBytes?: number;
}

export interface McpServers {
  /** The MCP tools a role opted in to, its servers started as needed; read-only roles get read-only tools only. */
  toolsFor(agent: AgentDefinition, abortSignal: AbortSignal): Promise<Tool[]>;
  /** Closes every server started (stdio servers' processes end); safe to call more than once. */
  close(): Promise<void>;
}

export function createMcpServers(options: McpServersOptions): McpServers {
  const slots = new Map<string, ServerSlot>();
  const listings = new Map<string, Promise<McpToolInfo[]>>();
  const env = options.env ?? process.env;
  const settings = {
    outputLimitBytes: options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT_BYTES,
    redactor: options.redactor,
  };
  const slotOf = (name: string): ServerSlot => {
    let slot = slots.get(name);
    if (slot === undefined) {
      slot = serverSlot(name, options.servers[name]!, { env, workspace: options.workspace });
      slots.set(name, slot);
    }
    return slot;
  };
  const listingOf = (name: string, signal: AbortSignal): Promise<McpToolInfo[]> => {
    let listing = listings.get(name);
    if (listing === undefined) {
      listing = slotOf(name)
        .connect(signal)
        .then((connection) => connection.listTools(signal));
      // A failed listing is tried again by the next phase that needs the server.
      listing.catch(() => listings.delete(name));
      listings.set(name, listing);
    }
    return listing;
  };
  return {
    async toolsFor(agent, abortSignal) {
      const patterns = agent.mcpTools ?? [];
      const tools: Tool[] = [];
      for (const name of serversNamed(patterns)) {
        const server = options.servers[name];
        if (server === undefined) continue;
        for (const info of await listingOf(name, abortSignal)) {
          if (!roleTakesTool(patterns, name, info.name)) continue;
          const readOnly = isReadOnlyMcpTool(server, info.name);
          if (isReadOnlyRole(agent) && !readOnly) continue;
          tools.push(createMcpTool({ slot: slotOf(name), info, readOnly, settings }));
        }
      }
      return tools;
    },
    async close() {
      const open = [...slots.values()];
      slots.clear();
      listings.clear();
      await Promise.all(open.map((slot) => slot.discard()));
    },
  };
}
