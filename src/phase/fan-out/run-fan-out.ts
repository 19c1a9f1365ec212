/**
 * A fanned-out phase's first attempt: its work items side by side, each its own lane — the phase's role in a
 * worktree of its own, with its own attempts, escalation, item gate and share of the ledger — then merged into
 * the phase's result in dependency order, a conflict going to one merge turn by the role, and the merged result
 * brought into the workspace, where the phase's own gate judges it as any attempt's work.
 *
 * Every decision is journaled (the fan-out's start: base commit, items and limits; each lane's commit; each
 * merge), so a resume replays finished items and merges, re-runs the ones cut off, and needs git only for what is
 * left to do. An item that does not pass is not merged; the phase's gate then sees the result without it, and its
 * ladder decides. A merge the turn cannot resolve halts the phase for a person, naming the files.
 */

import { type FanOutEndStatus, noTokens } from '../../events/index.js';
import { stepAddress } from '../../journal/index.js';
import { failureStatus, type PhaseOutcome } from '../phase-outcome.js';
import type { FanOut, FanOutAttempt, FanOutResult, PhaseServices } from '../phase-services.js';
import type { PhaseSpec } from '../phase-spec.js';
import { fanOutReport, type LaneReport } from './fan-out-report.js';
import { type FanOutStart, fanOutStartSchema } from './fan-out-schemas.js';
import type { FanOutPlan, ItemWorkspaces, WorkItem } from './fan-out-types.js';
import { type ItemDone, type LaneContext, runItemLane } from './item-lane.js';
import { governingPaths } from './lane-spec.js';
import { mergeLane } from './merge-lane.js';

export function fanOut(plan: FanOutPlan, workspaces: ItemWorkspaces): FanOut {
  return { run: (spec, services, attempt) => new FanOutRun(spec, services, attempt, plan, workspaces).run() };
}

class FanOutRun {
  private readonly phaseId: string;
  private readonly done = new Map<string, ItemDone>();
  private readonly merges = new Map<string, string>();
  private readonly started = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly lanes = new AbortController();
  /** Merged lanes' worktrees being removed while the others run; never an error (`removeAll` gets what is left). */
  private readonly closing: Promise<void>[] = [];
  private halt: string | null = null;
  /** The first error a lane threw (an interrupt, the phase's or the run's money gone, a bug): it ends the fan-out. */
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly spec: PhaseSpec,
    private readonly services: PhaseServices,
    private readonly attempt: FanOutAttempt,
    private readonly plan: FanOutPlan,
    private readonly workspaces: ItemWorkspaces,
  ) {
    this.phaseId = spec.phase.id;
  }

  async run(): Promise<FanOutResult> {
    const { services, phaseId } = this;
    const startedAt = services.clock.now();
    const spentBefore = services.ledger.spent(phaseId);
    const { value: start, replayed } = await services.steps.step(
      { ...stepAddress({ phaseId, step: 'fan-out' }), phaseId, schema: fanOutStartSchema },
      async () => this.begin(),
    );
    services.emit({
      type: 'fan-out-start',
      phaseId,
      baseCommit: start.baseCommit,
      maxParallel: start.maxParallel,
      items: start.items.map(({ id, title, dependsOn, files, costLimitUsd }) => ({
        id,
        title,
        dependsOn,
        files,
        costLimitUsd,
      })),
      ...(replayed ? { replayed } : {}),
    });
    const abort = () => this.lanes.abort(this.attempt.abortSignal.reason);
    this.attempt.abortSignal.addEventListener('abort', abort, { once: true });
    const end = (status: FanOutEndStatus, mergedCommit: string | null, message: string | null) =>
      services.emit({
        type: 'fan-out-end',
        phaseId,
        status,
        mergedCommit,
        costUsd: services.ledger.spent(phaseId) - spentBefore,
        durationMs: services.clock.now() - startedAt,
        message,
      });
    let head = start.baseCommit;
    try {
      head = await this.schedule(start);
      if (head !== start.baseCommit) {
        const governing = governingPaths(this.spec.workflow);
        await this.attempt.changes.during(() => this.workspaces.apply(start.baseCommit, head, governing));
      }
    } catch (error) {
      // The worktrees stay: a resume picks the lanes up where they were.
      this.lanes.abort(error);
      await Promise.allSettled([...this.running.values(), ...this.closing]);
      // The merged commit, when it was bringing it into the workspace that failed.
      const merged = head === start.baseCommit ? null : head;
      end(failureStatus(error), merged, error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      this.attempt.abortSignal.removeEventListener('abort', abort);
    }
    await Promise.all(this.closing);
    await this.workspaces.removeAll();
    end(this.halt === null ? 'merged' : 'halted', head, this.halt);
    return this.result(start, services.ledger.spent(phaseId) - spentBefore);
  }

  private async begin(): Promise<FanOutStart> {
    const baseCommit = await this.workspaces.snapshot();
    const share = this.services.ledger.available(this.phaseId).usd / this.plan.items.length;
    const costLimitUsd = this.plan.itemCostLimitUsd ?? share;
    return {
      baseCommit,
      maxParallel: this.plan.maxParallel,
      items: this.plan.items.map((item) => ({ ...item, costLimitUsd })),
    };
  }

  /** Starts items as their dependencies are merged, merges finished ones in order; returns the merged head. */
  private async schedule(start: FanOutStart): Promise<string> {
    const items = start.items;
    const heads: string[] = [];
    let head = start.baseCommit;
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index]!;
      while (!this.done.has(item.id)) {
        this.startReady(items, heads, start);
        await (this.running.get(item.id) ?? Promise.race(this.running.values()));
        if (this.failure !== null) throw this.failure.error;
      }
      if (this.halt === null) head = await this.mergeItem(item, index, head, items.slice(0, index));
      heads[index] = head;
    }
    await Promise.allSettled(this.running.values());
    return head;
  }

  private startReady(items: FanOutStart['items'], heads: string[], start: FanOutStart): void {
    for (const item of items) {
      if (this.started.has(item.id) || this.running.size >= start.maxParallel) continue;
      const depIndexes = item.dependsOn.map((id) => items.findIndex((other) => other.id === id));
      if (depIndexes.some((index) => heads[index] === undefined)) continue;
      this.started.add(item.id);
      const blocked = item.dependsOn.filter((id) => !this.merges.has(id));
      if (this.halt !== null || blocked.length > 0) {
        this.done.set(item.id, {
          outcome: notRun(this.spec, item, this.halt ?? blockedBy(blocked)),
          commit: null,
        });
        continue;
      }
      const from = depIndexes.length === 0 ? start.baseCommit : heads[Math.max(...depIndexes)]!;
      const task = this.runItem(item, items, from)
        .catch((error: unknown) => {
          this.failure ??= { error };
          this.lanes.abort(error);
        })
        .finally(() => this.running.delete(item.id));
      this.running.set(item.id, task);
    }
  }

  private context(): LaneContext {
    return {
      spec: this.spec,
      services: this.services,
      workspaces: this.workspaces,
      signal: this.lanes.signal,
    };
  }

  private async runItem(item: WorkItem & { costLimitUsd: number }, items: readonly WorkItem[], from: string) {
    const done = await runItemLane(this.context(), item, items, from, () => this.halt !== null);
    this.done.set(item.id, done);
  }

  /** Merges a passed item into `head`; a conflict gets one turn, then halts the phase if it is still there. */
  private async mergeItem(item: WorkItem, index: number, head: string, before: readonly WorkItem[]) {
    const commit = this.done.get(item.id)?.commit ?? null;
    if (commit === null) return head;
    const mergedBefore = before.filter((other) => this.merges.has(other.id));
    const merged = await mergeLane(this.context(), { item, index, head, commit, mergedBefore });
    if ('commit' in merged) {
      this.merges.set(item.id, merged.commit);
      this.closing.push(this.workspaces.close(`item-${item.id}`).catch(() => undefined));
      return merged.commit;
    }
    this.halt = merged.halt;
    this.lanes.abort(new Error(merged.halt));
    return head;
  }

  private result(start: FanOutStart, costUsd: number): FanOutResult {
    const lanes: LaneReport[] = start.items.map((item) => {
      const done = this.done.get(item.id);
      const outcome = done?.outcome;
      return {
        item,
        status: outcome?.status ?? 'not run',
        tier: outcome?.tier ?? '–',
        costUsd: outcome?.costUsd ?? 0,
        gateScore: outcome?.gateScore ?? null,
        reportPath: outcome?.status === 'passed' ? outcome.reportPath : null,
        merge: this.merges.has(item.id)
          ? 'merged'
          : done?.commit === null
            ? 'not merged (did not pass)'
            : 'not merged',
      };
    });
    return {
      text: fanOutReport(this.phaseId, lanes, this.spec.agent.deliverables, this.halt),
      turns: 0,
      stopReason: 'answered',
      stopDetail: this.halt,
      tokens: noTokens(),
      costUsd,
      halt: this.halt,
    };
  }
}

function blockedBy(ids: readonly string[]): string {
  return `not run: ${ids.length === 1 ? 'its dependency' : 'its dependencies'} ${ids.join(', ')} did not merge`;
}

function notRun(spec: PhaseSpec, item: WorkItem, reason: string): PhaseOutcome {
  return {
    phaseId: spec.phase.id,
    status: 'failed',
    attempts: 0,
    tier: '–',
    model: '–',
    costUsd: 0,
    gateScore: null,
    reportPath: null,
    message: `${item.id} ${reason}`,
    error: null,
  };
}
