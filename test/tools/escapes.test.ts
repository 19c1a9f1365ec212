/**
 * No path outside the workspace can be read or written, by any tool: `..`, absolute paths, links to files and
 * directories outside, a linked parent directory, dangling links; and nothing is written into .git/ or
 * .phasewise/. Every refusal is a result the model can act on, never an exception.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '../../src/tools/tool.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { callTool, makeToolWorkspace, OUTSIDE_SECRET, type ToolWorkspace } from './tool-workspace.js';

let fixture: ToolWorkspace;
let tools: Tool[];

beforeAll(() => {
  fixture = makeToolWorkspace();
  fixture.write({
    'inside.txt': 'inside\n',
    'src/app.ts': 'export const app = 1;\n',
    '.git/config': '[core]\n',
  });
  symlinkSync(join(fixture.outside, 'secret.txt'), join(fixture.workspace, 'link-file'));
  symlinkSync(join(fixture.outside, 'dir'), join(fixture.workspace, 'link-dir'));
  symlinkSync('../../outside/dir', join(fixture.workspace, 'src', 'relative-link-dir'));
  symlinkSync(join(fixture.outside, 'missing.txt'), join(fixture.workspace, 'dangling'));
  tools = createWorkspaceTools();
});
afterAll(() => fixture.cleanup());

const escapes: Array<[string, string]> = [
  ['a parent-relative path', '../outside/secret.txt'],
  ['the parent directory', '..'],
  ['an absolute path', '/etc/passwd'],
  ['an absolute path to the workspace itself', '/tmp'],
  ['a path that climbs out through a subdirectory', 'src/../../outside/secret.txt'],
  ['a home-directory path', '~/.ssh/id_rsa'],
  ['a link to a file outside', 'link-file'],
  ['a link to a directory outside', 'link-dir'],
  ['a file under a linked parent directory', 'link-dir/secret.txt'],
  ['a new file under a linked parent directory', 'link-dir/new.txt'],
  ['a relative link deeper in the tree', 'src/relative-link-dir/secret.txt'],
  ['a dangling link', 'dangling'],
];

const inputs: Record<string, (path: string) => Record<string, unknown>> = {
  read: (path) => ({ path }),
  write: (path) => ({ path, content: 'pwned' }),
  edit: (path) => ({ path, old: 'OUTSIDE', new: 'pwned' }),
  list: (path) => ({ path }),
  glob: (path) => ({ pattern: '*', path }),
  grep: (path) => ({ pattern: 'OUTSIDE', path }),
};

describe.each(Object.keys(inputs))('%s refuses to leave the workspace', (toolName) => {
  it.each(escapes)('through %s (%s)', async (_label, path) => {
    const result = await callTool(tools, toolName, inputs[toolName]!(path), fixture.workspace);
    expect(result.isError).toBe(true);
    expect(result.output).not.toContain(OUTSIDE_SECRET);
    expect(result.output).not.toContain('root:');
    expect(result.output).toMatch(/outside the workspace|absolute|home directory|symbolic link/);
    expect(readFileSync(join(fixture.outside, 'secret.txt'), 'utf8')).toBe(`${OUTSIDE_SECRET}\n`);
    expect(fixture.outsideListing()).toEqual(['dir', 'dir/secret.txt', 'secret.txt']);
  });
});

describe('refusals tell the model what to do', () => {
  it('names the path and asks for one relative to the workspace root', async () => {
    const result = await callTool(tools, 'read', { path: '../x' }, fixture.workspace);
    expect(result).toEqual({
      isError: true,
      output:
        'path "../x" is outside the workspace; use a path relative to the workspace root (for example "src/index.ts")',
    });
  });
});

describe('searches over the whole workspace do not follow links outward', () => {
  it('grep finds nothing behind links', async () => {
    const result = await callTool(tools, 'grep', { pattern: 'OUTSIDE' }, fixture.workspace);
    expect(result.output).toBe('no matches for "OUTSIDE"');
  });

  it('glob and list do not show files behind links', async () => {
    const glob = await callTool(tools, 'glob', { pattern: '**/secret.txt' }, fixture.workspace);
    expect(glob.output).toMatch(/^no files match/);
    const list = await callTool(tools, 'list', { path: '.', depth: 6 }, fixture.workspace);
    expect(list.output).not.toContain('secret.txt');
  });
});

describe('protected directories', () => {
  it.each([
    ['.git/config', 'write'],
    ['.git/hooks/pre-commit', 'write'],
    ['.phasewise/journal.db', 'write'],
    // The user's workflow templates govern the next run (docs/templates.md).
    ['.phasewise/templates/bugfix.yaml', 'write'],
    ['.git/config', 'edit'],
    ['sub/.git/config', 'write'],
    ['.GIT/config', 'write'],
  ])('refuses %s through %s', async (path, toolName) => {
    const input = toolName === 'write' ? { path, content: 'x' } : { path, old: '[core]', new: 'x' };
    const result = await callTool(tools, toolName, input, fixture.workspace);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/which tools may not change/);
    expect(fixture.read('.git/config')).toBe('[core]\n');
  });

  it('refuses a link into .git for write', async () => {
    mkdirSync(join(fixture.workspace, 'docs'), { recursive: true });
    symlinkSync('../.git', join(fixture.workspace, 'docs', 'git-link'));
    const result = await callTool(
      tools,
      'write',
      { path: 'docs/git-link/config', content: 'x' },
      fixture.workspace,
    );
    expect(result.isError).toBe(true);
    expect(fixture.read('.git/config')).toBe('[core]\n');
  });

  it('still lets read tools look inside .git', async () => {
    const result = await callTool(tools, 'read', { path: '.git/config' }, fixture.workspace);
    expect(result).toEqual({ isError: false, output: '     1\t[core]' });
  });
});

describe('paths inside the workspace are fine, however they are written', () => {
  it.each(['inside.txt', './inside.txt', 'src/../inside.txt', 'src//../inside.txt'])('%s', async (path) => {
    const result = await callTool(tools, 'read', { path }, fixture.workspace);
    expect(result).toEqual({ isError: false, output: '     1\tinside' });
  });

  it('a link that stays inside the workspace is followed', async () => {
    symlinkSync('inside.txt', join(fixture.workspace, 'inner-link'));
    const result = await callTool(tools, 'read', { path: 'inner-link' }, fixture.workspace);
    expect(result).toEqual({ isError: false, output: '     1\tinside' });
  });
});
