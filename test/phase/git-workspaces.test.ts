/**
 * A fanned-out phase's worktrees over a real git repository (`gitWorkspaces`): when the phase is done with them,
 * only its own go; another phase of the same run keeps its worktrees and branches for a resume.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitWorkspaces } from '../../src/phase/fan-out/git-workspaces.js';
import { systemClock } from '../../src/util/clock.js';
import { requireRepository } from '../../src/worktree/index.js';
import { git, repositoryWith } from '../worktree/git-repository.js';

async function phaseWorkspaces(top: string, phaseId: string) {
  const repository = await requireRepository(top, 'implementation');
  const signal = new AbortController().signal;
  return gitWorkspaces({ repository, runId: 'run1', phaseId, clock: systemClock, signal });
}

const branches = (top: string) =>
  git(top, 'branch', '--list', 'phasewise-lanes/*', '--format=%(refname:short)')
    .split('\n')
    .filter(Boolean)
    .sort();

describe('a fanned-out phase done with its worktrees', () => {
  it("removes its own worktrees and branches, not those of the run's other phases", async () => {
    const top = repositoryWith({ 'a.txt': 'a\n' });
    const implementation = await phaseWorkspaces(top, 'implementation');
    const docs = await phaseWorkspaces(top, 'docs');
    const base = await implementation.snapshot();
    await implementation.open('item-api', base);
    await implementation.open('item-ui', base);
    const kept = await docs.open('item-guide', base);

    await implementation.removeAll();
    const run = join(top, '.phasewise', 'worktrees', 'run1');
    expect(existsSync(join(run, 'implementation'))).toBe(false);
    expect(existsSync(join(kept, 'a.txt'))).toBe(true);
    expect(branches(top)).toEqual(['phasewise-lanes/run1/docs/item-guide']);
    expect(git(top, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);

    // The run's last phase done, its folder goes too.
    await docs.removeAll();
    expect(existsSync(run)).toBe(false);
    expect(branches(top)).toEqual([]);
  });
});
