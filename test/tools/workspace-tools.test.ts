/** The tool set: names, permissions per role, published input schemas, and failures as results. */
import { describe, expect, it } from 'vitest';
import { toolsFor } from '../../src/tools/tool.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { callTool } from './tool-workspace.js';

const tools = createWorkspaceTools();
const names = (list: { name: string }[]) => list.map((tool) => tool.name);

describe('createWorkspaceTools', () => {
  it('gives read-only roles read tools, implementation write, verification run', () => {
    expect(names(tools)).toEqual(['list', 'glob', 'grep', 'read', 'write', 'edit', 'run_command']);
    expect(names(toolsFor(['read'], tools))).toEqual(['list', 'glob', 'grep', 'read']);
    expect(names(toolsFor(['read', 'write'], tools))).toEqual([
      'list',
      'glob',
      'grep',
      'read',
      'write',
      'edit',
    ]);
    expect(names(toolsFor(['read', 'run'], tools))).toEqual(['list', 'glob', 'grep', 'read', 'run_command']);
  });

  it('publishes each input as a JSON Schema object without a dialect marker', () => {
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.inputSchema).not.toHaveProperty('$schema');
      expect(tool.description.length).toBeGreaterThan(40);
    }
    const read = tools.find((tool) => tool.name === 'read')!;
    expect(read.inputSchema.required).toEqual(['path']);
    const run = tools.find((tool) => tool.name === 'run_command')!;
    expect(JSON.stringify(run.inputSchema)).toContain('default 120, at most 600');
  });

  it('answers bad input and a missing workspace with error results, never exceptions', async () => {
    expect(await callTool(tools, 'edit', { path: 'a.ts' }, '/tmp')).toMatchObject({
      isError: true,
      output: expect.stringMatching(/^invalid input for edit: old: .*; new: /),
    });
    expect(await callTool(tools, 'read', null, '/tmp')).toMatchObject({ isError: true });
    expect(await callTool(tools, 'list', {}, '/nonexistent/phasewise-workspace')).toEqual({
      isError: true,
      output: 'the workspace directory /nonexistent/phasewise-workspace does not exist or cannot be read',
    });
  });
});
