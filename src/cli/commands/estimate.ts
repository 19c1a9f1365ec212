/** `phasewise estimate [TASK]`: prompts assembled and a cost range per phase and for the run; nothing is spent. */
import pc from 'picocolors';
import { loadWorkflow } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { estimateRun } from '../../orchestrator/index.js';
import { unpricedModel } from '../../provider/index.js';
import { table, tokens, usd } from '../format.js';
import { readTaskArgument } from '../workspace.js';

export function estimateCommand(
  task: string | undefined,
  options: { config?: string; workspace?: string; json?: boolean },
): number {
  const cwd = process.cwd();
  const workflow = loadWorkflow({
    cwd,
    ...(options.config === undefined ? {} : { configFile: options.config }),
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
    process.stdout.write(`${JSON.stringify(estimate, null, 2)}\n`);
    return 0;
  }
  const rows = estimate.phases.map((phase) => [
    phase.id,
    `${phase.tier} (${phase.model})`,
    tokens(phase.promptTokens),
    usd(phase.lowUsd),
    usd(phase.highUsd),
  ]);
  process.stdout.write(
    `${table([['phase', 'starts on', 'prompt', 'cheapest', 'at most'].map((cell) => pc.dim(cell)), ...rows])}\n\n` +
      `run: ${usd(estimate.lowUsd)} – ${usd(estimate.highUsd)} (budget ${usd(estimate.budgetUsd)}). No model was called.\n` +
      pc.dim(
        'cheapest: one attempt answering in one turn on the starting tier; at most: the phase limits, which hold whatever\nretries, escalations and tool turns happen, capped by the run budget.\n',
      ),
  );
  return 0;
}
