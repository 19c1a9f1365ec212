/**
 * An attempt's gate, as one journal step: what the phase changed in the workspace (its own changes only, see
 * `tools/change-windows.ts`), then the checks. The step records the judge's cost and the windows of the gate's
 * own commands, so a resume charges the one and attributes the other as the first run did.
 */
import type { AgentResult } from '../agent/run-agent.js';
import { evaluateGate, type GateResult } from '../gate/gate.js';
import { stepAddress } from '../journal/step-keys.js';
import { attributeChanges } from '../tools/change-attribution.js';
import { ChangeWindows } from '../tools/change-windows.js';
import { restoredEntries, restoredWarning } from '../tools/governing-fingerprint.js';
import { changedSince, type WorkspaceSnapshot } from '../tools/workspace-snapshot.js';
import { judgeService } from './judge-service.js';
import type { PhaseServices } from './phase-services.js';
import type { PhaseSpec } from './phase-spec.js';
import { type RecordedGate, recordedGateSchema } from './step-schemas.js';

export interface AttemptGateRequest {
  attempt: number;
  abortSignal: AbortSignal;
  agentResult: AgentResult;
  before: WorkspaceSnapshot;
  /** The phase's windows so far; the gate's own are added to them. */
  windows: ChangeWindows;
}

export async function runAttemptGate(
  spec: PhaseSpec,
  services: PhaseServices,
  request: AttemptGateRequest,
): Promise<GateResult> {
  const { phase, agent } = spec;
  const { steps, ledger } = services;
  const { attempt, abortSignal, agentResult, before, windows } = request;
  const judge = judgeService(spec, services, attempt, abortSignal);
  const { value: recorded } = await steps.step<RecordedGate>(
    // The judge's calls cost money: the gate step carries their cost, so the ledger and a resume know it.
    {
      ...stepAddress({ phaseId: phase.id, attempt, step: 'gate' }),
      phaseId: phase.id,
      schema: recordedGateSchema,
      costOf: (value) => value.judgeCostUsd,
    },
    async () => {
      const workspace = spec.workflow.workspace;
      const changed = await changedSince(workspace, before, { abortSignal });
      const { byThePhase, byOthers } = await attributeChanges(workspace, changed, windows);
      const gateWindows = new ChangeWindows();
      const result = await evaluateGate(
        phase.gate,
        {
          output: agentResult.text,
          deliverables: agent.deliverables,
          costUsd: ledger.spent(phase.id),
          costLimitUsd: phase.costLimitUsd,
          workspace,
          changedPaths: byThePhase,
          changedByOthers: byOthers,
        },
        {
          abortSignal,
          judge: judge.service,
          changeWindow: (work) => gateWindows.during(work),
          onRestored: (command, restored) =>
            services.emit({
              type: 'workspace-warning',
              phaseId: phase.id,
              attempt,
              source: `gate command \`${command}\``,
              paths: restoredEntries(restored),
              message: restoredWarning(`the gate command \`${command}\``, restored),
            }),
          ...(services.redactor === undefined ? {} : { redactor: services.redactor }),
          ...(services.commandEnv === undefined ? {} : { env: services.commandEnv }),
          ...(spec.workflow.sandbox === undefined ? {} : { sandbox: spec.workflow.sandbox }),
        },
      );
      return { ...result, judgeCostUsd: judge.spentUsd(), changeWindows: gateWindows.list() };
    },
  );
  const { judgeCostUsd: _judgeCost, changeWindows, ...gate } = recorded;
  windows.add(changeWindows ?? []);
  return gate;
}
