/** The names of MCP tools: what roles write (`server.tool`, globs) and what the model calls them. */
import { describe, expect, it } from 'vitest';
import { modelToolName, roleTakesTool, serversNamed } from '../../src/tools/mcp/mcp-tool-names.js';
import { isReadOnlyMcpTool, isReadOnlyRole } from '../../src/util/mcp-read-only.js';

describe('MCP tool names', () => {
  it('gives the model a name every provider accepts, within 64 characters', () => {
    expect(modelToolName('github', 'create_issue')).toBe('mcp__github__create_issue');
    expect(modelToolName('docs', 'search.v2/all')).toBe('mcp__docs__search_v2_all');
    expect(modelToolName('s', 'x'.repeat(100))).toHaveLength(64);
  });

  it('matches a role’s entries exactly or by glob, and takes nothing from an empty list', () => {
    expect(roleTakesTool(['github.get_issue'], 'github', 'get_issue')).toBe(true);
    expect(roleTakesTool(['github.get_issue'], 'github', 'get_issues')).toBe(false);
    expect(roleTakesTool(['github.*'], 'github', 'create_issue')).toBe(true);
    expect(roleTakesTool(['github.get_*'], 'github', 'create_issue')).toBe(false);
    expect(roleTakesTool(['github.*'], 'gitlab', 'create_issue')).toBe(false);
    expect(roleTakesTool([], 'github', 'create_issue')).toBe(false);
    expect(serversNamed(['github.a', 'github.*', 'docs.search'])).toEqual(['github', 'docs']);
  });

  it('counts a tool read-only when its server or its name is marked so, and a role read-only without write or run', () => {
    expect(isReadOnlyMcpTool({ readOnly: true, readOnlyTools: [] }, 'delete_repo')).toBe(true);
    expect(isReadOnlyMcpTool({ readOnly: false, readOnlyTools: ['get_*'] }, 'get_issue')).toBe(true);
    expect(isReadOnlyMcpTool({ readOnly: false, readOnlyTools: ['get_*'] }, 'create_issue')).toBe(false);
    expect(isReadOnlyMcpTool({ readOnly: false, readOnlyTools: [] }, 'get_issue')).toBe(false);
    expect(isReadOnlyRole({ permissions: ['read'] })).toBe(true);
    expect(isReadOnlyRole({ permissions: ['read', 'run'] })).toBe(false);
    expect(isReadOnlyRole({ permissions: ['read', 'write'] })).toBe(false);
  });
});
