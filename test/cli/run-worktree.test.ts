/**
 * `run --worktree`: the run works in a git worktree under `.phasewise/isolated/`, the user's working tree (files,
 * index, untracked files, uncommitted changes) stays byte for byte as it was, the work is committed on
 * `phasewise/<run-id>` with the task as the subject and the report's summary as the body, `status` and the
 * Markdown report name the branch, and `clean` removes the finished run's worktree but keeps its branch. Real git,
 * the built CLI as a subprocess, the scripted provider.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, startCli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';
import { git, status } from '../worktree/git-repository.js';

/** Every file outside `.git/` and `.phasewise/` with its hash, plus the index's bytes and git's view. */
function fingerprint(top: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = relative(top, path);
      if (name === '.git' || name === '.phasewise') continue;
      if (entry.isDirectory()) walk(path);
      else files[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(top);
  files['.git/index'] = createHash('sha256')
    .update(readFileSync(join(top, '.git', 'index')))
    .digest('hex');
  files['.git/index mtime'] = String(statSync(join(top, '.git', 'index')).mtimeMs);
  files['git status'] = status(top);
  files.HEAD = git(top, 'rev-parse', 'HEAD');
  return files;
}

function gitWorkspace(latencyMs = 0): string {
  const top = makeCrashWorkspace(latencyMs);
  git(top, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(top, 'README.md'), 'committed\n');
  git(top, 'add', '-A');
  git(top, 'commit', '--quiet', '-m', 'first');
  // What the user is in the middle of: a change, a staged file, an untracked file.
  writeFileSync(join(top, 'README.md'), 'changed, not committed\n');
  writeFileSync(join(top, 'staged.txt'), 'staged\n');
  git(top, 'add', 'staged.txt');
  writeFileSync(join(top, 'notes.txt'), 'untracked\n');
  return top;
}

describe('run --worktree', () => {
  it('leaves the working tree untouched, commits the work on phasewise/<run-id>, names it, and clean keeps the branch', () => {
    const top = gitWorkspace();
    const before = fingerprint(top);
    const run = cli(['run', '--worktree'], { cwd: top });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /your working tree is not touched, and its 3 uncommitted change\(s\) are not in the run/,
    );
    const runId = /isolated run (\S+):/.exec(run.stderr)?.[1] ?? '';
    const branch = `phasewise/${runId}`;
    expect(run.stderr).toContain(`branch: ${branch} at `);
    expect(fingerprint(top)).toEqual(before);
    expect(existsSync(join(top, 'src', 'health.js'))).toBe(false);

    // The commit: the task as the subject, the summary as the body, the agent's file, none of the user's edits.
    expect(git(top, 'log', '-1', '--format=%s', branch).trim()).toBe('Add a health endpoint');
    const body = git(top, 'log', '-1', '--format=%b', branch);
    expect(body).toMatch(new RegExp(`phasewise run ${runId} succeeded: spent \\$`));
    expect(body).toMatch(/- implementation: passed, gate 1\.00 \/ 0\.88, \$/);
    expect(git(top, 'show', `${branch}:src/health.js`)).toContain('health');
    expect(git(top, 'show', `${branch}:README.md`)).toBe('committed\n');
    expect(git(top, 'ls-tree', '-r', '--name-only', branch)).not.toMatch(
      /staged\.txt|notes\.txt|\.phasewise/,
    );
    expect(git(top, 'rev-parse', `${branch}^`).trim()).toBe(before.HEAD?.trim());

    const shown = cli(['status', runId], { cwd: top });
    expect(shown.stdout).toContain(`branch: ${branch}`);
    const report = cli(['report', runId, '--format', 'md'], { cwd: top });
    expect(report.stdout).toContain(`Branch: \`${branch}\``);

    const worktree = join(top, '.phasewise', 'isolated', runId);
    expect(existsSync(worktree)).toBe(true);
    const dry = cli(['clean', '--dry-run'], { cwd: top });
    expect(dry.stdout).toContain(`would remove run ${runId}'s isolated worktree`);
    expect(existsSync(worktree)).toBe(true);
    const cleaned = cli(['clean'], { cwd: top });
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(existsSync(worktree)).toBe(false);
    expect(git(top, 'branch', '--list', branch).trim()).toBe(branch);
    expect(git(top, 'worktree', 'list')).not.toContain('isolated');
    expect(fingerprint(top)).toEqual(before);
  });

  it('takes `isolation: worktree` from the configuration, and refuses a workspace outside git', () => {
    const top = gitWorkspace();
    writeFileSync(
      join(top, 'phasewise.yaml'),
      `${readFileSync(join(top, 'phasewise.yaml'), 'utf8')}isolation: worktree\n`,
    );
    const run = cli(['run'], { cwd: top });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/isolated run \S+: working in /);
    expect(existsSync(join(top, 'src', 'health.js'))).toBe(false);

    const plain = makeCrashWorkspace(0);
    const refused = cli(['run', '--worktree'], { cwd: plain });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/an isolated run needs a git repository/);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
  });

  it('resumes an interrupted isolated run in its worktree and commits it on its branch when it succeeds', async () => {
    const top = gitWorkspace(200);
    const before = fingerprint(top);
    const running = startCli(['run', '--worktree', '--json'], { cwd: top });
    let runId = '';
    running.onLine((line, index) => {
      runId ||= (JSON.parse(line) as { runId?: string }).runId ?? '';
      if (index === 3) running.child.kill('SIGINT');
    });
    const stopped = await running.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(JSON.parse(cli(['status', runId, '--json'], { cwd: top }).stdout).status).toBe('interrupted');
    const early = cli(['pr', runId, '--repo', 'octo-org/widgets'], {
      cwd: top,
      env: { GITHUB_TOKEN: 'ghp_x' },
    });
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(
      new RegExp(`run ${runId} is interrupted, not finished: its branch holds no work yet`),
    );
    expect(git(top, 'branch', '--list', `phasewise/${runId}`)).toBe('');

    const resumed = cli(['resume', runId], { cwd: top });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`branch: phasewise/${runId} at `);
    expect(git(top, 'show', `phasewise/${runId}:src/health.js`)).toContain('health');
    expect(existsSync(join(top, 'src', 'health.js'))).toBe(false);
    expect(fingerprint(top)).toEqual(before);
    const status = JSON.parse(cli(['status', runId, '--json'], { cwd: top }).stdout);
    expect(status).toMatchObject({ status: 'succeeded', branch: `phasewise/${runId}` });
  });
});
