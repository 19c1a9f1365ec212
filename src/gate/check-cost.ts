import { usd } from '../util/format.js';

/** `cost`: the phase stayed within its cost limit. */
export function checkCost(
  costUsd: number,
  limitUsd: number,
): { score: number; message: string; evidence: { costUsd: number; limitUsd: number } } {
  const within = costUsd <= limitUsd;
  return {
    score: within ? 1 : 0,
    message: `spent ${usd(costUsd, { places: 4 })} of ${usd(limitUsd, { places: 2 })}${within ? '' : ' (over the limit)'}`,
    evidence: { costUsd, limitUsd },
  };
}
