/**
 * The one confirmation rule of commands whose preview can exceed what the user set (`eval`, `compare`, and `run`
 * when a fan-out's items take it over the budget): when the preview's high end is above the limit, a terminal is
 * asked; elsewhere the command stops (exit 2) unless `--yes` was given.
 */
import { UsageError } from '../errors/index.js';
import { usd } from './format.js';

export interface CostConfirmation {
  /** What may cost it: `the eval`, `the re-run`. */
  what: string;
  highUsd: number;
  limitUsd: number;
  /** How the limit is named in the question: `--max-cost`, `the run budget`. */
  limitName: string;
  yes: boolean;
  /** The message when a person answers no: `eval not started`. */
  declined: string;
  /** What to do instead of `--yes`; default: `--max-cost with a higher amount`. */
  otherwise?: string;
}

export async function confirmCost(confirmation: CostConfirmation): Promise<void> {
  const { highUsd, limitUsd, limitName } = confirmation;
  if (highUsd <= limitUsd || confirmation.yes) return;
  const question = `${confirmation.what} may cost up to ${usd(highUsd)}, above ${limitName} (${usd(limitUsd)})`;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(question, {
      hint: `pass --yes to run it anyway, or ${confirmation.otherwise ?? '--max-cost with a higher amount'}`,
    });
  }
  // node:readline is loaded only to ask: most runs never do, and it costs a start milliseconds.
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question}. Go on? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim()))
      throw new UsageError(confirmation.declined, { hint: 'nothing was spent' });
  } finally {
    prompt.close();
  }
}
