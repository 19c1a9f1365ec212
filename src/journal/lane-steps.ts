/**
 * A lane's view of the run's steps. A work item's agent (and a merge turn) runs the phase's own code, which builds
 * its keys as the phase would; through this view each of its steps is recorded, replayed and looked up inside the
 * lane (`implementation/item-auth/a1/t2/model`), so lanes running side by side never share a key and a resume
 * replays each lane's own steps. The step's phase stays the phase's: the ledger and the report count a lane's
 * spending as the phase's.
 */
import type { DurableSteps } from './durable-steps.js';
import { inLane, type Lane } from './step-keys.js';

export function laneSteps(steps: DurableSteps, lane: Lane): DurableSteps {
  return {
    step: (options, execute) => steps.step({ ...options, key: inLane(options.key, lane) }, execute),
    recorded: (key, schema) => steps.recorded(inLane(key, lane), schema),
    has: (key) => steps.has(inLane(key, lane)),
  };
}
