/**
 * What a lane of a fanned-out phase is: the phase's own definition narrowed to one part. An item's agent gets the
 * phase's role and ladder, its own limit, the task and its own part (the plan's text fenced as data), the
 * upstream handoffs less the plan's work-items block (the task names its part and the others already), and the
 * item gate — the phase's checks that apply to a part: its `command` checks, and a `diff` within the item's
 * files. A merge turn gets the same handoffs, the conflict to resolve, one attempt, and a gate that its changes
 * stay in the conflicting files.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import type { GateCheckConfig, GateConfig } from '../../config/types.js';
import { PROTECTED_ROOT_FILES } from '../../tools/path-guard.js';
import { fenceData as fence } from '../data-fence.js';
import type { PhaseSpec, PhaseWorkflow } from '../phase-spec.js';
import { itemTask, withoutWorkItemsBlock } from '../work-items.js';
import type { WorkItem } from './fan-out-types.js';

export function itemSpec(
  spec: PhaseSpec,
  item: WorkItem,
  items: readonly WorkItem[],
  workspace: string,
  costLimitUsd: number,
): PhaseSpec {
  return {
    ...spec,
    phase: { ...spec.phase, costLimitUsd, gate: itemGate(spec.phase.gate, item) },
    part: itemTask(item, items),
    upstream: spec.upstream.map((up) => ({ ...up, handoff: withoutWorkItemsBlock(up.handoff) })),
    workflow: laneWorkflow(spec.workflow, workspace),
    artifactDir: join(spec.artifactDir, 'items', item.id),
    lane: `item-${item.id}`,
  };
}

export function mergeTurnSpec(
  spec: PhaseSpec,
  item: WorkItem,
  merged: readonly WorkItem[],
  conflicts: readonly string[],
  workspace: string,
  index: number,
): PhaseSpec {
  const checks: GateCheckConfig[] = [
    ...spec.phase.gate.checks.filter((check) => check.kind === 'command'),
    {
      kind: 'diff',
      name: 'merge-within-conflicts',
      weight: 1,
      required: true,
      expect: 'changed',
      allowedPaths: [...conflicts],
    },
  ];
  return {
    ...spec,
    phase: {
      ...spec.phase,
      gate: { threshold: spec.phase.gate.threshold, checks },
      // One turn at resolving it: a merge the role cannot resolve goes to a person, not up a ladder.
      escalation: ['halt'],
    },
    part: mergePart(item, merged, conflicts),
    // The handoffs as the items' lanes read them, so the turn opens with the text they cached.
    upstream: spec.upstream.map((up) => ({ ...up, handoff: withoutWorkItemsBlock(up.handoff) })),
    workflow: laneWorkflow(spec.workflow, workspace),
    artifactDir: join(spec.artifactDir, 'merges', String(index)),
    lane: `merge-${index}`,
  };
}

/**
 * The workflow as a lane sees it: its worktree as the workspace, and the governing files protected there too. A
 * worktree holds a copy of every tracked file, the configuration at `ci/pw.yaml` or the task file among them, and
 * what a lane changes is merged into the workspace: each governing file inside the workspace is protected at its
 * place in the worktree as well as where it is.
 */
export function laneWorkflow(workflow: PhaseWorkflow, worktree: string): PhaseWorkflow {
  const sandbox = workflow.sandbox;
  if (sandbox?.protectedFiles === undefined) return { ...workflow, workspace: worktree };
  const copies = governingPaths(workflow).map((path) => join(worktree, path));
  return {
    ...workflow,
    workspace: worktree,
    sandbox: { ...sandbox, protectedFiles: [...new Set([...sandbox.protectedFiles, ...copies])] },
  };
}

/**
 * The run's governing files inside its workspace, relative to it with `/` separators: the protected ones, and
 * the configuration names at the root, which every tool refuses by name.
 */
export function governingPaths(workflow: PhaseWorkflow): string[] {
  const inside = (workflow.sandbox?.protectedFiles ?? [])
    .map((file) => relative(workflow.workspace, file))
    .filter((path) => path !== '' && path.split(sep)[0] !== '..' && !isAbsolute(path))
    .map((path) => path.split(sep).join('/'));
  return [...new Set([...PROTECTED_ROOT_FILES, ...inside])];
}

function itemGate(gate: GateConfig, item: WorkItem): GateConfig {
  const declaredDiff = gate.checks.find((check) => check.kind === 'diff');
  const diff: GateCheckConfig = {
    kind: 'diff',
    name: `${item.id}-changes`,
    weight: declaredDiff?.weight ?? 1,
    required: declaredDiff?.required ?? false,
    expect: 'changed',
    ...(item.files.length === 0 ? {} : { allowedPaths: [...item.files] }),
  };
  return {
    threshold: gate.threshold,
    checks: [...gate.checks.filter((check) => check.kind === 'command'), diff],
  };
}

function mergePart(item: WorkItem, merged: readonly WorkItem[], conflicts: readonly string[]): string {
  const before = merged.map((other) => `- ${other.id}: ${other.title}`).join('\n') || '(none)';
  return [
    `Work items built side by side are being merged. Merging item ${item.id} into the items merged before it left conflicts in ${conflicts.length === 1 ? 'one file' : `${conflicts.length} files`}: ${conflicts.join(', ')}. Each holds both sides between conflict markers: the side after \`<<<<<<<\` is the items merged so far, the side before \`>>>>>>>\` is item ${item.id}. Edit each file so it keeps what both sides intend, remove every conflict marker, and change no other file; then report what you kept from each side.`,
    fence(`work item ${item.id}`, `${item.title}\nacceptance: ${item.acceptance}`),
    fence('items merged before it', before),
  ].join('\n\n');
}
