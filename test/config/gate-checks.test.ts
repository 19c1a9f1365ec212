import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultGateChecks, describeDefaultGateChecks } from '../../src/config/defaults.js';
import { configJsonSchema, loadWorkflow } from '../../src/config/index.js';
import { rubricCriteria } from '../../src/config/resolve-gate-check.js';
import { issueAt, lines, loadYaml, rejectionOf, where, writeConfig } from './config-files.js';

const MODULE_SOURCE = 'export const check = () => ({ score: 1, message: "ok" });\n';

/** A phase `review:` whose gate lists the given check lines, each starting on line 5 onwards. */
function reviewChecks(...rows: string[]): string {
  return lines(
    'phases:',
    '  review:',
    '    quality_gate:',
    '      checks:',
    ...rows.map((row) => `        ${row}`),
  );
}

describe('gate checks in the configuration', () => {
  it('loads every kind with its options, resolving files against the configuration file', () => {
    const { dir } = writeConfig(
      reviewChecks(
        '- { kind: sections, weight: 0.2 }',
        '- { kind: cost, weight: 0.1, required: true }',
        '- { kind: grounding, weight: 0.1, min_citations: 3, symbols: false, allow_new: false }',
        '- { kind: command, name: tests, command: npm test, timeout: 90s, expect_exit: 0, required: true }',
        '- { kind: judge, weight: 0.2, rubric: [Names files, States risks], model: sonnet }',
        '- { kind: judge, name: judge-file, rubric_file: ./rubrics/review.md, model: "anthropic:claude-opus-4-5" }',
        '- { kind: findings, max_critical: 0, max_high: 1, max_low: 10 }',
        '- { kind: diff, expect: changed, allowed_paths: ["src/**", docs] }',
        '- { kind: custom, module: ./checks/mine.mjs, export: check, options: { min: 2 } }',
      ),
      {
        'rubrics/review.md':
          '# Review rubric\n\n- Every finding has a file and line\n- Severity is justified\n',
        'checks/mine.mjs': MODULE_SOURCE,
      },
    );
    const workflow = loadWorkflow({ cwd: dir });
    expect(workflow.phases[0]?.gate.checks).toEqual([
      { kind: 'sections', name: 'sections', weight: 0.2, required: false },
      { kind: 'cost', name: 'cost', weight: 0.1, required: true },
      {
        kind: 'grounding',
        name: 'grounding',
        weight: 0.1,
        required: false,
        minCitations: 3,
        symbols: false,
        allowNew: false,
      },
      {
        kind: 'command',
        name: 'tests',
        weight: 1,
        required: true,
        command: 'npm test',
        timeoutMs: 90_000,
        expectExit: 0,
      },
      {
        kind: 'judge',
        name: 'judge',
        weight: 0.2,
        required: false,
        rubric: ['Names files', 'States risks'],
        model: 'sonnet',
      },
      {
        kind: 'judge',
        name: 'judge-file',
        weight: 1,
        required: false,
        rubric: ['Every finding has a file and line', 'Severity is justified'],
        rubricFile: path.join(dir, 'rubrics/review.md'),
        model: 'anthropic:claude-opus-4-5',
      },
      {
        kind: 'findings',
        name: 'findings',
        weight: 1,
        required: false,
        limits: { critical: 0, high: 1, low: 10 },
      },
      {
        kind: 'diff',
        name: 'diff',
        weight: 1,
        required: false,
        expect: 'changed',
        allowedPaths: ['src/**', 'docs'],
      },
      {
        kind: 'custom',
        name: 'custom',
        weight: 1,
        required: false,
        module: path.join(dir, 'checks/mine.mjs'),
        moduleSha256: createHash('sha256').update(MODULE_SOURCE).digest('hex'),
        export: 'check',
        options: { min: 2 },
      },
    ]);
  });

  it('fills in the defaults of each kind', () => {
    const workflow = loadYaml(
      reviewChecks(
        '- { kind: grounding }',
        '- { kind: command, command: make check }',
        '- { kind: judge, rubric: [Clear] }',
        '- { kind: findings }',
        '- { kind: custom, module: ./c.mjs }',
      ),
      { 'c.mjs': 'export default () => ({ score: 1, message: "" });\n' },
    );
    expect(workflow.phases[0]?.gate.checks).toMatchObject([
      { kind: 'grounding', minCitations: 0, symbols: true, allowNew: false },
      { kind: 'command', timeoutMs: 300_000, expectExit: 0 },
      { kind: 'judge', model: 'opus' },
      { kind: 'findings', limits: { critical: 0, high: 2 } },
      { kind: 'custom', export: 'default' },
    ]);
  });

  it('makes a work-items check required unless it says otherwise', () => {
    const workflow = loadYaml(
      reviewChecks(
        '- { kind: work-items }',
        '- { kind: work-items, name: items-scored, weight: 0.5, required: false }',
      ),
    );
    expect(workflow.phases[0]?.gate.checks).toEqual([
      { kind: 'work-items', name: 'work-items', weight: 1, required: true },
      { kind: 'work-items', name: 'items-scored', weight: 0.5, required: false },
    ]);
  });

  it('lets a listed grounding check excuse new citations by default only for a planning agent', () => {
    const workflow = loadYaml(
      lines(
        'agents:',
        '  architect: { extends: planning }',
        'phases:',
        '  design: { agent: architect, quality_gate: { checks: [{ kind: grounding }] } }',
        '  research: { quality_gate: { checks: [{ kind: grounding }] } }',
      ),
    );
    expect(workflow.phases.map((phase) => phase.gate.checks[0])).toMatchObject([
      { kind: 'grounding', allowNew: true },
      { kind: 'grounding', allowNew: false },
    ]);
  });

  it('gives the judge the top tier of the configured tiers by default', () => {
    const workflow = loadYaml(
      lines(
        'models:',
        '  tiers: [small, large]',
        '  small: openai:gpt-5-mini',
        '  large: openai:gpt-5',
        'phases:',
        '  review:',
        '    quality_gate: { checks: [{ kind: judge, rubric: [Clear] }] }',
      ),
    );
    expect(workflow.phases[0]?.gate.checks[0]).toMatchObject({ kind: 'judge', model: 'large' });
  });

  it.each([
    ['- { kind: command }', 'phases.review.quality_gate.checks[0].command', 'phasewise.yaml:5:11'],
    [
      '- { kind: command, command: x, timeout: soon }',
      'phases.review.quality_gate.checks[0].timeout',
      'phasewise.yaml:5:49',
    ],
    [
      '- { kind: command, command: x, expect_exit: 300 }',
      'phases.review.quality_gate.checks[0].expect_exit',
      'phasewise.yaml:5:53',
    ],
    ['- { kind: diff, expect: same }', 'phases.review.quality_gate.checks[0].expect', 'phasewise.yaml:5:33'],
    [
      '- { kind: findings, max_high: -1 }',
      'phases.review.quality_gate.checks[0].max_high',
      'phasewise.yaml:5:39',
    ],
    [
      '- { kind: grounding, min_citations: 1.5 }',
      'phases.review.quality_gate.checks[0].min_citations',
      'phasewise.yaml:5:45',
    ],
    ['- { kind: judge, rubric: [] }', 'phases.review.quality_gate.checks[0].rubric', 'phasewise.yaml:5:34'],
    [
      '- { kind: custom, modul: ./a.mjs }',
      'phases.review.quality_gate.checks[0].modul',
      'phasewise.yaml:5:27',
    ],
    [
      '- { kind: work-items, max_items: 3 }',
      'phases.review.quality_gate.checks[0].max_items',
      'phasewise.yaml:5:31',
    ],
    [
      '- { kind: work-items, required: yes please }',
      'phases.review.quality_gate.checks[0].required',
      'phasewise.yaml:5:41',
    ],
  ])('refuses %s at its place', (row, fieldPath, place) => {
    const { error } = rejectionOf(reviewChecks(row));
    expect(where(issueAt(error, fieldPath))).toBe(place);
  });

  it('names the problems the resolver finds: files, models, rubric', () => {
    const { error, dir } = rejectionOf(
      reviewChecks(
        '- { kind: custom, module: ./checks/missing.mjs }',
        '- { kind: custom, name: py, module: ./check.py }',
        '- { kind: judge, rubric_file: ./nothing.md }',
        '- { kind: judge, name: j2, model: opsu, rubric: [A] }',
        '- { kind: judge, name: j3 }',
        '- { kind: judge, name: j4, rubric: [A], rubric_file: ./r.md }',
        '- { kind: judge, name: j5, model: "nobody:model", rubric: [A] }',
        '- { kind: judge, name: j6, rubric_file: ./empty.md }',
      ),
      { 'check.py': 'print(1)\n', 'r.md': '- A\n', 'empty.md': '# only a title\n' },
    );
    const at = (index: number, field?: string) =>
      issueAt(error, `phases.review.quality_gate.checks[${index}]${field === undefined ? '' : `.${field}`}`);
    expect(at(0, 'module')).toMatchObject({
      line: 5,
      message: `module not found: ${path.join(dir, 'checks/missing.mjs')}`,
      hint: 'paths are relative to the configuration file, e.g. ./checks/my-check.mjs',
    });
    expect(at(1, 'module').message).toBe(
      `expected an ES module (.mjs or .js): ${path.join(dir, 'check.py')}`,
    );
    expect(at(2, 'rubric_file')).toMatchObject({
      line: 7,
      message: `file not found: ${path.join(dir, 'nothing.md')}`,
    });
    expect(at(3, 'model')).toMatchObject({
      message: 'unknown tier `opsu` (tiers: haiku, sonnet, opus)',
      hint: 'did you mean `opus`?',
    });
    expect(where(at(4))).toBe('phasewise.yaml:9:11');
    expect(at(4).message).toBe('a judge check needs a `rubric` (a list of criteria) or a `rubric_file`');
    expect(at(5, 'rubric_file')).toMatchObject({
      line: 10,
      message: 'give the rubric either inline (`rubric`) or as `rubric_file`',
    });
    expect(at(6, 'model').message).toBe('unknown provider `nobody` in `nobody:model`');
    expect(at(7, 'rubric_file').message).toBe(
      `the rubric file has no criteria: ${path.join(dir, 'empty.md')}`,
    );
  });

  it('asks for distinct names when a kind is listed twice', () => {
    const { error } = rejectionOf(
      reviewChecks('- { kind: command, command: a }', '- { kind: command, command: b }'),
    );
    expect(issueAt(error, 'phases.review.quality_gate.checks[1]')).toMatchObject({
      line: 6,
      message: 'a check named `command` is already listed',
    });
  });

  it('reads rubric files as list items, or as lines when there is no list', () => {
    expect(rubricCriteria('# Title\n\n1. First\n2) Second\n* Third\nprose between\n')).toEqual([
      'First',
      'Second',
      'Third',
    ]);
    expect(rubricCriteria('Clear\n\nCorrect\n')).toEqual(['Clear', 'Correct']);
  });
});

describe('default checks per role', () => {
  it('follows the role of each built-in phase', () => {
    const checks = Object.fromEntries(
      loadYaml(lines('version: 1')).phases.map((phase) => [phase.id, phase.gate.checks]),
    );
    const summary = (id: string) =>
      checks[id]?.map((check) =>
        [check.kind, check.weight, check.required, check.kind === 'diff' ? check.expect : '']
          .join(' ')
          .trim(),
      );
    expect(summary('research')).toEqual([
      'sections 0.6 false',
      'grounding 0.2 false',
      'cost 0.2 true',
      'diff 0 true unchanged',
    ]);
    expect(summary('planning')).toEqual([
      'sections 0.7 false',
      'grounding 0.1 false',
      'cost 0.2 true',
      'work-items 0 true',
    ]);
    expect(summary('implementation')).toEqual([
      'sections 0.5 false',
      'diff 0.3 true changed',
      'cost 0.2 true',
    ]);
    expect(summary('review')).toEqual([
      'sections 0.4 false',
      'findings 0.4 false',
      'cost 0.2 true',
      'diff 0 true unchanged',
    ]);
    expect(summary('verification')).toEqual(['sections 0.6 false', 'cost 0.2 true']);
    expect(checks.review?.[1]).toMatchObject({ limits: { critical: 0, high: 2 } });
    expect(checks.research?.[1]).toMatchObject({ kind: 'grounding', allowNew: false });
    expect(checks.planning?.[1]).toMatchObject({ kind: 'grounding', allowNew: true });
  });

  it('follows the role an agent extends, and falls back to sections and cost for other agents', () => {
    const workflow = loadYaml(
      lines(
        'agents:',
        '  security-review: { extends: review }',
        '  triage: { prompt: Sort the issues. }',
        'phases:',
        '  audit: { agent: security-review }',
        '  triage: {}',
      ),
    );
    expect(workflow.phases[0]?.gate.checks).toEqual(defaultGateChecks('review'));
    expect(workflow.phases[1]?.gate.checks).toEqual([
      { kind: 'sections', name: 'sections', weight: 0.8, required: false },
      { kind: 'cost', name: 'cost', weight: 0.2, required: true },
    ]);
    expect(defaultGateChecks()).toEqual(workflow.phases[1]?.gate.checks);
  });

  it('are described in the JSON Schema', () => {
    const description = describeDefaultGateChecks();
    expect(description).toContain(
      'research: sections 0.6, grounding 0.2, cost 0.2 required, diff unchanged 0 required',
    );
    expect(description).toContain(
      'planning: sections 0.7, grounding 0.1, cost 0.2 required, work-items 0 required',
    );
    expect(description).toContain('other agents: sections 0.8, cost 0.2 required');
    expect(JSON.stringify(configJsonSchema())).toContain(JSON.stringify(description));
  });
});
