/** `mcp_servers:` and roles' `tools:`: resolved with secrets kept as variable names, and bad entries refused. */
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { issueAt, lines, loadYaml, rejectionOf, where, writeConfig } from './config-files.js';

const SERVERS = [
  'mcp_servers:',
  '  github:',
  '    command: npx',
  '    args: [-y, "@modelcontextprotocol/server-github"]',
  '    env: { GITHUB_PERSONAL_ACCESS_TOKEN: { from_env: GITHUB_TOKEN }, LOG_LEVEL: warn }',
  '    read_only_tools: [get_*, search_*]',
  '  docs:',
  '    url: https://mcp.example.com/mcp',
  '    headers: { Authorization: { from_env: DOCS_TOKEN, prefix: "Bearer " } }',
  '    timeout: 30s',
  '    read_only: true',
];

describe('mcp_servers', () => {
  it('resolves stdio and HTTP servers, keeping only the names of the variables that hold secrets', () => {
    const workflow = loadYaml(
      lines(
        ...SERVERS,
        'agents:',
        '  implementation: { tools: [github.*, docs.search] }',
        '  research: { tools: [github.get_issue, docs.*] }',
      ),
    );
    expect(workflow.mcpServers).toEqual({
      github: {
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: { fromEnv: 'GITHUB_TOKEN' }, LOG_LEVEL: { literal: 'warn' } },
        timeoutMs: 60_000,
        readOnly: false,
        readOnlyTools: ['get_*', 'search_*'],
      },
      docs: {
        transport: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: { fromEnv: 'DOCS_TOKEN', prefix: 'Bearer ' } },
        timeoutMs: 30_000,
        readOnly: true,
        readOnlyTools: [],
      },
    });
    expect(workflow.agents.implementation?.mcpTools).toEqual(['github.*', 'docs.search']);
    expect(workflow.agents.research?.mcpTools).toEqual(['github.get_issue', 'docs.*']);
    // The built-in roles keep their prompts; a role that names no tools has none.
    expect(workflow.agents.research?.prompt).toBe(loadYaml('version: 1\n').agents.research?.prompt);
    expect(workflow.agents.planning).not.toHaveProperty('mcpTools');
  });

  it('leaves a configuration without servers as it was', () => {
    expect(loadYaml('version: 1\n')).not.toHaveProperty('mcpServers');
  });

  it('refuses a role naming an unknown server, at its line', () => {
    const { error } = rejectionOf(lines(...SERVERS, 'agents:', '  review: { tools: [gitlab.create_issue] }'));
    const issue = issueAt(error, 'agents.review.tools[0]');
    expect(issue.message).toBe('unknown MCP server `gitlab` in `gitlab.create_issue`');
    expect(issue.hint).toBe('the configured servers are: github, docs');
    expect(where(issue)).toMatch(/^phasewise\.yaml:13:\d+$/);
  });

  it('refuses a read-only role given a tool the configuration does not mark read-only', () => {
    const { error } = rejectionOf(
      lines(
        ...SERVERS,
        'agents:',
        '  research:',
        '    tools: [github.get_issue, github.create_issue, github.*]',
      ),
    );
    expect(() => issueAt(error, 'agents.research.tools[0]')).toThrow();
    expect(issueAt(error, 'agents.research.tools[1]').message).toBe(
      'role `research` is read-only, but `github.create_issue` is not marked read-only by the configuration',
    );
    expect(issueAt(error, 'agents.research.tools[2]').hint).toContain('read_only: true');
    expect(where(issueAt(error, 'agents.research.tools[1]'))).toMatch(/^phasewise\.yaml:14:\d+$/);
  });

  it.each([
    ['    url: ftp://example.com/mcp', 'mcp_servers.x.url', 'expected an http:// or https:// URL'],
    ['    command: ""', 'mcp_servers.x.command', 'must not be empty'],
    [
      '    command: run\n    env: { TOKEN: { from_env: "not a name" } }',
      'mcp_servers.x.env.TOKEN.from_env',
      'expected the name of an environment variable',
    ],
    ['    command: run\n    timeout: soon', 'mcp_servers.x.timeout', '"soon" is not a duration'],
    ['    read_only: true', 'mcp_servers.x', 'expected either `command` (a stdio server) or `url`'],
    [
      '    url: http://127.0.0.1/mcp\n    args: [a]',
      'mcp_servers.x.args',
      '`args` belongs to a stdio server',
    ],
    [
      '    command: run\n    headers: { A: b }',
      'mcp_servers.x.headers',
      '`headers` belongs to an HTTP server',
    ],
  ])('refuses %s', (entry, path, message) => {
    const { error } = rejectionOf(lines('mcp_servers:', '  x:', entry));
    const issue = issueAt(error, path);
    expect(issue.message).toContain(message);
    expect(where(issue)).toMatch(/^phasewise\.yaml:\d+:\d+$/);
  });

  it('refuses a tool entry that is not server.tool', () => {
    const { error } = rejectionOf(lines(...SERVERS, 'agents:', '  review: { tools: [create_issue] }'));
    expect(issueAt(error, 'agents.review.tools[0]').message).toContain(
      'expected an MCP tool as `server.tool`',
    );
  });
});

describe('phasewise validate with mcp_servers', () => {
  it('exits 2 with file:line:col for a role naming an unknown server, and starts no server', () => {
    const { dir } = writeConfig(
      lines(
        'mcp_servers:',
        '  docs: { url: "http://127.0.0.1:9/mcp", read_only: true }',
        'agents:',
        '  research: { tools: [docs.search, wiki.read] }',
      ),
    );
    const result = cli(['validate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /phasewise\.yaml:4:\d+: agents\.research\.tools\[1\]: unknown MCP server `wiki` in `wiki\.read`/,
    );
    expect(result.stderr).toContain('the configured servers are: docs');
  });
});

describe('phasewise validate names the MCP servers and the roles that use them', () => {
  it('prints each server, the variables it reads (never their values) and each role’s tools', () => {
    const { dir } = writeConfig(
      lines(
        ...SERVERS,
        'agents:',
        '  implementation: { tools: [github.*, docs.search] }',
        '  research: { tools: [github.get_issue] }',
      ),
    );
    const result = cli(['validate'], { cwd: dir, env: { GITHUB_TOKEN: 'ghp_notprintedvalue123' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'mcp server: github: stdio `npx -y @modelcontextprotocol/server-github`, reads GITHUB_TOKEN; read-only: get_*, search_*; a call times out after 1m',
    );
    expect(result.stdout).toContain(
      'mcp server: docs: HTTP https://mcp.example.com/mcp, reads DOCS_TOKEN; read-only: all tools',
    );
    expect(result.stdout).toContain('mcp tools of implementation: github.*, docs.search');
    expect(result.stdout).toContain('mcp tools of research: github.get_issue');
    expect(result.stdout).not.toContain('ghp_notprintedvalue123');
  });
});
