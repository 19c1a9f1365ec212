/**
 * A run's checkpoints through a real bare remote: published from one clone, fetched and restored in another (files
 * back, HEAD where it was, other files gone, `.phasewise/` kept), and dropped from the remote once the
 * run is over, another run's left alone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropCheckpoints, remoteCheckpoints, requireRepository } from '../../src/worktree/index.js';
import { bareRemoteWithOneCommit } from '../support/bare-remote.js';
import { git } from '../support/fan-out-plan.js';

function remoteAndTwoClones(): { remote: string; a: string; b: string } {
  const { root, remote } = bareRemoteWithOneCommit('phasewise-checkpoints-');
  const a = join(root, 'a');
  const b = join(root, 'b');
  git(root, 'clone', '-q', remote, a);
  git(root, 'clone', '-q', remote, b);
  return { remote, a, b };
}

const checkpoints = async (top: string, runId: string) =>
  remoteCheckpoints({
    repository: await requireRepository(top, 'test'),
    remote: 'origin',
    runId,
    now: () => new Date('2026-12-06T12:00:00Z'),
  });
const refsOf = (remote: string) => git(remote, 'for-each-ref', '--format=%(refname)', 'refs/phasewise/');

describe('checkpoints shared through a remote', () => {
  it('are restored in another clone, and dropped when the run is over', async () => {
    const { remote, a, b } = remoteAndTwoClones();
    writeFileSync(join(a, 'alpha.txt'), 'alpha\n');
    writeFileSync(join(a, 'README.md'), 'changed\n');
    const inA = await checkpoints(a, 'run-1');
    const commit = await inA.take('checkpoint');
    await inA.publish(commit);
    const other = await checkpoints(a, 'run-2');
    await other.publish(await other.take('another run'));
    expect(refsOf(remote)).toContain(`refs/phasewise/checkpoints/run-1/${commit}`);

    writeFileSync(join(b, 'stray.txt'), 'not in the checkpoint\n');
    mkdirSync(join(b, '.phasewise'));
    writeFileSync(join(b, '.phasewise', 'journal.db'), 'kept');
    await (await checkpoints(b, 'run-1')).restore(commit);
    expect(readFileSync(join(b, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(join(b, 'README.md'), 'utf8')).toBe('changed\n');
    expect(existsSync(join(b, 'stray.txt'))).toBe(false);
    expect(existsSync(join(b, '.phasewise', 'journal.db'))).toBe(true);
    expect(git(b, 'rev-parse', 'HEAD')).toBe(git(remote, 'rev-parse', 'HEAD'));
    expect(git(b, 'status', '--porcelain')).toMatch(/ M README.md[\s\S]*\?\? alpha.txt/);

    await dropCheckpoints(b, 'origin', 'run-1');
    expect(refsOf(remote)).not.toContain('run-1');
    expect(refsOf(remote)).toContain('refs/phasewise/checkpoints/run-2/');
    expect(git(b, 'for-each-ref', 'refs/phasewise/')).toBe('');
  });
});
