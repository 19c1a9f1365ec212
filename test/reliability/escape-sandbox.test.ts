/**
 * The sandbox's settings and mount plan, without running it: `sandbox:` in its three spellings, what `none`
 * and `bubblewrap` hand to the process group, which host paths a command gets (node, the toolchains on PATH
 * — but never a prefix in the home directory or one holding the workspace), and the CLI refusing to start a
 * run that requires bubblewrap where there is none.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/config/index.js';
import { checkCommand } from '../../src/gate/check-command.js';
import { sandboxCommand } from '../../src/tools/sandbox.js';
import { bwrapArguments } from '../../src/tools/sandbox-mounts.js';
import { cli } from '../support/cli.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-sandbox-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function workflowWith(sandbox: string): ReturnType<typeof loadWorkflow> {
  const dir = mkdtempSync(join(root, 'config-'));
  writeFileSync(join(dir, 'phasewise.yaml'), `version: 1\n${sandbox}\n`);
  return loadWorkflow({ cwd: dir });
}

describe('sandbox: in phasewise.yaml', () => {
  it('is absent from the workflow when not set (the workflow hash of older runs stays the same)', () => {
    expect(workflowWith('').sandbox).toBeUndefined();
  });

  it.each([
    ['sandbox: bubblewrap', { mode: 'bubblewrap', network: false, readOnlyPaths: [] }],
    ['sandbox: none', { mode: 'none', network: false, readOnlyPaths: [] }],
    ['sandbox: { network: true }', { mode: 'auto', network: true, readOnlyPaths: [] }],
    [
      'sandbox: { mode: bubblewrap, read_only: [/opt/tool] }',
      { mode: 'bubblewrap', network: false, readOnlyPaths: ['/opt/tool'] },
    ],
  ])('%s', (text, expected) => {
    expect(workflowWith(text).sandbox).toEqual(expected);
  });

  it('resolves a relative read_only path against the configuration directory, and refuses unknown modes', () => {
    const workflow = workflowWith('sandbox: { read_only: [tools/bin] }');
    expect(workflow.sandbox?.readOnlyPaths[0]).toMatch(/\/config-\w+\/tools\/bin$/);
    expect(() => workflowWith('sandbox: docker')).toThrow(/sandbox/);
  });
});

describe('what the process group is handed', () => {
  const env = { PATH: process.env.PATH ?? '', HOME: join(root, 'home'), XDG_CONFIG_HOME: '/root/.config' };
  const command = { command: "echo 'it''s' $HOME", cwd: root, workspace: root, env };

  it('none: the command and environment as they were', () => {
    expect(sandboxCommand(command, { mode: 'none', network: false, readOnlyPaths: [] })).toEqual({
      command: command.command,
      argv: [],
      env,
      sandboxed: false,
      masks: [],
    });
  });

  it('bubblewrap: exec bwrap … -- bash -c <the command, quoted>; HOME empty, no XDG directories', () => {
    const wrapped = sandboxCommand(command, { mode: 'bubblewrap', network: false, readOnlyPaths: [] });
    expect(wrapped.sandboxed).toBe(true);
    expect(wrapped.command).toMatch(
      /^exec \S*bwrap --die-with-parent --unshare-all --cap-drop ALL --as-pid-1 /,
    );
    expect(wrapped.command).toContain(` -- bash -c 'echo '\\''it'\\'''\\''s'\\'' $HOME'`);
    expect(wrapped.command).not.toContain('--share-net');
    expect(wrapped.env).toMatchObject({ HOME: '/tmp/home', TMPDIR: '/tmp', PWD: root });
    expect(wrapped.env).not.toHaveProperty('XDG_CONFIG_HOME');
  });
});

describe('a workspace reached through a symbolic link', () => {
  it('runs a gate command check in its real directory', async () => {
    const real = join(root, 'real-workspace');
    mkdirSync(real, { recursive: true });
    symlinkSync(real, join(root, 'linked-workspace'));
    const outcome = await checkCommand(
      {
        command: 'pwd; test "$PWD" = "$(pwd -P)"',
        workspace: join(root, 'linked-workspace'),
        timeoutMs: 10_000,
        expectExit: 0,
      },
      {
        abortSignal: new AbortController().signal,
        env: { PATH: process.env.PATH },
        sandbox: { mode: 'bubblewrap', network: false, readOnlyPaths: [] },
      },
    );
    expect(outcome.message).toMatch(/exited with 0$/);
    expect((outcome.evidence as { outputTail: string }).outputTail).toBe(`${real}\n`);
  });
});

describe('the host paths a command gets', () => {
  const home = join(root, 'home');
  const workspace = join(root, 'work', 'project');
  const toolchain = join(root, 'opt', 'tool');
  for (const dir of [
    join(home, '.cargo', 'bin'),
    join(root, 'work', 'bin'),
    workspace,
    join(workspace, 'node_modules', '.bin'),
    join(toolchain, 'bin'),
  ])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(home, '.cargo', 'credentials.toml'), 'token = "x"\n');
  const binds = (
    settings = { mode: 'bubblewrap' as const, network: false, readOnlyPaths: [] as string[] },
  ) => {
    const args = bwrapArguments(
      {
        cwd: workspace,
        workspace,
        env: {
          HOME: home,
          PATH: [
            join(home, '.cargo', 'bin'),
            join(workspace, 'node_modules', '.bin'),
            join(toolchain, 'bin'),
            join(root, 'work', 'bin'),
          ].join(':'),
        },
      },
      settings,
    );
    const pairs: string[] = [];
    for (let index = 0; index < args.length; index++) {
      if (args[index] === '--ro-bind' || args[index] === '--bind')
        pairs.push(`${args[index]} ${args[index + 1]}`);
    }
    return { args, pairs };
  };

  it('a toolchain prefix outside home; only the bin directory inside home; nothing inside the workspace', () => {
    const { pairs } = binds();
    expect(pairs).toContain(`--ro-bind ${toolchain}`);
    expect(pairs).toContain(`--ro-bind ${join(home, '.cargo', 'bin')}`);
    expect(pairs).not.toContain(`--ro-bind ${join(home, '.cargo')}`);
    expect(pairs.filter((pair) => pair.startsWith('--ro-bind') && pair.includes(workspace))).toEqual([]);
    // A bin directory whose prefix holds the workspace: the bin directory only, not its siblings.
    expect(pairs).not.toContain(`--ro-bind ${join(root, 'work')}`);
    expect(pairs.at(-1)).toBe(`--bind ${workspace}`);
  });

  it('private /tmp and home before any bind; system paths read-only; /etc secrets masked; network only when asked', () => {
    const { args } = binds();
    expect(args.indexOf('--tmpfs')).toBeLessThan(args.indexOf('--ro-bind'));
    expect(args.join(' ')).toMatch(/--(ro-bind \/usr \/usr|symlink \S+ \/usr)/);
    expect(args.join(' ')).toContain('--ro-bind /dev/null /etc/shadow');
    expect(binds({ mode: 'bubblewrap', network: true, readOnlyPaths: [] }).args).toContain('--share-net');
    expect(binds({ mode: 'bubblewrap', network: false, readOnlyPaths: [home] }).pairs).not.toContain(
      `--ro-bind ${home}`,
    );
  });
});

describe('the CLI and a required sandbox', () => {
  it('validate says whether commands will be sandboxed', () => {
    const dir = mkdtempSync(join(root, 'validate-'));
    writeFileSync(join(dir, 'phasewise.yaml'), 'version: 1\nsandbox: { mode: bubblewrap, network: true }\n');
    expect(cli(['validate'], { cwd: dir }).stdout).toContain(
      'commands: sandboxed by bubblewrap (with the network)',
    );
    const missing = cli(['validate'], { cwd: dir, env: { PATH: join(root, 'no-such-bin') } });
    expect(missing.stdout).toMatch(
      /commands: sandbox: bubblewrap is required and not available .* will refuse to start/,
    );
  });

  it('sandbox: bubblewrap without bwrap stops the run before it starts, saying how to fix it', () => {
    const dir = mkdtempSync(join(root, 'cli-'));
    writeFileSync(join(dir, 'phasewise.yaml'), 'version: 1\ntask: anything\nsandbox: bubblewrap\n');
    const result = cli(['run'], {
      cwd: dir,
      env: { PATH: join(root, 'no-such-bin'), ANTHROPIC_API_KEY: 'sk-ant-sandbox-test' },
    });
    expect(result.stderr).toMatch(
      /requires a command sandbox \(sandbox: bubblewrap\): bwrap .* is not installed/,
    );
    expect(result.stderr).toMatch(/apt-get install bubblewrap/);
    expect(result.code).toBe(2);
  });
});
