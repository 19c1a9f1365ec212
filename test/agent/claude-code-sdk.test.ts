import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUDE_AGENT_SDK, claudeAgentSdkMissing } from '../../src/agent/claude-code/sdk.js';
import { claudeCodeTools, refusalOf } from '../../src/agent/claude-code/tool-guard.js';

describe('the optional Agent SDK', () => {
  it('is found when installed, without being loaded', () => {
    expect(claudeAgentSdkMissing()).toBeUndefined();
  });

  it('when missing, is a usage error that says how to install it', () => {
    const missing = claudeAgentSdkMissing(() => {
      throw new Error('Cannot find package');
    });
    expect(missing?.exitCode).toBe(2);
    expect(missing?.message).toContain(CLAUDE_AGENT_SDK);
    expect(missing?.hint).toContain(`npm install ${CLAUDE_AGENT_SDK}`);
  });
});

describe('Claude Code tools by role', () => {
  it.each([
    ['MultiEdit', 'file_path', 'sub/.git/hooks/pre-commit', /\.git/],
    ['MultiEdit', 'file_path', 'phasewise.yml', /configuration/],
    ['MultiEdit', 'file_path', 'ci/pw.yaml', /configuration/],
    ['NotebookEdit', 'notebook_path', 'ci/pw.yaml', /configuration/],
    ['NotebookEdit', 'notebook_path', 'docs/.GIT./n.ipynb', /git reads as its own/],
    ['NotebookEdit', 'notebook_path', '../n.ipynb', /outside the workspace/],
  ])('%s (when offered) refuses its %s %s', async (tool, field, path, reason) => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-cc-guard-')));
    const workspace = { path: root, root, protectedFiles: [join(root, 'ci', 'pw.yaml')] };
    const input = { [field]: join(root, path) };
    expect(await refusalOf({ tool, input }, [tool], workspace)).toMatch(reason);
  });

  it('reads the documented example of a .env file', async () => {
    const allowed = claudeCodeTools(['read']);
    const reason = await refusalOf(
      { tool: 'Read', input: { file_path: '/nonexistent-ws/.env.example' } },
      allowed,
      { path: '/nonexistent-ws', root: '/nonexistent-ws' },
    );
    expect(reason ?? '').not.toMatch(/holds secrets/);
  });

  it.each([
    [['read'], ['Read', 'Glob', 'Grep']],
    [
      ['read', 'write'],
      ['Read', 'Glob', 'Grep', 'Write', 'Edit'],
    ],
    [
      ['read', 'run'],
      ['Read', 'Glob', 'Grep', 'Bash'],
    ],
  ] as const)('%j gets %j', (permissions, tools) => {
    expect(claudeCodeTools(permissions)).toEqual(tools);
  });

  const workspace = { path: '/nonexistent-ws', root: '/nonexistent-ws' };
  it.each([
    ['WebFetch', { url: 'http://127.0.0.1/' }, /not available in this phase/],
    ['Glob', { pattern: '/etc/**' }, /outside the workspace/],
    ['Glob', { pattern: '../**/*.env' }, /outside the workspace/],
    ['Grep', { pattern: 'x', glob: '~/.ssh/*' }, /outside the workspace/],
    ['Read', { file_path: '/etc/passwd' }, /outside the workspace/],
    ['Read', { file_path: '/nonexistent-ws/.env' }, /holds secrets/],
    ['Read', { file_path: '/nonexistent-ws/config/.env.production' }, /holds secrets/],
    ['Read', { file_path: '/nonexistent-ws/certs/server.key' }, /holds secrets/],
    ['MultiEdit', { file_path: '/nonexistent-ws/x.js', edits: [] }, /not available in this phase/],
    ['NotebookEdit', { notebook_path: '/nonexistent-ws/x.ipynb' }, /not available in this phase/],
  ])('refuses %s %j', async (tool, input, reason) => {
    const allowed = claudeCodeTools(['read', 'write']);
    expect(await refusalOf({ tool, input }, allowed, workspace)).toMatch(reason);
  });
});
