import { describe, expect, it } from 'vitest';
import { defaultGateChecks } from '../../src/config/defaults.js';
import { evaluateGate } from '../../src/gate/gate.js';
import { check, gateInput, gateServices } from './gate-fixtures.js';

const plan = (items: unknown[]) =>
  [
    '## Implementation plan',
    'Two writers, then the command.',
    '```json',
    JSON.stringify({ work_items: items }),
    '```',
    '## Handoff',
    'Build the writers first.',
  ].join('\n');

const item = (id: string, dependsOn: string[] = []) => ({
  id,
  title: `Build ${id}`,
  files: [`src/${id}.ts`],
  depends_on: dependsOn,
  acceptance: `${id} has tests`,
});

/** The gate a planning phase gets by default: the work-items check is a veto of weight 0. */
const planningGate = { threshold: 0.9, checks: defaultGateChecks('planning') };
const deliverables = ['Implementation plan', 'Handoff'];

async function evaluate(output: string, checks = planningGate.checks) {
  return evaluateGate({ threshold: 0.9, checks }, gateInput({ output, deliverables }), gateServices());
}

describe('the work-items check', () => {
  it('passes a report without work items, saying the next phase runs as one agent', async () => {
    const result = await evaluate('## Implementation plan\nOne change.\n## Handoff\nx');
    expect(result).toMatchObject({ passed: true, vetoed: false, score: 1 });
    expect(result.checks.find((entry) => entry.kind === 'work-items')).toMatchObject({
      name: 'work-items',
      passed: true,
      required: true,
      weight: 0,
      message: 'no work items: the next phase runs as a single agent',
    });
  });

  it('passes a usable list, counting the items and the independent ones', async () => {
    const result = await evaluate(plan([item('csv'), item('pdf'), item('command', ['csv', 'pdf'])]));
    expect(result.passed).toBe(true);
    expect(result.checks.find((entry) => entry.kind === 'work-items')).toMatchObject({
      passed: true,
      message: '3 work items (2 independent)',
      evidence: { items: 3, independent: ['csv', 'pdf'], order: ['csv', 'pdf', 'command'] },
    });
    const one = await evaluate(plan([item('only')]));
    expect(one.checks.at(-1)?.message).toBe('1 work item (1 independent)');
  });

  it('vetoes an unusable list in the built-in planning gate, with the reason for the retry', async () => {
    const result = await evaluate(plan([item('a', ['b']), item('b', ['a'])]));
    expect(result).toMatchObject({ passed: false, vetoed: true });
    expect(result.checks.find((entry) => entry.kind === 'work-items')).toMatchObject({
      passed: false,
      score: 0,
      message:
        'unusable work items: the work-items block (line 3): the dependencies go round in a circle: a → b → a ' +
        '(each depends on the next)',
    });
  });

  it('fails a file outside the workspace, naming the item and the file', async () => {
    const outside = { ...item('a'), files: ['../secrets.txt'] };
    const result = await evaluate(plan([outside]), [check('work-items', { required: true })]);
    expect(result.passed).toBe(false);
    expect(result.checks[0]?.message).toContain(
      'work_items[0].files[0]: item "a" file "../secrets.txt" leaves the workspace',
    );
  });

  it('only scores when not required', async () => {
    const checks = [check('sections', {}), check('work-items', { required: false })];
    const result = await evaluate(plan([{ ...item('a'), id: 'A' }]), checks);
    expect(result).toMatchObject({ vetoed: false, passed: false, score: 0.5 });
  });
});
