/**
 * `fan_out:` on a phase: the forms it takes, what it resolves to, every refusal at its line and column, and a
 * workflow without it resolving exactly as it did before the field existed (its hash is the journal's check).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describePlan } from '../../src/cli/commands/validate.js';
import { builtinWorkflow, initTemplate, loadWorkflow } from '../../src/config/index.js';
import { ExitCode } from '../../src/errors/index.js';
import { workflowHash } from '../../src/orchestrator/start-run.js';
import { issueAt, lines, loadYaml, rejectionOf, tempDir, where } from './config-files.js';

/** The five phases as a file writes them, with `rows` under `implementation:` (its first row is line 7). */
function withImplementation(...rows: string[]): string {
  return lines(
    'version: 1',
    'phases:',
    '  research: {}',
    '  planning: { depends_on: research }',
    '  implementation:',
    '    depends_on: planning',
    ...rows.map((row) => `    ${row}`),
    '  review: { depends_on: implementation }',
    '  verification: { depends_on: review }',
  );
}

const phaseOf = (yaml: string, id: string) => loadYaml(yaml).phases.find((phase) => phase.id === id);

/** The keys a resolved phase had before `fan_out` existed: a phase without it must have exactly these. */
const PHASE_KEYS = [
  'id',
  'agent',
  'model',
  'timeoutMs',
  'costLimitUsd',
  'dependsOn',
  'gate',
  'escalation',
  'maxTurns',
  'maxOutputTokens',
];

describe('fan_out: the forms it takes', () => {
  it('resolves a full mapping', () => {
    const phase = phaseOf(
      withImplementation('fan_out: { from: planning, max_parallel: 4, item_cost_limit: $0.08 }'),
      'implementation',
    );
    expect(phase?.fanOut).toEqual({ from: 'planning', maxParallel: 4, itemCostLimitUsd: 0.08 });
  });

  it('defaults max_parallel to 3 and leaves the item limit out (an equal share, decided by the runner)', () => {
    const phase = phaseOf(withImplementation('fan_out: { from: planning }'), 'implementation');
    expect(phase?.fanOut).toEqual({ from: 'planning', maxParallel: 3 });
    expect(JSON.stringify(phase?.fanOut)).not.toContain('itemCostLimitUsd');
  });

  it('takes a phase upstream through others, the bounds of max_parallel, and an item limit equal to the phase’s', () => {
    const yaml = withImplementation(
      'cost_limit: $0.50',
      'fan_out:',
      '  from: research',
      '  max_parallel: 16',
      '  item_cost_limit: 0.5',
    );
    expect(phaseOf(yaml, 'implementation')?.fanOut).toEqual({
      from: 'research',
      maxParallel: 16,
      itemCostLimitUsd: 0.5,
    });
    const one = withImplementation('fan_out: { from: planning, max_parallel: 1 }');
    expect(phaseOf(one, 'implementation')?.fanOut?.maxParallel).toBe(1);
  });

  it('takes `from: task` on a phase with no upstream phase', () => {
    const yaml = lines('phases:', '  build:', '    agent: implementation', '    fan_out: { from: task }');
    expect(phaseOf(yaml, 'build')?.fanOut).toEqual({ from: 'task', maxParallel: 3 });
  });

  it('takes agents that write: one extending implementation, one of its own with write permission', () => {
    const yaml = lines(
      'agents:',
      '  builder: { extends: implementation }',
      '  scribe: { prompt: Write the docs., permissions: [read, write] }',
      'phases:',
      '  planning: {}',
      '  build: { agent: builder, depends_on: planning, fan_out: { from: planning } }',
      '  docs: { agent: scribe, depends_on: build, fan_out: { from: planning, max_parallel: 2 } }',
    );
    const workflow = loadYaml(yaml);
    expect(workflow.phases.map((phase) => phase.fanOut)).toEqual([
      undefined,
      { from: 'planning', maxParallel: 3 },
      { from: 'planning', maxParallel: 2 },
    ]);
  });
});

describe('fan_out: off', () => {
  it('resolves to no fan-out, byte for byte the phase without the field', () => {
    const off = loadYaml(withImplementation('fan_out: off'));
    const absent = loadYaml(withImplementation());
    expect(JSON.stringify(off.phases)).toBe(JSON.stringify(absent.phases));
  });

  it("turns the built-in workflow's fan-out off, changing nothing else", () => {
    const dir = tempDir();
    const file = path.join(dir, 'phasewise.yaml');
    const written = '    fan_out: { from: planning, required: false }';
    expect(initTemplate()).toContain(written);
    writeFileSync(file, initTemplate().replace(written, '    fan_out: off'));
    const builtin = builtinWorkflow(dir);
    const withoutFanOut = builtin.phases.map(({ fanOut: _, ...phase }) => phase);
    expect(loadWorkflow({ cwd: dir })).toEqual({ ...builtin, phases: withoutFanOut, sourceFile: file });
  });

  it('is accepted on a phase that could not fan out', () => {
    const yaml = withImplementation().replace(
      'review: { depends_on: implementation }',
      'review: { depends_on: implementation, fan_out: off }',
    );
    expect(phaseOf(yaml, 'review')).not.toHaveProperty('fanOut');
  });
});

describe('a workflow without fan_out', () => {
  it('has no fanOut key on any phase', () => {
    const workflow = loadYaml(withImplementation());
    for (const phase of workflow.phases) expect(Object.keys(phase)).toEqual(PHASE_KEYS);
    expect(JSON.stringify(workflow)).not.toContain('fanOut');
  });
});

describe("the built-in workflow's fan-out", () => {
  it("fans out implementation over planning's work items where it can help, and nothing else", () => {
    const phases = builtinWorkflow('/repo').phases;
    expect(phases.find((phase) => phase.id === 'implementation')?.fanOut).toEqual({
      from: 'planning',
      maxParallel: 3,
      optional: true,
    });
    expect(phases.filter((phase) => phase.fanOut !== undefined).map((phase) => phase.id)).toEqual([
      'implementation',
    ]);
  });

  it('gives way, without an error, when the implementation agent is redefined as read-only', () => {
    const workflow = loadYaml(lines('version: 1', 'agents:', '  implementation:', '    permissions: [read]'));
    expect(workflow.phases.some((phase) => phase.fanOut !== undefined)).toBe(false);
  });

  it('is written `required: false`: a required fan-out has no `optional`', () => {
    expect(phaseOf(withImplementation('fan_out: { from: planning }'), 'implementation')?.fanOut).toEqual({
      from: 'planning',
      maxParallel: 3,
    });
    expect(
      phaseOf(withImplementation('fan_out: { from: planning, required: false }'), 'implementation')?.fanOut,
    ).toMatchObject({ optional: true });
  });

  it('hashes as before: `fan_out: off` changes nothing, a fan-out changes the hash', () => {
    const dir = tempDir();
    const hashOf = (yaml: string) => {
      writeFileSync(path.join(dir, 'phasewise.yaml'), yaml);
      return workflowHash(loadWorkflow({ cwd: dir }));
    };
    const without = hashOf(withImplementation());
    expect(hashOf(withImplementation('fan_out: off'))).toBe(without);
    expect(hashOf(withImplementation('fan_out: { from: planning }'))).not.toBe(without);
  });
});

describe('fan_out: refusals, each at its line and column', () => {
  it('refuses a phase that is not upstream, naming the upstream phases', () => {
    // `docs` is a phase, but a sibling: nothing makes `verification` wait for it.
    const yaml = withImplementation().replace(
      'verification: { depends_on: review }',
      lines(
        'verification:',
        '    depends_on: review',
        '    agent: implementation',
        '    fan_out: { from: docs }',
        '  docs: { agent: research }',
      ).trimEnd(),
    );
    const { error } = rejectionOf(yaml);
    expect(error.exitCode).toBe(ExitCode.usage);
    const issue = issueAt(error, 'phases.verification.fan_out.from');
    expect(where(issue)).toBe('phasewise.yaml:11:22');
    expect(issue).toMatchObject({
      message: '`docs` is not upstream of `verification`: work items come from a phase it depends on',
      hint: "upstream of `verification` (through depends_on): research, planning, implementation, review; or `task` for the task file's items",
    });
  });

  it('refuses a downstream phase', () => {
    const { error } = rejectionOf(withImplementation('fan_out: { from: review }'));
    const issue = issueAt(error, 'phases.implementation.fan_out.from');
    expect(where(issue)).toBe('phasewise.yaml:7:22');
    expect(issue.message).toBe(
      '`review` is not upstream of `implementation`: work items come from a phase it depends on',
    );
    expect(issue.hint).toBe(
      "upstream of `implementation` (through depends_on): research, planning; or `task` for the task file's items",
    );
  });

  it('refuses an unknown phase, suggesting the close upstream one', () => {
    const { error } = rejectionOf(withImplementation('fan_out:', '  from: plannig'));
    const issue = issueAt(error, 'phases.implementation.fan_out.from');
    expect(where(issue)).toBe('phasewise.yaml:8:13');
    expect(issue).toMatchObject({
      message: 'unknown phase `plannig`',
      hint: "did you mean `planning`? upstream of `implementation` (through depends_on): research, planning; or `task` for the task file's items",
    });
  });

  it('refuses the phase itself', () => {
    const { error } = rejectionOf(withImplementation('fan_out: { from: implementation }'));
    const issue = issueAt(error, 'phases.implementation.fan_out.from');
    expect(where(issue)).toBe('phasewise.yaml:7:22');
    expect(issue.message).toBe('phase `implementation` cannot take its work items from itself');
  });

  it('says so when the phase has no upstream phase at all', () => {
    const { error } = rejectionOf(
      lines(
        'phases:',
        '  planning: {}',
        '  build:',
        '    agent: implementation',
        '    fan_out: { from: planning }',
      ),
    );
    const issue = issueAt(error, 'phases.build.fan_out.from');
    expect(where(issue)).toBe('phasewise.yaml:5:22');
    expect(issue.hint).toBe(
      "`build` has no upstream phases: add the phase that lists the work items to its depends_on, or use `task` for the task file's items",
    );
  });

  it('refuses `from: task` when a phase is named task', () => {
    const { error } = rejectionOf(
      lines(
        'phases:',
        '  task: {agent: planning}',
        '  build:',
        '    agent: implementation',
        '    depends_on: task',
        '    fan_out: { from: task, copy_ignored: [node_modules, .env] }',
      ),
    );
    expect(issueAt(error, 'phases.build.fan_out.from')).toMatchObject({
      line: 6,
      column: 22,
      message: '`task` is ambiguous: it names both the task and a phase',
    });
  });

  it.each([
    ['fan_out: { from: planning, max_parallel: 0 }', 'max_parallel', 46, 'must be at least 1, got 0'],
    ['fan_out: { from: planning, max_parallel: 17 }', 'max_parallel', 46, 'must be at most 16, got 17'],
    [
      'fan_out: { from: planning, max_parallel: 2.5 }',
      'max_parallel',
      46,
      'expected a whole number, got 2.5',
    ],
    ['fan_out: { from: planning, max_parallel: many }', 'max_parallel', 46, 'expected a number, got "many"'],
    ['fan_out: { from: planning, item_cost_limit: 0 }', 'item_cost_limit', 49, 'must be greater than zero'],
    [
      'fan_out: { from: planning, item_cost_limit: cheap }',
      'item_cost_limit',
      49,
      '"cheap" is not an amount in USD; write e.g. 0.05 or "$0.05"',
    ],
    ['fan_out: { max_parallel: 2 }', '', 14, ''],
  ])('refuses %s', (row, field, column, message) => {
    const { error } = rejectionOf(withImplementation(row));
    if (field === '') {
      expect(issueAt(error, 'phases.implementation.fan_out.from')).toMatchObject({
        line: 7,
        column,
        message: 'is required',
      });
      return;
    }
    expect(issueAt(error, `phases.implementation.fan_out.${field}`)).toMatchObject({
      line: 7,
      column,
      message,
    });
  });

  it('takes the ignored paths to copy into each worktree, as written from the workspace', () => {
    const phase = phaseOf(
      withImplementation(
        'fan_out: { from: planning, copy_ignored: [node_modules/, ./.env, packages/api/dist, .env] }',
      ),
      'implementation',
    );
    expect(phase?.fanOut).toEqual({
      from: 'planning',
      maxParallel: 3,
      copyIgnored: ['node_modules', '.env', 'packages/api/dist'],
    });
    // None listed is none: the phase resolves as without the field.
    const none = phaseOf(
      withImplementation('fan_out: { from: planning, copy_ignored: [] }'),
      'implementation',
    );
    expect(none?.fanOut).toEqual({ from: 'planning', maxParallel: 3 });
  });

  it.each([
    ['/etc/passwd', 'is not relative to the workspace'],
    ['~/secrets', 'is not relative to the workspace'],
    ['../sibling/node_modules', 'leads out of the workspace: `..` is not allowed'],
    ['build/../../x', 'leads out of the workspace'],
    ['.', 'the whole workspace cannot be copied'],
    ['.phasewise/runs', "is never copied into a worktree: `.phasewise` is phasewise's own folder"],
    ['.git', "is never copied into a worktree: `.git` is git's own folder"],
  ])('refuses the copy_ignored path %s at its line and column', (path, message) => {
    const { error } = rejectionOf(
      withImplementation('fan_out:', '  from: planning', `  copy_ignored: [node_modules, "${path}"]`),
    );
    expect(error.exitCode).toBe(ExitCode.usage);
    const issue = issueAt(error, 'phases.implementation.fan_out.copy_ignored[1]');
    expect(where(issue)).toBe('phasewise.yaml:9:36');
    expect(issue.message).toContain(message);
  });

  it('refuses copy_ignored that is not a list of paths', () => {
    const { error } = rejectionOf(
      withImplementation('fan_out: { from: planning, copy_ignored: node_modules }'),
    );
    expect(issueAt(error, 'phases.implementation.fan_out.copy_ignored')).toMatchObject({
      line: 7,
      column: 46,
      message: 'expected a list of paths, such as [node_modules, .env]',
    });
  });

  it('refuses an item limit over the phase’s own cost_limit, set or by role', () => {
    const set = rejectionOf(
      withImplementation('cost_limit: 0.10', 'fan_out: { from: planning, item_cost_limit: 0.25 }'),
    );
    expect(issueAt(set.error, 'phases.implementation.fan_out.item_cost_limit')).toMatchObject({
      line: 8,
      column: 49,
      message:
        "one item may not be allowed more than the whole phase: $0.25 is over `implementation`'s cost_limit of $0.10",
    });
    const byRole = rejectionOf(withImplementation('fan_out: { from: planning, item_cost_limit: $0.30 }'));
    expect(issueAt(byRole.error, 'phases.implementation.fan_out.item_cost_limit').message).toContain(
      'cost_limit of $0.20',
    );
  });

  it.each([
    ['review', 'review', 'is the review role, which reads the change and reports findings'],
    ['verification', 'verification', 'is the verification role, which runs checks and reports'],
    ['research', 'research', 'is the research role, which reads the code and reports'],
    ['critic', 'critic', 'extends review, which reads the change and reports findings'],
    ['planning', 'planning', 'cannot write (permissions: read)'],
    ['notes', 'notes', 'cannot write (permissions: read, run)'],
  ])('refuses fan-out on a phase run by %s', (_label, agent, reason) => {
    const yaml = lines(
      'agents:',
      '  critic: { extends: review, permissions: [read, write] }',
      '  notes: { prompt: Take notes., permissions: [read, run] }',
      'phases:',
      '  source: { agent: planning }',
      '  target:',
      `    agent: ${agent}`,
      '    depends_on: source',
      '    fan_out: { from: source }',
    );
    const { error } = rejectionOf(yaml);
    const issue = issueAt(error, 'phases.target.fan_out');
    expect(where(issue)).toBe('phasewise.yaml:9:5');
    expect(issue.message).toBe(`phase \`target\` cannot fan out: its agent \`${agent}\` ${reason}`);
    expect(issue.hint).toContain('use it on a phase whose agent writes');
  });

  it('refuses an unknown key with a suggestion, and forms that are neither off nor a mapping', () => {
    const { error } = rejectionOf(withImplementation('fan_out: { from: planning, max_paralel: 2 }'));
    expect(issueAt(error, 'phases.implementation.fan_out.max_paralel')).toMatchObject({
      line: 7,
      column: 32,
      message: 'unknown key `max_paralel`',
      hint: 'did you mean `max_parallel`?',
    });
    for (const value of ['on', 'true', '3']) {
      const rejected = rejectionOf(withImplementation(`fan_out: ${value}`));
      expect(issueAt(rejected.error, 'phases.implementation.fan_out')).toMatchObject({
        line: 7,
        column: 14,
        message: 'expected `off` or a mapping such as { from: planning, max_parallel: 3 }',
      });
    }
  });
});

describe('`phasewise validate`', () => {
  it('says under the phase table which phases fan out, and how', () => {
    const yaml = withImplementation(
      'fan_out: { from: planning, max_parallel: 4, item_cost_limit: $0.08 }',
    ).replace(
      'verification: { depends_on: review }',
      lines(
        'verification: { depends_on: review }',
        '  docs:',
        '    agent: implementation',
        '    fan_out: { from: task, copy_ignored: [node_modules, .env] }',
      ),
    );
    const plan = stripVTControlCharacters(describePlan(loadYaml(yaml)));
    expect(plan).toContain(
      "implementation fans out: one agent per work item of planning's report, up to 4 at once, at most $0.08 each\n",
    );
    expect(plan).toContain(
      'docs fans out: one agent per work item of the task file, up to 3 at once, each an equal share of what the phase has left; each worktree gets a copy of the ignored node_modules, .env\n',
    );
    expect(stripVTControlCharacters(describePlan(loadYaml(withImplementation())))).not.toContain('fans out');
  });
});
