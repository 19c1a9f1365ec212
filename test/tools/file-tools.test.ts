/** read, write and edit on real files: ranges, caps, binary files, exact-match edits, atomic writes. */
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tool } from '../../src/tools/tool.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { callTool, makeToolWorkspace, type ToolWorkspace } from './tool-workspace.js';

let fixture: ToolWorkspace;
let tools: Tool[];

beforeEach(() => {
  fixture = makeToolWorkspace();
  tools = createWorkspaceTools();
});
afterEach(() => fixture.cleanup());

const call = (name: string, input: unknown, toolList = tools) =>
  callTool(toolList, name, input, fixture.workspace);
const numbered = (from: number, to: number) =>
  Array.from(
    { length: to - from + 1 },
    (_, index) => `${String(from + index).padStart(6)}\tline ${from + index}`,
  );

describe('read', () => {
  beforeEach(() => {
    fixture.write({
      'lines.txt': `${Array.from({ length: 50 }, (_, index) => `line ${index + 1}`).join('\n')}\n`,
    });
  });

  it('numbers every line of a short file', async () => {
    fixture.write({ 'a.ts': 'const a = 1;\r\nconst b = 2;' });
    expect(await call('read', { path: 'a.ts' })).toEqual({
      isError: false,
      output: '     1\tconst a = 1;\n     2\tconst b = 2;',
    });
  });

  it('shows a range and says where to continue', async () => {
    const result = await call('read', { path: 'lines.txt', offset: 10, limit: 3 });
    expect(result.output).toBe(
      [
        ...numbered(10, 12),
        '[line limit reached: showed lines 10–12 of 50 lines; continue with offset=13]',
      ].join('\n'),
    );
  });

  it('shows the end of a file without a continuation note', async () => {
    const result = await call('read', { path: 'lines.txt', offset: 49 });
    expect(result.output).toBe(numbered(49, 50).join('\n'));
  });

  it('says when the offset is past the end', async () => {
    expect((await call('read', { path: 'lines.txt', offset: 80 })).output).toBe(
      'the file has 50 lines; offset 80 is past its end',
    );
  });

  it('stops at the output cap and says where to continue', async () => {
    const long = Array.from({ length: 2_000 }, (_, index) => `${'x'.repeat(60)} ${index + 1}`).join('\n');
    fixture.write({ 'long.txt': long });
    const capped = createWorkspaceTools({ outputLimitBytes: 4096 });
    const result = await call('read', { path: 'long.txt' }, capped);
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(4096);
    expect(result.output).toMatch(
      /\[output limit reached: showed lines 1–\d+ of 2000 lines; continue with offset=\d+\]$/,
    );
  });

  it('cuts very long lines', async () => {
    fixture.write({ 'min.js': 'a'.repeat(5_000) });
    const result = await call('read', { path: 'min.js' });
    expect(result.output).toMatch(/^ {5}1\ta{2000}… \[line cut at 2000 characters\]$/);
  });

  it('refuses binary files', async () => {
    writeFileSync(
      join(fixture.workspace, 'image.png'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
    );
    expect(await call('read', { path: 'image.png' })).toEqual({
      isError: true,
      output: '"image.png" is a binary file (it contains NUL bytes); read shows text files only',
    });
  });

  it('handles empty files, directories and missing files', async () => {
    fixture.write({ 'empty.txt': '', 'dir/x.txt': 'x' });
    expect((await call('read', { path: 'empty.txt' })).output).toBe('(empty file)');
    expect((await call('read', { path: 'dir' })).output).toMatch(/is a directory; use the list tool/);
    expect((await call('read', { path: 'missing.txt' })).output).toMatch(/does not exist; use list or glob/);
  });

  it('rejects invalid input with a message naming the field', async () => {
    expect(await call('read', { path: 'lines.txt', offset: 0 })).toMatchObject({
      isError: true,
      output: expect.stringMatching(/^invalid input for read: offset: /),
    });
  });
});

describe('write', () => {
  it('creates a file and its missing parent directories', async () => {
    expect(await call('write', { path: 'src/deep/new.ts', content: 'export {};\n' })).toEqual({
      isError: false,
      output: 'created src/deep/new.ts (11 bytes)',
    });
    expect(fixture.read('src/deep/new.ts')).toBe('export {};\n');
  });

  it('overwrites a file, keeps its mode, and leaves no temporary file', async () => {
    fixture.write({ 'run.sh': 'echo old\n' });
    chmodSync(join(fixture.workspace, 'run.sh'), 0o755);
    expect((await call('write', { path: 'run.sh', content: 'echo new\n' })).output).toBe(
      'overwrote run.sh (9 bytes)',
    );
    expect(fixture.read('run.sh')).toBe('echo new\n');
    expect(statSync(join(fixture.workspace, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(readdirSync(fixture.workspace)).toEqual(['run.sh']);
  });

  it('refuses to write over a directory or through a file used as a directory', async () => {
    fixture.write({ 'dir/x.txt': 'x', 'file.txt': 'f' });
    expect((await call('write', { path: 'dir', content: 'x' })).output).toMatch(/is a directory/);
    expect((await call('write', { path: 'file.txt/inner.txt', content: 'x' })).output).toMatch(
      /goes through a file as if it were a directory/,
    );
  });
});

describe('edit', () => {
  beforeEach(() => fixture.write({ 'app.ts': 'const a = 1;\nconst b = 1;\nconst c = 2;\n' }));

  it('replaces a unique string', async () => {
    expect(await call('edit', { path: 'app.ts', old: 'const c = 2;', new: 'const c = 3;' })).toEqual({
      isError: false,
      output: 'edited app.ts: replaced 1 occurrence',
    });
    expect(fixture.read('app.ts')).toBe('const a = 1;\nconst b = 1;\nconst c = 3;\n');
  });

  it('refuses a string that occurs more than once, unless replace_all', async () => {
    const ambiguous = await call('edit', { path: 'app.ts', old: '= 1;', new: '= 9;' });
    expect(ambiguous).toEqual({
      isError: true,
      output:
        '"old" occurs 2 times in "app.ts"; include more surrounding lines so it is unique, or set replace_all to ' +
        'replace every occurrence',
    });
    expect(fixture.read('app.ts')).toBe('const a = 1;\nconst b = 1;\nconst c = 2;\n');
    expect((await call('edit', { path: 'app.ts', old: '= 1;', new: '= 9;', replace_all: true })).output).toBe(
      'edited app.ts: replaced 2 occurrences',
    );
    expect(fixture.read('app.ts')).toBe('const a = 9;\nconst b = 9;\nconst c = 2;\n');
  });

  it('explains a string that does not occur', async () => {
    expect(await call('edit', { path: 'app.ts', old: 'const d', new: 'x' })).toEqual({
      isError: true,
      output: '"old" was not found in "app.ts"; read the file again to see its current content',
    });
    expect((await call('edit', { path: 'app.ts', old: 'const  a =\n1;', new: 'x' })).output).toMatch(
      /different whitespace or indentation/,
    );
    expect((await call('edit', { path: 'app.ts', old: '     1\tconst a = 1;', new: 'x' })).output).toMatch(
      /remove the line numbers/,
    );
  });

  it('inserts the new text literally ($& and $1 are not patterns)', async () => {
    await call('edit', { path: 'app.ts', old: 'const c = 2;', new: "const c = '$&$1';" });
    expect(fixture.read('app.ts')).toContain("const c = '$&$1';");
  });

  it('refuses a missing file and a no-op edit', async () => {
    expect((await call('edit', { path: 'nope.ts', old: 'a', new: 'b' })).output).toMatch(/does not exist/);
    expect((await call('edit', { path: 'app.ts', old: 'a', new: 'a' })).output).toMatch(/are the same/);
  });
});
