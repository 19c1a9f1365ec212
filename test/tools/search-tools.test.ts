/** list, glob and grep over a real tree with a .gitignore (and no git repository: the ignore file still counts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '../../src/tools/tool.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { callTool, makeToolWorkspace, type ToolWorkspace } from './tool-workspace.js';

let fixture: ToolWorkspace;
let tools: Tool[];

beforeAll(() => {
  fixture = makeToolWorkspace();
  fixture.write({
    '.gitignore': 'node_modules/\ndist/\n*.log\n',
    'README.md': '# Demo\nTODO: write docs\n',
    'src/index.ts': "import { add } from './math.js';\n// todo: more\nexport const total = add(1, 2);\n",
    'src/math.ts': 'export function add(a: number, b: number) {\n  return a + b; // TODO check overflow\n}\n',
    'src/util/strings.ts': 'export const greet = (name: string) => name.toUpperCase();\n',
    'test/math.test.ts': "import { add } from '../src/math.js';\n// TODO: property tests\n",
    '.github/workflows/ci.yml': 'on: push # TODO cache\n',
    'node_modules/pkg/index.js': '// TODO ignored\n',
    'dist/index.js': '// TODO ignored\n',
    'debug.log': 'TODO ignored\n',
    '.git/HEAD': 'ref: refs/heads/main # TODO never shown\n',
  });
  tools = createWorkspaceTools();
});
afterAll(() => fixture.cleanup());

const call = (name: string, input: unknown, toolList = tools) =>
  callTool(toolList, name, input, fixture.workspace);

describe('list', () => {
  it('shows a tree with sizes and counts, honouring .gitignore', async () => {
    expect((await call('list', {})).output).toBe(
      [
        './: 7 files (depth 2)',
        '.github/ (1 file)',
        '  workflows/ (1 file)',
        'src/ (3 files)',
        '  util/ (1 file)',
        '  index.ts (79 B)',
        '  math.ts (85 B)',
        'test/ (1 file)',
        '  math.test.ts (62 B)',
        '.gitignore (26 B)',
        'README.md (24 B)',
      ].join('\n'),
    );
  });

  it('lists a subdirectory to the requested depth', async () => {
    expect((await call('list', { path: 'src', depth: 1 })).output).toBe(
      ['src/: 3 files (depth 1)', 'util/ (1 file)', 'index.ts (79 B)', 'math.ts (85 B)'].join('\n'),
    );
  });

  it('lists an ignored directory when asked for it by name', async () => {
    expect((await call('list', { path: 'node_modules', depth: 3 })).output).toBe(
      ['node_modules/: 1 file (depth 3)', 'pkg/ (1 file)', '  index.js (16 B)'].join('\n'),
    );
  });

  it('describes a file instead of listing it', async () => {
    expect((await call('list', { path: 'README.md' })).output).toBe(
      'README.md is a file (24 B); use read to see its content',
    );
  });
});

describe('glob', () => {
  it('finds files by pattern, sorted, honouring .gitignore', async () => {
    expect((await call('glob', { pattern: '**/*.ts' })).output).toBe(
      ['src/index.ts', 'src/math.ts', 'src/util/strings.ts', 'test/math.test.ts'].join('\n'),
    );
    expect((await call('glob', { pattern: '*.js' })).output).toMatch(/^no files match "\*\.js"/);
    expect((await call('glob', { pattern: '*.yml' })).output).toBe('.github/workflows/ci.yml');
  });

  it('matches patterns with a slash from the workspace root, within a path', async () => {
    expect((await call('glob', { pattern: 'src/*/*.ts' })).output).toBe('src/util/strings.ts');
    expect((await call('glob', { pattern: '*.ts', path: 'test' })).output).toBe('test/math.test.ts');
  });

  it('cuts a long result and says how many were left out', async () => {
    const big = makeToolWorkspace();
    try {
      big.write(
        Object.fromEntries(
          Array.from({ length: 400 }, (_, index) => [`f/${String(index).padStart(3, '0')}.txt`, '']),
        ),
      );
      const result = await callTool(
        createWorkspaceTools({ outputLimitBytes: 2048 }),
        'glob',
        { pattern: '*.txt' },
        big.workspace,
      );
      expect(result.output.startsWith('f/000.txt\nf/001.txt\n')).toBe(true);
      expect(result.output).toMatch(/\[showing \d+ of 400 files; narrow the pattern or the path\]$/);
      expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(2048);
    } finally {
      big.cleanup();
    }
  });
});

describe('grep', () => {
  it('returns path:line: text, sorted, honouring .gitignore and never showing .git', async () => {
    expect((await call('grep', { pattern: 'TODO' })).output).toBe(
      [
        '.github/workflows/ci.yml:1: on: push # TODO cache',
        'README.md:2: TODO: write docs',
        'src/math.ts:2:   return a + b; // TODO check overflow',
        'test/math.test.ts:2: // TODO: property tests',
      ].join('\n'),
    );
  });

  it('can ignore case, filter by glob, and search one path', async () => {
    expect(
      (await call('grep', { pattern: 'todo', ignore_case: true, glob: '*.ts', path: 'src' })).output,
    ).toBe(
      ['src/index.ts:2: // todo: more', 'src/math.ts:2:   return a + b; // TODO check overflow'].join('\n'),
    );
  });

  it('searches literally when asked', async () => {
    expect((await call('grep', { pattern: 'a + b', literal: true })).output).toBe(
      'src/math.ts:2:   return a + b; // TODO check overflow',
    );
  });

  it('reports no matches and invalid regexes', async () => {
    expect(await call('grep', { pattern: 'nothing-like-this' })).toEqual({
      isError: false,
      output: 'no matches for "nothing-like-this"',
    });
    expect(await call('grep', { pattern: 'add(' })).toMatchObject({
      isError: true,
      output: expect.stringMatching(/^grep "add\(" failed: .*regex parse error/s),
    });
  });

  it('stops at the output cap and says how to narrow the search', async () => {
    const big = makeToolWorkspace();
    try {
      big.write({ 'many.txt': Array.from({ length: 5_000 }, (_, index) => `match ${index}`).join('\n') });
      const result = await callTool(
        createWorkspaceTools({ outputLimitBytes: 2048 }),
        'grep',
        { pattern: 'match' },
        big.workspace,
      );
      expect(result.output.startsWith('many.txt:1: match 0\n')).toBe(true);
      expect(result.output).toMatch(
        /\[output limit reached after \d+ matching lines; narrow the search with path or glob\]$/,
      );
    } finally {
      big.cleanup();
    }
  });

  it('stops a search when the phase is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const result = await callTool(tools, 'grep', { pattern: 'TODO' }, fixture.workspace, controller.signal);
    expect(result.isError).toBe(true);
  });
});
