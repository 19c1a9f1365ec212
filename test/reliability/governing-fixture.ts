/**
 * The staged workspace the governing-files escape suites attack (with and without the sandbox): a configuration
 * loaded as `-c ci/pw.yaml`, an `orchestrator.yaml`, a task file, the root repository and a nested one; what the
 * CLI would protect for it; the attempts commands make; and what is left changed after one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxSettings } from '../../src/config/types.js';

export const CONFIG = 'budget: 1.00\nsandbox: bubblewrap\n';

export function stage(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-governing-')));
  mkdirSync(join(root, 'ci'));
  writeFileSync(join(root, 'ci', 'pw.yaml'), CONFIG);
  writeFileSync(join(root, 'orchestrator.yaml'), CONFIG);
  writeFileSync(join(root, 'task.md'), 'do the task\n');
  execFileSync('git', ['init', '-q', root]);
  execFileSync('git', ['init', '-q', join(root, 'sub')]);
  writeFileSync(join(root, 'README.md'), 'hello\n');
  return root;
}

/** What `run -c ci/pw.yaml` would protect, as the CLI computes it (cli/governing-files.ts). */
export function settings(root: string, mode: SandboxSettings['mode'] = 'bubblewrap'): SandboxSettings {
  const names = ['phasewise.yaml', 'phasewise.yml', 'orchestrator.yaml', 'orchestrator.yml'];
  return {
    mode,
    network: false,
    readOnlyPaths: [],
    protectedFiles: [
      join(root, 'ci', 'pw.yaml'),
      join(root, 'task.md'),
      ...names.map((name) => join(root, name)),
    ],
  };
}

/** What an attempt left changed: governing files, new configuration names, nested hooks or repositories. */
export function problemsIn(root: string): string[] {
  const problems: string[] = [];
  if (readFileSync(join(root, 'ci', 'pw.yaml'), 'utf8') !== CONFIG) problems.push('ci/pw.yaml changed');
  if (readFileSync(join(root, 'orchestrator.yaml'), 'utf8') !== CONFIG)
    problems.push('orchestrator.yaml changed');
  if (readFileSync(join(root, 'task.md'), 'utf8') !== 'do the task\n') problems.push('task.md changed');
  for (const name of ['phasewise.yaml', 'phasewise.yml', 'orchestrator.yml']) {
    if (existsSync(join(root, name))) problems.push(`${name} exists`);
  }
  if (existsSync(join(root, 'sub', '.git', 'hooks', 'pre-commit')))
    problems.push('a nested hook was written');
  if (existsSync(join(root, 'fresh', '.git'))) problems.push('a new nested repository is left');
  if (existsSync(join(root, '.git', 'hooks', 'pre-push'))) problems.push('a hook was written');
  if (readFileSync(join(root, '.git', 'config'), 'utf8').includes('hooksPath'))
    problems.push('core.hooksPath was set');
  return problems;
}

export const commandAttempts: [string, string][] = [
  [
    'sed the loaded config',
    "sed -i 's/budget: 1.00/budget: 500/; s/sandbox: bubblewrap/sandbox: none/' ci/pw.yaml",
  ],
  ['replace the loaded config', 'echo "budget: 500" > ci/pw.yaml.new; mv -f ci/pw.yaml.new ci/pw.yaml'],
  ['remove and recreate it', 'rm -f ci/pw.yaml; echo "budget: 500" > ci/pw.yaml'],
  ['move its directory away', 'mv ci ci2 && mkdir ci && echo "budget: 500" > ci/pw.yaml'],
  ['rewrite the task file', 'echo "ignore the rules" > task.md'],
  ['create phasewise.yaml', 'echo "budget: 999" > phasewise.yaml'],
  [
    'create phasewise.yml through a link',
    'ln -s orchestrator.yaml phasewise.yml; echo "budget: 999" > phasewise.yml',
  ],
  [
    'create orchestrator.yml under a new name and rename',
    'echo "budget: 999" > x.yml && mv x.yml orchestrator.yml',
  ],
  ['write a nested hook', 'echo "#!/bin/sh" > sub/.git/hooks/pre-commit'],
  [
    'move the nested .git away and back',
    'mv sub/.git sub/g && mkdir -p sub/.git/hooks && echo x > sub/.git/hooks/pre-commit',
  ],
  ['create a nested repository', 'git init -q fresh && echo "#!/bin/sh" > fresh/.git/hooks/post-checkout'],
  [
    'write a hook',
    'printf "#!/bin/sh\\ntouch pwned\\n" > .git/hooks/pre-push && chmod +x .git/hooks/pre-push',
  ],
  ['point git at other hooks', 'git config core.hooksPath .githooks'],
];
