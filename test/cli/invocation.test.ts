/** Hints name the command the way the user started phasewise, so they can be pasted as they are. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asInvoked, invocationName } from '../../src/cli/invocation.js';

const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'dist', 'cli', 'bin.js');

describe('asInvoked', () => {
  it('rewrites `phasewise <command>` and nothing else', () => {
    const text =
      'resume with: phasewise resume 20261129-101500-a1b2 | answer with `phasewise approve`; ' +
      'see .phasewise/runs and phasewise.yaml; phasewise needs Node 22; "phasewise report x"';
    expect(asInvoked(text, './phasewise')).toBe(
      'resume with: ./phasewise resume 20261129-101500-a1b2 | answer with `./phasewise approve`; ' +
        'see .phasewise/runs and phasewise.yaml; phasewise needs Node 22; "./phasewise report x"',
    );
    expect(asInvoked(text, 'phasewise')).toBe(text);
  });
});

describe('invocationName', () => {
  const cwd = root;
  it('takes the wrapper’s word, quoted for a shell when it must be', () => {
    expect(invocationName({ env: { PHASEWISE_INVOKED_AS: './phasewise' }, script, cwd })).toBe('./phasewise');
    expect(invocationName({ env: { PHASEWISE_INVOKED_AS: '/opt/my tools/phasewise' }, script, cwd })).toBe(
      "'/opt/my tools/phasewise'",
    );
  });

  it('is `phasewise` for an npm bin that PATH finds, `npx phasewise` under npx, else `node <script>`', () => {
    const bin = mkdtempSync(join(tmpdir(), 'phasewise-bin-'));
    symlinkSync(script, join(bin, 'phasewise'));
    const onPath = { PATH: `/nonexistent:${bin}` };
    expect(invocationName({ env: onPath, script: join(bin, 'phasewise'), cwd })).toBe('phasewise');
    expect(invocationName({ env: { PATH: '/usr/bin' }, script: join(bin, 'phasewise'), cwd })).toBe(
      `node ${join(bin, 'phasewise')}`,
    );
    expect(invocationName({ env: { npm_command: 'exec' }, script: join(bin, 'phasewise'), cwd })).toBe(
      'npx phasewise',
    );
    expect(invocationName({ env: {}, script, cwd })).toBe('node dist/cli/bin.js');
  });
});

describe('the CLI’s hints', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-hints-'));
  const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: workspace };

  it('say ./phasewise after the quick start', () => {
    const result = spawnSync('bash', ['-c', `./phasewise status --workspace ${workspace}`], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('start one with `./phasewise run "<task>"`');
  });

  it('say phasewise when the wrapper is what PATH finds (setup.sh --link)', () => {
    const bin = join(workspace, 'bin');
    mkdirSync(bin);
    symlinkSync(join(root, 'phasewise'), join(bin, 'phasewise'));
    const result = spawnSync('phasewise', ['status', '--workspace', workspace], {
      cwd: workspace,
      env: { ...env, PATH: `${bin}:${env.PATH}` },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('start one with `phasewise run "<task>"`');
  });

  it('say node <script> when started with node', () => {
    const result = spawnSync(process.execPath, [script, 'status', '--workspace', workspace], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(result.stderr).toContain('start one with `node dist/cli/bin.js run "<task>"`');
  });
});
