/**
 * The figures of a fanned-out phase as text, written once like the rest (summary-text.ts): an item's row and line,
 * its merge, a lane's name, and the plain line of each fan-out event.
 */
import type { RunEvent } from '../events/index.js';
import { duration, usd } from '../util/format.js';
import { costText, gateText, plural } from './summary-text.js';
import type { ItemSummary } from './summary-types.js';

/** A lane's name in event lines: `implementation [auth]`, `implementation [merge of auth]`. */
export function laneName(event: { phaseId: string; item?: string; mergeTurn?: true }): string {
  if (event.item === undefined) return event.phaseId;
  return `${event.phaseId} [${event.mergeTurn === true ? 'merge of ' : ''}${event.item}]`;
}

/** An item's row label under its phase: `↳ auth`, `↳ auth (round 2)`. */
export function itemLabel(item: Pick<ItemSummary, 'id' | 'round'>): string {
  return `↳ ${item.id}${item.round > 1 ? ` (round ${item.round})` : ''}`;
}

/** `running, turn 3` while its agent works; its status otherwise. */
export function itemStatusText(item: Pick<ItemSummary, 'status' | 'turn'>): string {
  return item.status === 'running' && item.turn !== null ? `running, turn ${item.turn}` : item.status;
}

/** How its work went into the phase's result: `merged`, `resolved (a.ts) by a merge turn, $0.01`, `conflict in a.ts`. */
export function mergeText(item: Pick<ItemSummary, 'merge' | 'mergeTurnCostUsd'>): string {
  const merge = item.merge;
  if (merge === null) return item.mergeTurnCostUsd > 0 ? `merge turn ${usd(item.mergeTurnCostUsd)}` : '-';
  const files = merge.files.length === 0 ? '' : ` (${merge.files.join(', ')})`;
  if (merge.outcome === 'merged') return 'merged';
  if (merge.outcome === 'resolved') return `resolved${files} by a merge turn, ${usd(item.mergeTurnCostUsd)}`;
  return `conflict${files}`;
}

/** An item's figures beside its timeline lane: `$0.0520 · gate 0.95 / 0.80 · resolved by a merge turn ($0.02)`. */
export function laneFiguresText(item: ItemSummary): string {
  const merge = item.merge;
  const merged =
    merge === null
      ? 'not merged'
      : merge.outcome === 'resolved'
        ? `resolved by a merge turn (${usd(item.mergeTurnCostUsd)})`
        : merge.outcome;
  return `${usd(item.costUsd)} · gate ${gateText(item.gate)} · ${merged}`;
}

/** One item in one line: `auth: passed · demo:claude-sonnet-4-5 · $0.0100 / $0.0800 · gate 0.90 / 0.80 · merged`. */
export function itemLineText(item: ItemSummary): string {
  return [
    `${item.id}: ${itemStatusText(item)}`,
    item.model || '-',
    costText(item.costUsd, item.costLimitUsd),
    `gate ${gateText(item.gate)}`,
    mergeText(item),
  ].join(' · ');
}

/** The plain line of a fan-out's own events and its items' start, end and merge; undefined for other events. */
export function fanOutEventText(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'fan-out-start':
      return `${event.phaseId}: fans out over ${plural(event.items.length, 'item')} (${event.items.map((item) => item.id).join(', ')}), ${event.maxParallel} at a time, from ${event.baseCommit.slice(0, 12)}`;
    case 'fan-out-skipped':
      return `${event.phaseId}: runs as a single agent — ${event.reason}`;
    case 'item-start':
      return `${laneName(event)}: started${event.resumed ? ' (resumed)' : ''} from ${event.startCommit.slice(0, 12)}`;
    case 'item-end':
      return `${laneName(event)}: ${event.replayed === true ? '(from the journal) ' : ''}${event.status} after ${plural(event.attempts, 'attempt')} on ${event.model}, ${usd(event.costUsd)}, gate ${event.gateScore === null ? '-' : `${event.gateScore.toFixed(2)} / ${event.threshold.toFixed(2)}`}, ${duration(event.durationMs)}${event.message === null ? '' : ` — ${event.message}`}`;
    case 'merge-end': {
      const files = event.files.length === 0 ? '' : ` (${event.files.join(', ')})`;
      const how =
        event.outcome === 'merged'
          ? 'merged cleanly'
          : event.outcome === 'resolved'
            ? `conflict${files} resolved by a merge turn, ${usd(event.costUsd)}`
            : `conflict${files} left for a person`;
      return `${event.phaseId}: merge ${event.index} (${event.item}): ${how}`;
    }
    case 'fan-out-end': {
      // Ended by an error, its lanes' worktrees stay for a resume.
      const kept =
        event.status === 'merged' || event.status === 'halted' ? '' : ' (worktrees kept for a resume)';
      return `${event.phaseId}: fan-out ${event.status.replace('_', ' ')}${kept}, ${usd(event.costUsd)}, ${duration(event.durationMs)}${event.message === null ? '' : ` — ${event.message}`}`;
    }
    default:
      return undefined;
  }
}
