/**
 * The built-in templates load and validate; a configuration that `extends:` one is merged under the documented
 * rules (mappings merge, phases by name, lists replace, null removes); user templates in .phasewise/templates/
 * are found by name; unknown names, cycles and bad overrides are ConfigErrors at file:line:col.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinWorkflow, listTemplates, loadWorkflow, templateText } from '../../src/config/index.js';
import { mergeOverTemplate } from '../../src/config/template-merge.js';
import { BUILTIN_TEMPLATES } from '../../src/config/templates/index.js';
import { UsageError } from '../../src/errors/index.js';
import { configErrorOf, issueAt, lines, rejectionOf, tempDir, where, writeConfig } from './config-files.js';

const NAMES = ['feature', 'bugfix', 'refactor', 'docs', 'performance', 'security'];

describe('the built-in templates', () => {
  it('are the six of issue 18, each with a one-line summary', () => {
    expect(BUILTIN_TEMPLATES.map((template) => template.name)).toEqual(NAMES);
    for (const template of BUILTIN_TEMPLATES) expect(template.summary).not.toContain('\n');
  });

  it.each(NAMES)('%s validates as a complete workflow', (name) => {
    const workflow = loadWorkflow({ cwd: tempDir(), template: name });
    expect(workflow.template).toBe(name);
    expect(workflow.phases.length).toBeGreaterThanOrEqual(3);
    for (const phase of workflow.phases) expect(phase.gate.checks.length).toBeGreaterThan(0);
  });

  it('feature is the built-in workflow exactly', () => {
    const dir = tempDir();
    const { template: _name, ...feature } = loadWorkflow({ cwd: dir, template: 'feature' });
    expect(feature).toEqual({ ...builtinWorkflow(dir), sourceFile: null });
  });

  it('bugfix gates the reproduction on a test that fails and the fix on the tests untouched and passing', () => {
    const workflow = loadWorkflow({ cwd: tempDir(), template: 'bugfix' });
    expect(workflow.phases.map((phase) => phase.id)).toEqual([
      'research',
      'reproduce',
      'fix',
      'verification',
    ]);
    const checks = (id: string) => workflow.phases.find((phase) => phase.id === id)?.gate.checks ?? [];
    expect(checks('reproduce')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'command', expectFailure: true, required: true }),
        expect.objectContaining({
          kind: 'diff',
          expect: 'changed',
          mustChange: expect.any(Array),
          required: true,
        }),
      ]),
    );
    expect(checks('fix')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'diff', forbiddenPaths: expect.arrayContaining(['test/**']) }),
        expect.objectContaining({ kind: 'command', command: 'npm test', required: true }),
      ]),
    );
  });

  it('security and docs keep their phases read-only or inside docs paths', () => {
    const security = loadWorkflow({ cwd: tempDir(), template: 'security' });
    for (const phase of security.phases) {
      expect(phase.gate.checks).toContainEqual(
        expect.objectContaining({ kind: 'diff', expect: 'unchanged' }),
      );
      expect(security.agents[phase.agent]?.permissions).toEqual(['read']);
    }
    const docs = loadWorkflow({ cwd: tempDir(), template: 'docs' });
    const write = docs.phases.find((phase) => phase.id === 'write');
    expect(write?.gate.checks).toContainEqual(
      expect.objectContaining({
        kind: 'diff',
        allowedPaths: expect.arrayContaining(['docs/**']),
        required: true,
      }),
    );
  });
});

describe('extends: merge rules', () => {
  it('merges mappings, replaces lists and scalars, removes on null', () => {
    const template = {
      budget: 1,
      models: { tiers: ['a', 'b'], a: 'x:a' },
      phases: { one: { cost_limit: 1 }, two: {} },
    };
    const merged = mergeOverTemplate(template, {
      extends: 'ignored',
      models: { tiers: ['b'] },
      phases: { one: { timeout: 5 }, two: null, three: { agent: 'review' } },
    });
    expect(merged).toEqual({
      budget: 1,
      models: { tiers: ['b'], a: 'x:a' },
      phases: { one: { cost_limit: 1, timeout: 5 }, three: { agent: 'review' } },
    });
    expect(template.phases.two).toEqual({});
  });

  it('overrides a phase by name, keeps the others, and drops a removed one', () => {
    const { dir } = writeConfig(
      lines(
        'extends: bugfix',
        'budget: 3',
        'phases:',
        '  fix: { cost_limit: 0.50, model: opus }',
        '  verification: null',
      ),
    );
    const workflow = loadWorkflow({ cwd: dir });
    expect(workflow.budgetUsd).toBe(3);
    expect(workflow.phases.map((phase) => phase.id)).toEqual(['research', 'reproduce', 'fix']);
    const fix = workflow.phases.find((phase) => phase.id === 'fix');
    expect(fix?.costLimitUsd).toBe(0.5);
    expect(fix?.model).toMatchObject({ kind: 'tier', tier: 'opus' });
    // The template's gate stays: only cost_limit and model were overridden.
    expect(fix?.gate.checks.map((check) => check.name)).toEqual([
      'sections',
      'tests-untouched',
      'tests-pass',
      'cost',
    ]);
  });

  it('replaces a list whole: checks given in the override are the only checks', () => {
    const { dir } = writeConfig(
      lines(
        'extends: bugfix',
        'phases:',
        '  fix:',
        '    quality_gate:',
        '      checks:',
        '        - { kind: command, name: tests, command: "make test", required: true }',
      ),
    );
    const fix = loadWorkflow({ cwd: dir }).phases.find((phase) => phase.id === 'fix');
    expect(fix?.gate.checks).toEqual([expect.objectContaining({ name: 'tests', command: 'make test' })]);
    expect(fix?.gate.threshold).toBe(0.9);
  });

  it('finds a user template in .phasewise/templates/, which may extend a built-in and shadow one', () => {
    const { dir } = writeConfig(lines('extends: team-fix', 'budget: 2'), {
      '.phasewise/templates/team-fix.yaml': lines(
        '# our bug fixes: the bugfix template with make',
        'extends: bugfix',
        'budget: 1',
        'phases:',
        '  research: null',
        '  reproduce: { depends_on: [] }',
      ),
      '.phasewise/templates/security.yaml': lines('extends: security', 'budget: 9'),
    });
    const workflow = loadWorkflow({ cwd: dir });
    expect(workflow.budgetUsd).toBe(2);
    expect(workflow.phases.map((phase) => phase.id)).toEqual(['reproduce', 'fix', 'verification']);
    expect(loadWorkflow({ cwd: dir, template: 'security' }).budgetUsd).toBe(9);
    const listed = listTemplates(dir);
    expect(listed.find((entry) => entry.name === 'team-fix')).toEqual({
      name: 'team-fix',
      source: path.join('.phasewise', 'templates', 'team-fix.yaml'),
      summary: 'our bug fixes: the bugfix template with make',
    });
    expect(listed.find((entry) => entry.name === 'security')).toMatchObject({ replacesBuiltin: true });
    expect(templateText('team-fix', dir)).toContain('extends: bugfix');
    expect(templateText('docs', dir)).toContain('`docs` template');
  });
});

describe('extends: errors', () => {
  it('an unknown template is reported where it is named, with a did-you-mean, exit 2', () => {
    const { error } = rejectionOf(lines('version: 1', 'extends: bugfx'));
    expect(error.exitCode).toBe(2);
    const issue = issueAt(error, 'extends');
    expect(where(issue)).toBe('phasewise.yaml:2:10');
    expect(issue.message).toBe('unknown template `bugfx`');
    expect(issue.hint).toBe('did you mean `bugfix`?');
  });

  it('a cycle of user templates is reported at the extends that closes it', () => {
    const { dir } = writeConfig(lines('extends: one'), {
      '.phasewise/templates/one.yaml': lines('budget: 1', 'extends: two'),
      '.phasewise/templates/two.yaml': lines('extends: one'),
    });
    const error = configErrorOf(() => loadWorkflow({ cwd: dir }));
    expect(error.exitCode).toBe(2);
    const issue = issueAt(error, 'extends');
    expect(issue.message).toBe('template cycle: one → two → one');
    expect(where(issue)).toBe('two.yaml:1:10');
  });

  it('a bad override is reported in the file that wrote it; a bad value in a user template, in the template', () => {
    const { dir, file } = writeConfig(lines('extends: mine', 'phases:', '  fix:', '    cost_limit: -1'), {
      '.phasewise/templates/mine.yaml': lines(
        'extends: bugfix',
        'phases:',
        '  reproduce:',
        '    agent: reproducr',
      ),
    });
    const error = configErrorOf(() => loadWorkflow({ cwd: dir }));
    const cost = issueAt(error, 'phases.fix.cost_limit');
    expect(cost.file).toBe(file);
    expect(where(cost)).toBe('phasewise.yaml:4:17');
    const agent = issueAt(error, 'phases.reproduce.agent');
    expect(where(agent)).toBe('mine.yaml:4:12');
    expect(agent.hint).toContain('reproducer');
  });

  it('an extends that is not one name is refused where it is written, in a user template too', () => {
    const { error } = rejectionOf(lines('extends: [bugfix, docs]'));
    expect(where(issueAt(error, 'extends'))).toBe('phasewise.yaml:1:10');
    const { dir } = writeConfig(lines('extends: mine'), {
      '.phasewise/templates/mine.yaml': lines('extends: 3'),
    });
    const nested = issueAt(
      configErrorOf(() => loadWorkflow({ cwd: dir })),
      'extends',
    );
    expect(where(nested)).toBe('mine.yaml:1:10');
    expect(nested.message).toBe('expected the name of a template, got 3');
  });

  it('--template with an unknown name, or with -c, is refused', () => {
    const dir = tempDir();
    const error = configErrorOf(() => loadWorkflow({ cwd: dir, template: 'securty' }));
    expect(error.issues[0]).toMatchObject({
      file: 'command line',
      path: '--template',
      hint: 'did you mean `security`?',
    });
    expect(() => loadWorkflow({ cwd: dir, template: 'bugfix', configFile: 'phasewise.yaml' })).toThrow(
      UsageError,
    );
  });
});

describe('docs/templates.md', () => {
  const text = readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'templates.md'), 'utf8');

  it('has a section for every built-in template', () => {
    for (const name of NAMES) expect(text).toContain(`### \`${name}\``);
  });

  it('shows examples that validate: extending security and bugfix, and a template of your own', () => {
    const examples = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    expect(examples).toHaveLength(3);
    const [security, bugfix, own] = examples as [string, string, string];
    expect(loadWorkflow({ cwd: writeConfig(security).dir }).phases.at(-1)?.id).toBe('fix');
    expect(loadWorkflow({ cwd: writeConfig(bugfix).dir }).budgetUsd).toBe(3);
    const { dir } = writeConfig('extends: ours\n', { '.phasewise/templates/ours.yaml': own });
    expect(loadWorkflow({ cwd: dir }).phases.map((phase) => phase.id)).toEqual([
      'reproduce',
      'fix',
      'verification',
    ]);
  });
});

describe('the package', () => {
  it('ships the templates inside the compiled code, not as YAML files beside it', () => {
    const root = path.join(import.meta.dirname, '..', '..');
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(manifest.files).toContain('dist');
    const sources = readdirSync(path.join(root, 'src', 'config', 'templates'));
    expect(sources.filter((file) => !file.endsWith('.ts'))).toEqual([]);
  });
});
