/**
 * Worktrees of fanned-out phases after their runs: `phasewise clean` removes those of runs that are over (and
 * their branches), keeps a running or halted run's, and changes nothing with `--dry-run`; `runs` and `status` show
 * the disk they take; `abort` of a halted run removes its own. Real git repositories, a real journal, the built
 * CLI as a subprocess.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { createWorktree, requireRepository, snapshotCommit } from '../../src/worktree/index.js';
import { sampleRun } from '../journal/contract/samples.js';
import { cli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';
import { DATE, git, repositoryWith } from '../worktree/git-repository.js';

const branches = (top: string) =>
  git(top, 'branch', '--list', 'phasewise-lanes/*', '--format=%(refname:short)')
    .split('\n')
    .filter(Boolean)
    .sort();

async function runStatusOf(top: string, runId: string): Promise<string | undefined> {
  const journal = openJournal({ workspace: top, readOnly: true });
  try {
    return (await journal.getRun(runId))?.status;
  } finally {
    await journal.close();
  }
}

const registered = (top: string) =>
  git(top, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree ') && line.includes('.phasewise'))
    .map((line) => line.slice('worktree '.length));

async function worktreesFor(top: string, runIds: string[]): Promise<void> {
  const repository = await requireRepository(top, 'implementation');
  const commit = await snapshotCommit(repository, { message: 'start', date: DATE });
  for (const runId of runIds) {
    for (const name of ['api', 'ui']) {
      const path = await createWorktree({ repository, runId, phaseId: 'implementation', name, commit });
      writeFileSync(join(path, 'big.bin'), Buffer.alloc(64 * 1024, 7));
    }
  }
}

/**
 * A repository with a journal of five runs: `done` succeeded, `waiting` halted, `live` running (its lock held
 * by this process), `gone` aborted with only its branches left, `cut` interrupted (running, no process holds
 * it); and `ghost`, worktrees of a run the journal does not know.
 */
async function workspaceWithRuns(): Promise<string> {
  const top = repositoryWith({ 'a.txt': 'a\n', '.gitignore': '.phasewise/\n' });
  const journal = openJournal({ workspace: top });
  const statuses = { done: 'succeeded', waiting: 'halted', live: 'running', gone: 'aborted' } as const;
  for (const [runId, status] of Object.entries(statuses)) {
    await journal.createRun({ ...sampleRun(runId), workspace: top });
    await journal.acquireLock(runId, {
      pid: process.pid,
      host: hostname(),
      since: DATE.toISOString(),
      token: runId,
    });
    await journal.updateRun(runId, { status, updatedAt: DATE.toISOString() });
    if (status !== 'running') await journal.releaseLock(runId, runId);
  }
  await journal.createRun({ ...sampleRun('cut'), workspace: top });
  // The lock of `live` stays held by this (living) process: the CLI sees a running run.
  await worktreesFor(top, ['done', 'waiting', 'live', 'gone', 'ghost', 'cut']);
  git(top, 'worktree', 'remove', '--force', join(top, '.phasewise/worktrees/gone/implementation/api'));
  git(top, 'worktree', 'remove', '--force', join(top, '.phasewise/worktrees/gone/implementation/ui'));
  git(top, 'worktree', 'prune');
  rmSync(join(top, '.phasewise/worktrees/gone'), { recursive: true, force: true });
  return top;
}

describe('phasewise clean', () => {
  it('lists with --dry-run and changes nothing, then removes only the leftovers of runs that are over', async () => {
    const top = await workspaceWithRuns();
    const before = { branches: branches(top), worktrees: registered(top) };
    expect(before.branches).toHaveLength(12);

    const dry = cli(['clean', '--dry-run'], { cwd: top });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/would remove run done \(succeeded\): 2 worktree\(s\), \d+\.\d KB/);
    expect(dry.stdout).toMatch(/would remove run ghost \(unknown\): 2 worktree\(s\)/);
    expect(dry.stdout).toContain('would remove run gone (aborted): its branches');
    expect(dry.stdout).toMatch(/kept run waiting \(halted\): 2 worktree\(s\)/);
    expect(dry.stdout).toMatch(/kept run live \(running\): 2 worktree\(s\)/);
    expect(dry.stdout).toMatch(
      /kept run cut \(interrupted\): 2 worktree\(s\), [^;]+; `phasewise resume cut` goes on in them, `phasewise clean --include-resumable`/,
    );
    expect(dry.stdout).toMatch(/would free \d+\.\d KB/);
    expect({ branches: branches(top), worktrees: registered(top) }).toEqual(before);
    expect(existsSync(join(top, '.phasewise/worktrees/done/implementation/api/big.bin'))).toBe(true);

    const cleaned = cli(['clean'], { cwd: top });
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.stdout).toMatch(/removed run done \(succeeded\): 2 worktree\(s\), \d+\.\d KB/);
    expect(cleaned.stdout).toMatch(/freed \d+\.\d KB/);
    expect(branches(top)).toEqual([
      'phasewise-lanes/cut/implementation/api',
      'phasewise-lanes/cut/implementation/ui',
      'phasewise-lanes/live/implementation/api',
      'phasewise-lanes/live/implementation/ui',
      'phasewise-lanes/waiting/implementation/api',
      'phasewise-lanes/waiting/implementation/ui',
    ]);
    expect(
      registered(top)
        .map((path) => path.split('/.phasewise/worktrees/')[1])
        .sort(),
    ).toEqual([
      'cut/implementation/api',
      'cut/implementation/ui',
      'live/implementation/api',
      'live/implementation/ui',
      'waiting/implementation/api',
      'waiting/implementation/ui',
    ]);
    for (const runId of ['done', 'ghost'])
      expect(existsSync(join(top, '.phasewise/worktrees', runId))).toBe(false);
    expect(existsSync(join(top, '.phasewise/worktrees/waiting/implementation/api/big.bin'))).toBe(true);

    const again = cli(['clean'], { cwd: top });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('nothing to clean');
    expect(again.stdout).toMatch(/kept run waiting \(halted\)/);

    const ending = cli(['clean', '--include-resumable', '--dry-run'], { cwd: top });
    expect(ending.stdout).toMatch(/would remove run cut \(interrupted\): 2 worktree\(s\)/);
    expect(await runStatusOf(top, 'cut')).toBe('running');
    const ended = cli(['clean', '--include-resumable'], { cwd: top });
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toMatch(/removed run cut \(interrupted\): 2 worktree\(s\), \d+\.\d KB/);
    expect(ended.stdout).toMatch(/kept run waiting \(halted\)/);
    expect(ended.stdout).toMatch(/kept run live \(running\)/);
    expect(await runStatusOf(top, 'cut')).toBe('aborted');
    expect(branches(top).filter((branch) => branch.startsWith('phasewise-lanes/cut/'))).toEqual([]);
    expect(existsSync(join(top, '.phasewise/worktrees/cut'))).toBe(false);
  });

  it('has nothing to clean in a workspace without worktrees, or outside git', () => {
    const top = repositoryWith({ 'a.txt': 'a\n' });
    const result = cli(['clean'], { cwd: top });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('nothing to clean');
    const plain = makeCrashWorkspace(0);
    const outside = cli(['clean', '--json'], { cwd: plain });
    expect(outside.code, outside.stderr).toBe(0);
    expect(JSON.parse(outside.stdout)).toMatchObject({ removed: [], bytes: 0 });
  });
});

describe('worktree disk use in runs and status', () => {
  it('shows each run’s worktrees and points at `phasewise clean` when runs that are over hold some', async () => {
    const top = await workspaceWithRuns();
    const runs = cli(['runs'], { cwd: top });
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(/worktrees/);
    expect(runs.stdout).toMatch(/done\s+succeeded.*2 · \d+\.\d KB/);
    expect(runs.stdout).toMatch(
      /2 run\(s\) that are over still hold worktrees \(\d+\.\d KB\): `phasewise clean`/,
    );
    const lines = cli(['runs', '--json'], { cwd: top })
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const done = lines.find((line) => line.runId === 'done');
    expect(done.worktrees).toMatchObject({ count: 2, removable: true });
    expect(done.worktrees.bytes).toBeGreaterThan(2 * 64 * 1024);
    expect(lines.find((line) => line.runId === 'waiting').worktrees.removable).toBe(false);
    expect(lines.find((line) => line.runId === 'cut').worktrees).toMatchObject({
      removable: false,
      resumable: true,
    });
    expect(lines.find((line) => line.runId === 'gone').worktrees).toBeUndefined();

    cli(['clean'], { cwd: top });
    const after = cli(['runs'], { cwd: top });
    expect(after.stdout).not.toContain('phasewise clean');
    expect(after.stdout).toMatch(/waiting\s+halted.*2 · \d+\.\d KB/);
  });
});

describe('abort of a halted run', () => {
  it('ends the run and removes its worktrees and branches; status shows them until then', async () => {
    const workspace = makeCrashWorkspace(0);
    const config = join(workspace, 'phasewise.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'dependencies: research }',
        'dependencies: research, escalation: [halt] }',
      ),
    );
    writeFileSync(join(workspace, '.gitignore'), '.phasewise/\n');
    git(workspace, 'init', '--quiet', '--initial-branch=main');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '--quiet', '-m', 'first');
    const halted = cli(['run'], { cwd: workspace });
    expect(halted.code, halted.stderr).toBe(3);
    const runId = /run (\S+) halted/.exec(halted.stderr)![1]!;
    await worktreesFor(workspace, [runId]);

    const status = cli(['status', runId], { cwd: workspace });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/worktrees: 2 \(\d+\.\d KB on disk\); kept while the run may go on/);
    const json = JSON.parse(cli(['status', runId, '--json'], { cwd: workspace }).stdout);
    expect(json.worktrees).toMatchObject({ count: 2, removable: false });
    expect(cli(['clean'], { cwd: workspace }).stdout).toContain(`kept run ${runId} (halted)`);

    const aborted = cli(['abort', runId], { cwd: workspace });
    expect(aborted.stderr).toMatch(/removed the run's worktrees and branches \(\d+\.\d KB\)/);
    expect(JSON.parse(cli(['status', runId, '--json'], { cwd: workspace }).stdout).status).toBe('aborted');
    expect(existsSync(join(workspace, '.phasewise/worktrees', runId))).toBe(false);
    expect(branches(workspace)).toEqual([]);
    expect(registered(workspace)).toEqual([]);
    expect(cli(['status', runId], { cwd: workspace }).stdout).not.toContain('worktrees:');
  });
});
