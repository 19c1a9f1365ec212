/**
 * One live connection to an MCP server, through the official SDK (loaded on first use, so commands that use no
 * MCP server never load it). A stdio server starts with a minimal environment plus the values the configuration
 * gives it — read from the caller's environment here, never stored — and its stderr is kept, not printed.
 */
import type { McpServerSettings, McpValue } from '../../config/types.js';

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface McpCallOutcome {
  text: string;
  isError: boolean;
}

export interface McpConnection {
  listTools(signal: AbortSignal): Promise<McpToolInfo[]>;
  callTool(tool: string, input: Record<string, unknown>, signal: AbortSignal): Promise<McpCallOutcome>;
  /** False once the transport closed (the server exited or the connection dropped). */
  readonly open: boolean;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Where `from_env` values are read; default `process.env`. */
  env: Record<string, string | undefined>;
  /** The directory a stdio server starts in unless the configuration names one. */
  workspace: string;
  signal: AbortSignal;
}

const CLIENT_INFO = { name: 'phasewise', version: '0.1.0' };

export async function connectMcpServer(
  name: string,
  settings: McpServerSettings,
  options: ConnectOptions,
): Promise<McpConnection> {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const client = new Client(CLIENT_INFO);
  let open = true;
  client.onclose = () => {
    open = false;
  };
  const transport = await createTransport(name, settings, options);
  await client.connect(transport, { signal: options.signal, timeout: settings.timeoutMs });
  return {
    get open() {
      return open;
    },
    async listTools(signal) {
      const tools: McpToolInfo[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor === undefined ? {} : { cursor }, {
          signal,
          timeout: settings.timeoutMs,
        });
        for (const tool of page.tools) {
          tools.push({
            name: tool.name,
            description: tool.description ?? '',
            inputSchema: tool.inputSchema as Record<string, unknown>,
          });
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return tools;
    },
    async callTool(tool, input, signal) {
      const result = await client.callTool({ name: tool, arguments: input }, undefined, {
        signal,
        timeout: settings.timeoutMs,
      });
      return { text: resultText(result), isError: result.isError === true };
    },
    async close() {
      open = false;
      await client.close().catch(() => undefined);
    },
  };
}

async function createTransport(name: string, settings: McpServerSettings, options: ConnectOptions) {
  if (settings.transport === 'http') {
    const { StreamableHTTPClientTransport } = await import(
      '@modelcontextprotocol/sdk/client/streamableHttp.js'
    );
    const headers = valuesOf(name, 'header', settings.headers, options.env);
    return new StreamableHTTPClientTransport(new URL(settings.url), { requestInit: { headers } });
  }
  const { StdioClientTransport, getDefaultEnvironment } = await import(
    '@modelcontextprotocol/sdk/client/stdio.js'
  );
  return new StdioClientTransport({
    command: settings.command,
    args: settings.args,
    // Only the basics (PATH, HOME…) and what the configuration gives: never the caller's API keys.
    env: { ...getDefaultEnvironment(), ...valuesOf(name, 'env', settings.env, options.env) },
    cwd: settings.cwd ?? options.workspace,
    stderr: 'ignore',
  });
}

/** The configured values, those `from_env` read now; a missing variable is an error naming it, not its value. */
function valuesOf(
  server: string,
  what: string,
  values: Record<string, McpValue>,
  env: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => {
      if ('literal' in value) return [key, value.literal];
      const found = env[value.fromEnv];
      if (found === undefined || found === '') {
        throw new Error(
          `MCP server "${server}" needs the environment variable ${value.fromEnv} (for its ${what} ${key}), which is not set`,
        );
      }
      return [key, `${value.prefix ?? ''}${found}`];
    }),
  );
}

/** A tool result as text: text parts as they are, other content named by its type. */
function resultText(
  result: Awaited<ReturnType<import('@modelcontextprotocol/sdk/client/index.js').Client['callTool']>>,
): string {
  const parts: string[] = [];
  const content = Array.isArray(result.content) ? result.content : [];
  for (const part of content as Array<{ type: string; text?: string; uri?: string; mimeType?: string }>) {
    if (part.type === 'text' && typeof part.text === 'string') parts.push(part.text);
    else if (part.type === 'resource_link') parts.push(`[resource ${part.uri ?? ''}]`);
    else
      parts.push(`[${part.type} content${part.mimeType === undefined ? '' : ` (${part.mimeType})`} omitted]`);
  }
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent, null, 2));
  }
  return parts.join('\n');
}
