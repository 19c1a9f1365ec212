/** A bare git repository holding one commit (a README), in a folder of its own: a run's remote in tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './fan-out-plan.js';

export function bareRemoteWithOneCommit(prefix: string): { root: string; remote: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const seed = join(root, 'seed');
  git(root, 'init', '-q', seed);
  writeFileSync(join(seed, 'README.md'), 'a project\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-qm', 'init');
  const remote = join(root, 'remote.git');
  git(root, 'clone', '-q', '--bare', seed, remote);
  return { root, remote };
}
