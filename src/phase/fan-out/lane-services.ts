/**
 * What a lane of a fanned-out phase uses: the phase's services, with the run's steps seen through the lane
 * (its keys under `item-<id>` or `merge-<n>`), its own share of the ledger, and an emit that tags every event
 * with the item. The lane runs the phase's code, whose phase-start and phase-end are the fan-out's to announce
 * (`item-start`, `item-end`): they are dropped here.
 */
import type { Emit } from '../../agent/agent-context.js';
import type { Ledger } from '../../budget/ledger.js';
import { type Lane, laneSteps } from '../../journal/index.js';
import type { PhaseServices } from '../phase-services.js';

export function laneServices(
  services: PhaseServices,
  lane: Lane,
  item: string,
  ledger: Ledger,
): PhaseServices {
  const { fanOut: _phaseOnly, rework: _notForALane, ...shared } = services;
  return {
    ...shared,
    steps: laneSteps(services.steps, lane),
    ledger,
    emit: laneEmit(services.emit, item, lane.kind === 'merge'),
  };
}

function laneEmit(emit: Emit, item: string, mergeTurn: boolean): Emit {
  return (event) => {
    if (event.type === 'phase-start' || event.type === 'phase-end') return;
    emit({ ...event, item, ...(mergeTurn ? { mergeTurn: true as const } : {}) });
  };
}
