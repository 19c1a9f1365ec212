/** The user's workflow templates beside a configuration govern the next run: tools and commands may not change them. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { governingFiles } from '../../src/cli/governing-files.js';
import { loadWorkflow } from '../../src/config/index.js';

describe('governing files', () => {
  it('include the templates in .phasewise/templates/ beside a configuration in a subdirectory', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-governing-templates-')));
    mkdirSync(join(root, 'ci', '.phasewise', 'templates'), { recursive: true });
    writeFileSync(join(root, 'ci', '.phasewise', 'templates', 'ours.yaml'), 'extends: bugfix\nbudget: 2\n');
    writeFileSync(join(root, 'ci', 'pw.yaml'), 'extends: ours\nworkspace: ..\n');
    const workflow = loadWorkflow({ cwd: root, configFile: 'ci/pw.yaml' });
    expect(workflow.budgetUsd).toBe(2);
    expect(governingFiles(workflow, root)).toContain(
      join(root, 'ci', '.phasewise', 'templates', 'ours.yaml'),
    );
  });
});
