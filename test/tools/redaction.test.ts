/**
 * Planted secrets never come back out of a tool in clear: not from read, grep or run_command, not in error
 * messages; write refuses to destroy a secret by writing back the placeholder the model was shown, and no write
 * or edit puts a placeholder into a file that did not hold it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '../../src/tools/tool.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { createRedactor } from '../../src/util/redact.js';
import { callTool, makeToolWorkspace, type ToolWorkspace } from './tool-workspace.js';

// Assembled at run time so no secret scanner flags this file.
const ENV_KEY = ['sk', 'ant', 'api03', 'plantedEnvKey7Q2xW9vB4nM1'].join('-');
const DOTENV_VALUE = ['whsec', 'plantedDotenv5R8tY3uI'].join('_');
const SHAPED = `ghp_${'Ab1Cd2Ef3Gh4'.repeat(3)}`;

let fixture: ToolWorkspace;
let tools: Tool[];

beforeAll(() => {
  fixture = makeToolWorkspace();
  fixture.write({
    '.env': `WEBHOOK_SIGNING=${DOTENV_VALUE}\nPORT=3000\n`,
    'src/config.ts': `export const port = 3000;\n// copied by mistake: ${SHAPED}\n`,
    'notes.md': `the key is ${ENV_KEY}\n`,
    'src/plain.ts': 'export const plain = 1;\n',
    // A secret straddling the point where long lines are shortened (2,000 characters).
    'long.txt': `${'x'.repeat(1_990)} ${DOTENV_VALUE} tail\n`,
  });
  const redactor = createRedactor({ env: { ANTHROPIC_API_KEY: ENV_KEY }, workspace: fixture.workspace });
  tools = createWorkspaceTools({ redactor, env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: ENV_KEY } });
});
afterAll(() => fixture.cleanup());

const call = (name: string, input: unknown) => callTool(tools, name, input, fixture.workspace);
const planted = [ENV_KEY, DOTENV_VALUE, SHAPED];

function readIfExists(path: string): string | undefined {
  return existsSync(join(fixture.workspace, path)) ? fixture.read(path) : undefined;
}

function expectClean(output: string): void {
  for (const secret of planted) expect(output).not.toContain(secret);
}

describe('tool outputs are redacted', () => {
  it('redacts a long line before shortening it, so no part of a secret shows', async () => {
    for (const output of [
      (await call('read', { path: 'long.txt' })).output,
      (await call('grep', { pattern: 'tail', path: '.' })).output,
    ]) {
      expect(output).not.toContain(DOTENV_VALUE.slice(0, 8));
    }
  });

  it('read', async () => {
    const env = await call('read', { path: '.env' });
    expect(env.output).toBe('     1\tWEBHOOK_SIGNING=[REDACTED:WEBHOOK_SIGNING]\n     2\tPORT=3000');
    expect((await call('read', { path: 'notes.md' })).output).toBe(
      '     1\tthe key is [REDACTED:ANTHROPIC_API_KEY]',
    );
    expect((await call('read', { path: 'src/config.ts' })).output).toContain(
      '// copied by mistake: [REDACTED]',
    );
  });

  it('grep', async () => {
    const result = await call('grep', { pattern: 'key|whsec|ghp_|WEBHOOK' });
    expectClean(result.output);
    expect(result.output).toContain('notes.md:1: the key is [REDACTED:ANTHROPIC_API_KEY]');
  });

  it('run_command, whatever the command prints', async () => {
    const result = await call('run_command', { command: `cat .env notes.md src/config.ts; echo ${SHAPED}` });
    expectClean(result.output);
    expect(result.output).toContain('WEBHOOK_SIGNING=[REDACTED:WEBHOOK_SIGNING]');
  });

  it('error messages that echo the input', async () => {
    const result = await call('read', { path: `missing-${ENV_KEY}.txt` });
    expect(result.isError).toBe(true);
    expectClean(result.output);
  });
});

describe('placeholders are never written back over secrets', () => {
  it('write refuses to replace a file holding secrets with content carrying a placeholder', async () => {
    const result = await call('write', {
      path: '.env',
      content: 'WEBHOOK_SIGNING=[REDACTED:WEBHOOK_SIGNING]\nPORT=4000\n',
    });
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/holds secret values that were shown to you as \[REDACTED\]/);
    expect(fixture.read('.env')).toBe(`WEBHOOK_SIGNING=${DOTENV_VALUE}\nPORT=3000\n`);
  });

  it('edit around the secret works; an edit whose old text holds a placeholder is explained', async () => {
    expect((await call('edit', { path: '.env', old: 'PORT=3000', new: 'PORT=4000' })).isError).toBe(false);
    expect(fixture.read('.env')).toBe(`WEBHOOK_SIGNING=${DOTENV_VALUE}\nPORT=4000\n`);
    const result = await call('edit', {
      path: '.env',
      old: 'WEBHOOK_SIGNING=[REDACTED:WEBHOOK_SIGNING]',
      new: 'X=1',
    });
    expect(result.output).toMatch(
      /contains a \[REDACTED\] placeholder, which stands for a secret you were not shown/,
    );
  });
});

describe('no placeholder is written into a file that does not hold it', () => {
  it.each([
    ['write, a new file', 'write', { path: 'docs/new.md', content: 'key: [REDACTED:ANTHROPIC_API_KEY]\n' }],
    ['write, over a file', 'write', { path: 'src/plain.ts', content: 'export const key = "[REDACTED]";\n' }],
    ['edit', 'edit', { path: 'src/config.ts', old: 'port = 3000', new: 'port = "[REDACTED]"' }],
    [
      'edit, every occurrence',
      'edit',
      { path: 'notes.md', old: 'the key', new: 'the [REDACTED] key', replace_all: true },
    ],
  ])('%s is refused, the file unchanged, and the model told why', async (_name, tool, input) => {
    const path = (input as { path: string }).path;
    const before = readIfExists(path);
    const result = await call(tool, input);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/placeholder that the file does not hold.*Nothing was written/s);
    expect(readIfExists(path)).toBe(before);
  });

  it('a file that already holds placeholders keeps them through writes and edits, and gets no new one', async () => {
    const doc = 'Secrets appear as [REDACTED] or [REDACTED:NAME].\n';
    fixture.write({ 'docs/redaction.md': doc });
    const rewritten = await call('write', { path: 'docs/redaction.md', content: `# Redaction\n\n${doc}` });
    expect(rewritten.isError, rewritten.output).toBe(false);
    const edited = await call('edit', { path: 'docs/redaction.md', old: '# Redaction', new: '# Secrets' });
    expect(edited.isError, edited.output).toBe(false);
    expect(fixture.read('docs/redaction.md')).toBe(`# Secrets\n\n${doc}`);
    const third = await call('edit', { path: 'docs/redaction.md', old: '# Secrets', new: '# [REDACTED]' });
    expect(third.isError).toBe(true);
  });
});
