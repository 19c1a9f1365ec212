/**
 * `phasewise mcp`: serves phasewise over MCP on stdio, so Claude Code, Cursor and other MCP clients can estimate,
 * start, watch, report on and answer runs in this workspace (docs/mcp.md). Nothing but the protocol is written
 * on stdout; the SDK is loaded only here.
 */
import { cliRunner } from '../mcp-server/cli-process.js';

export async function mcpCommand(): Promise<number> {
  const [{ McpServer }, { StdioServerTransport }, { registerRunTools }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/mcp.js'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('../mcp-server/run-tools.js'),
  ]);
  const workspace = process.cwd();
  const server = new McpServer({ name: 'phasewise', version: '0.1.0' });
  registerRunTools(server, { cli: cliRunner(workspace), workspace });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
  return 0;
}
