/**
 * A fanned-out phase when items do not simply pass, in-process: a real git repository, a real SQLite journal, the
 * real workspace tools and gate commands, a scripted model answering each lane from its own entry. One item
 * escalating to the next tier while the others pass on the first; an item that never passes, left out of the
 * merge; the phase's money running out mid-fan-out; a conflict the merge turn cannot resolve.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateCheckConfig, ResolvedPhase } from '../../src/config/types.js';
import type { RunEvent } from '../../src/events/index.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { type EngineHarness, harnessesClosedAfterEach } from '../support/engine.js';
import { git, planReport } from '../support/fan-out-plan.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

interface Item {
  id: string;
  files: string[];
}

const planOf = (items: Item[]) =>
  planReport(items.map(({ id, files }) => ({ id, title: id[0]!.toUpperCase() + id.slice(1), files })));

const threeItems: Item[] = [
  { id: 'alpha', files: ['alpha.txt'] },
  { id: 'beta', files: ['beta.txt'] },
  { id: 'gamma', files: ['gamma.txt'] },
];

const writes = (...files: Array<[string, string]>) => ({
  toolCalls: files.map(([path, content]) => ({ name: 'write', input: { path, content } })),
});
const done = { text: report('implementation') };
const builds = (path: string, content: string) => ({ turns: [writes([path, content]), done] });

/** The phase's own check, which an item's gate keeps: no text file of the workspace says BROKEN. */
const noBrokenFile: GateCheckConfig = {
  kind: 'command',
  name: 'nothing-broken',
  weight: 1,
  required: true,
  command: '! cat ./*.txt 2>/dev/null | grep -q BROKEN',
  timeoutMs: 10_000,
  expectExit: 0,
};

function repository(): string {
  const workspace = testWorkflow().workspace;
  writeFileSync(join(workspace, 'README.md'), 'a project\n');
  writeFileSync(join(workspace, 'shared.txt'), 'original\n');
  git(workspace, 'init', '-q');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'init');
  return workspace;
}

function fannedOut(workspace: string, implementation: Partial<ResolvedPhase>, budgetUsd = 10) {
  return testWorkflow({
    workspace,
    budgetUsd,
    phases: [
      phase('planning'),
      phase('implementation', {
        dependsOn: ['planning'],
        fanOut: { from: 'planning', maxParallel: 3 },
        ...implementation,
      }),
    ],
  });
}

function eventsOf(h: EngineHarness) {
  return <T extends RunEvent['type']>(type: T) =>
    h.events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);
}

const worktreesOf = (workspace: string, runId: string) =>
  join(workspace, '.phasewise', 'worktrees', runId, 'implementation');

describe('a fanned-out phase whose items do not all pass at once', () => {
  it('escalates one item to the next tier while the others pass on the first', async () => {
    const workspace = repository();
    const workflow = fannedOut(workspace, {
      gate: {
        ...phase('implementation').gate,
        checks: [...phase('implementation').gate.checks, noBrokenFile],
      },
      escalation: ['escalate', 'halt'],
    });
    const h = make(workflow, {
      phases: {
        planning: [{ turns: [{ text: planOf(threeItems) }] }],
        // Its first attempt fails the phase's command check, which its item gate keeps; the second passes it.
        'implementation/item-alpha': [builds('alpha.txt', 'BROKEN\n'), builds('alpha.txt', 'alpha\n')],
        'implementation/item-beta': [builds('beta.txt', 'beta\n')],
        'implementation/item-gamma': [builds('gamma.txt', 'gamma\n')],
      },
    } satisfies ModelScript);
    const result = await h.run({ tools: createWorkspaceTools() });
    expect(result.status).toBe('succeeded');
    const of = eventsOf(h);

    const ends = Object.fromEntries(of('item-end').map((event) => [event.item, event]));
    expect(ends.alpha).toMatchObject({
      status: 'passed',
      attempts: 2,
      tier: 'medium',
      model: 'scripted:medium',
    });
    expect(ends.beta).toMatchObject({ status: 'passed', attempts: 1, tier: 'small' });
    expect(ends.gamma).toMatchObject({ status: 'passed', attempts: 1, tier: 'small' });
    // The escalation is alpha's own, and the only one.
    expect(of('escalation-end').map((event) => [event.item, event.action, event.toTier])).toEqual([
      ['alpha', 'escalate', 'medium'],
    ]);
    // Its first attempt's failure is the command check, judged in its own worktree.
    const alphaGates = of('gate-end').filter((event) => event.item === 'alpha');
    expect(alphaGates.map((event) => event.passed)).toEqual([false, true]);
    // The models alpha's lane called: small, then medium; nobody else left the first tier.
    const called = h.backend.calls.map((call) => [call.phaseId, call.modelId]);
    expect(called.filter(([lane]) => lane === 'implementation/item-alpha').map(([, model]) => model)).toEqual(
      ['small', 'small', 'medium', 'medium'],
    );
    expect(
      called.filter(([lane]) => lane !== 'implementation/item-alpha').every(([, m]) => m === 'small'),
    ).toBe(true);
    expect(of('merge-end').map((event) => [event.item, event.outcome])).toEqual([
      ['alpha', 'merged'],
      ['beta', 'merged'],
      ['gamma', 'merged'],
    ]);
    expect(readFileSync(join(workspace, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    const report = readFileSync(
      join(workspace, '.phasewise', 'runs', result.runId, 'implementation', 'report.md'),
      'utf8',
    );
    expect(report).toMatch(/\| alpha \| passed \| medium \|/);
  });

  it('leaves out an item that never passes: the phase gate judges the result without it, and says so', async () => {
    const workspace = repository();
    const workflow = fannedOut(workspace, { escalation: ['escalate', 'halt'] });
    const h = make(workflow, {
      phases: {
        planning: [{ turns: [{ text: planOf(threeItems) }] }],
        'implementation/item-alpha': [builds('alpha.txt', 'alpha\n')],
        // Every attempt writes outside beta's files: its item gate's diff check fails on every tier.
        'implementation/item-beta': [
          { turns: [writes(['beta.txt', 'beta\n'], ['README.md', 'changed\n']), done] },
        ],
        'implementation/item-gamma': [builds('gamma.txt', 'gamma\n')],
      },
    } satisfies ModelScript);
    const result = await h.run({ tools: createWorkspaceTools() });
    const of = eventsOf(h);

    const beta = of('item-end').find((event) => event.item === 'beta');
    expect(beta).toMatchObject({ status: 'halted', attempts: 2, commit: null });
    expect(of('merge-end').map((event) => event.item)).toEqual(['alpha', 'gamma']);
    // The phase's gate ran on the merged result, which lacks beta's work (and its stray change).
    expect(existsSync(join(workspace, 'beta.txt'))).toBe(false);
    expect(readFileSync(join(workspace, 'README.md'), 'utf8')).toBe('a project\n');
    expect(readFileSync(join(workspace, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(join(workspace, 'gamma.txt'), 'utf8')).toBe('gamma\n');
    const phaseGate = of('gate-end').filter((event) => event.phaseId === 'implementation' && !event.item);
    expect(phaseGate).toHaveLength(1);
    expect(result.status).toBe('succeeded');
    // The phase's report names the item that was not merged, and why.
    const text = readFileSync(
      join(workspace, '.phasewise', 'runs', result.runId, 'implementation', 'report.md'),
      'utf8',
    );
    expect(text).toMatch(/\| beta \| halted \| medium \|.*\| not merged \(did not pass\) \|/);
    expect(text).toMatch(/\| alpha \| passed \| small \|.*\| merged \|/);
    expect(of('fan-out-end')[0]).toMatchObject({ status: 'merged' });
  });

  it('stops the fan-out when the phase’s money runs out, overspending by at most one reservation', async () => {
    const workspace = repository();
    const limitUsd = 0.012;
    // Each item may spend more than an equal share, so together they run into the phase's limit.
    const workflow = fannedOut(workspace, {
      costLimitUsd: limitUsd,
      fanOut: { from: 'planning', maxParallel: 3, itemCostLimitUsd: 0.01 },
    });
    const paid = (turn: object) => ({ ...turn, usage: { input: 500, output: 700 } });
    const item = (path: string) => [
      { turns: [paid(writes([path, 'x\n'])), paid(writes([path, 'y\n'])), done] },
    ];
    const h = make(workflow, {
      phases: {
        planning: [{ turns: [{ text: planOf(threeItems) }] }],
        'implementation/item-alpha': item('alpha.txt'),
        'implementation/item-beta': item('beta.txt'),
        'implementation/item-gamma': item('gamma.txt'),
      },
    } satisfies ModelScript);
    const result = await h.run({ tools: createWorkspaceTools() });
    const of = eventsOf(h);

    expect(result.status).toBe('budget_exceeded');
    expect(result.message).toMatch(/cost limit of phase implementation exhausted/);
    const phaseEnd = of('phase-end').find((event) => event.phaseId === 'implementation');
    expect(phaseEnd).toMatchObject({ status: 'budget_exceeded' });
    // What the phase's lanes spent, from the calls themselves.
    const spent = of('model-call-end')
      .filter((event) => event.phaseId === 'implementation')
      .reduce((sum, event) => sum + event.costUsd, 0);
    const largestReservation = Math.max(
      ...of('model-call-start')
        .filter((event) => event.phaseId === 'implementation')
        .map((event) => event.reservedUsd),
    );
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(limitUsd + largestReservation + 1e-9);
    // The journal agrees: every paid step of the phase counted once.
    const journaled = (await h.journal.listSteps(result.runId))
      .filter((step) => step.key.startsWith('implementation/'))
      .reduce((sum, step) => sum + step.costUsd, 0);
    expect(journaled).toBeCloseTo(spent, 9);
    // Nothing merged; the workspace is as it was; the lanes' worktrees stay for a resume with more money.
    expect(of('merge-end')).toEqual([]);
    expect(existsSync(join(workspace, 'alpha.txt'))).toBe(false);
    const left = readdirSync(worktreesOf(workspace, result.runId));
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((name) => name.startsWith('item-'))).toBe(true);
    // The fan-out says how it ended, though an error ended it.
    expect(of('fan-out-end')).toHaveLength(1);
    expect(of('fan-out-end')[0]).toMatchObject({ status: 'budget_exceeded', mergedCommit: null });
    expect(of('fan-out-end')[0]?.message).toMatch(/cost limit of phase implementation exhausted/);
    expect(of('fan-out-end')[0]?.costUsd).toBeCloseTo(spent, 9);
  });

  it('halts for a person when the merge turn leaves the conflict, naming the files', async () => {
    const workspace = repository();
    const workflow = fannedOut(workspace, {});
    const conflicting: Item[] = [
      { id: 'alpha', files: ['alpha.txt', 'shared.txt'] },
      { id: 'beta', files: ['beta.txt'] },
      { id: 'gamma', files: ['shared.txt'] },
    ];
    const h = make(workflow, {
      phases: {
        planning: [{ turns: [{ text: planOf(conflicting) }] }],
        'implementation/item-alpha': [
          { turns: [writes(['alpha.txt', 'alpha\n'], ['shared.txt', 'from alpha\n']), done] },
        ],
        'implementation/item-beta': [builds('beta.txt', 'beta\n')],
        'implementation/item-gamma': [builds('shared.txt', 'from gamma\n')],
        // The merge turn edits the conflicting file but leaves the markers in it.
        'implementation/merge-3': [
          builds('shared.txt', '<<<<<<< HEAD\nfrom alpha\n=======\nfrom gamma\n>>>>>>> gamma\nmerged?\n'),
        ],
      },
    } satisfies ModelScript);
    const result = await h.run({ tools: createWorkspaceTools() });
    const of = eventsOf(h);

    expect(result.status).toBe('halted');
    expect(of('merge-end').map((event) => [event.item, event.outcome, event.files])).toEqual([
      ['alpha', 'merged', []],
      ['beta', 'merged', []],
      ['gamma', 'conflict', ['shared.txt']],
    ]);
    const end = of('phase-end').find((event) => event.phaseId === 'implementation');
    expect(end).toMatchObject({ status: 'halted' });
    expect(end?.message).toMatch(/merging work item gamma left conflicts in shared\.txt/);
    expect(end?.message).toMatch(/phasewise approve/);
    expect(of('fan-out-end')[0]).toMatchObject({ status: 'halted' });
    expect(of('fan-out-end')[0]?.message).toMatch(/shared\.txt/);
    // What was merged before the conflict is in the workspace for the person to judge; no marker is.
    expect(readFileSync(join(workspace, 'shared.txt'), 'utf8')).toBe('from alpha\n');
    expect(readFileSync(join(workspace, 'beta.txt'), 'utf8')).toBe('beta\n');
    // A halted fan-out is finished with: its worktrees are removed.
    expect(existsSync(worktreesOf(workspace, result.runId))).toBe(false);
  });
});
