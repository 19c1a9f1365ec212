/**
 * `phasewise estimate [TASK]`: prompts assembled and a cost range per phase and for the run, with a line per
 * phase that fans out (items × one item's range); nothing is spent.
 */
import pc from 'picocolors';
import { loadWorkflow } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import {
  estimateRun,
  needsConfirmation,
  type PhaseEstimate,
  type RunEstimate,
} from '../../orchestrator/index.js';
import { unpricedModel } from '../../provider/index.js';
import { jsonWithMoney } from '../../util/format.js';
import { table, tokens, usd } from '../format.js';
import { readTaskArgument } from '../workspace.js';

export function estimateCommand(
  task: string | undefined,
  options: { config?: string; template?: string; workspace?: string; json?: boolean },
): number {
  const cwd = process.cwd();
  const workflow = loadWorkflow({
    cwd,
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.template === undefined ? {} : { template: options.template }),
    ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
    checkModel: unpricedModel,
  });
  const text = task !== undefined ? readTaskArgument(task, cwd) : workflow.task?.text;
  if (text === undefined || text.trim() === '') {
    throw new UsageError('no task given', {
      hint: 'pass it as `phasewise estimate "<task>"`, or set `task:` in phasewise.yaml',
    });
  }
  const estimate = estimateRun(workflow, text);
  if (options.json === true) {
    process.stdout.write(`${jsonWithMoney(estimate, 2)}\n`);
    return 0;
  }
  const rows = estimate.phases.map((phase) => [
    phase.id,
    `${phase.tier} (${phase.model})`,
    tokens(phase.promptTokens),
    usd(phase.lowUsd),
    usd(phase.highUsd),
  ]);
  const fanOuts = estimate.phases.flatMap((phase) => {
    const line = fanOutLine(phase);
    return line === undefined ? [] : [`${line}\n`];
  });
  process.stdout.write(
    `${table([['phase', 'starts on', 'prompt', 'cheapest', 'at most'].map((cell) => pc.dim(cell)), ...rows])}\n\n` +
      (fanOuts.length === 0 ? '' : `${fanOuts.join('')}\n`) +
      `run: ${usd(estimate.lowUsd)} – ${usd(estimate.highUsd)} (budget ${usd(estimate.budgetUsd)}). No model was called.\n` +
      upperBoundLine(estimate) +
      pc.dim(
        'cheapest: one attempt answering in one turn on the starting tier (a phase fanned out over known items: each item\nonce); at most: the phase limits, which hold whatever retries, escalations, tool turns and work items happen,\ncapped by the run budget.\n',
      ),
  );
  return 0;
}

/** One phase's fan-out: over what, how many at a time, one item's range, and items × range when they are known. */
export function fanOutLine(phase: PhaseEstimate): string | undefined {
  const fanOut = phase.fanOut;
  if (fanOut === undefined) return undefined;
  if (fanOut.oneAgent !== null) return `${phase.id} runs as one agent: ${fanOut.oneAgent}`;
  const atATime = `up to ${fanOut.maxParallel} at a time`;
  const itemHigh =
    fanOut.itemHighUsd === null ? `an equal share of ${usd(phase.highUsd)}` : usd(fanOut.itemHighUsd);
  const range = `${usd(fanOut.itemLowUsd)} – ${itemHigh}`;
  if (fanOut.items === null || fanOut.uncappedHighUsd === null) {
    return `${phase.id} fans out over ${fanOut.from}'s work items (known after ${fanOut.from}), ${atATime}, each ${range}`;
  }
  const capped =
    phase.upperBoundUsd > phase.highUsd
      ? `; its limit, ${usd(phase.highUsd)}, still caps what it spends`
      : '';
  return `${phase.id} fans out over the task's ${fanOut.items} work items, ${atATime}: ${fanOut.items} × ${range} = up to ${usd(fanOut.uncappedHighUsd)}${capped}`;
}

/** Said only when the fan-out takes the upper bound over the budget, which is when `run` asks first. */
function upperBoundLine(estimate: RunEstimate): string {
  if (!needsConfirmation(estimate)) return '';
  return pc.yellow(
    `upper bound before the budget caps it: ${usd(estimate.upperBoundUsd)}, above the budget: \`run\` asks before starting (or pass --yes)\n`,
  );
}
