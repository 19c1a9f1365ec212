/** `cost`: the phase stayed within its cost limit. */
export function checkCost(
  costUsd: number,
  limitUsd: number,
): { score: number; message: string; evidence: { costUsd: number; limitUsd: number } } {
  const within = costUsd <= limitUsd;
  return {
    score: within ? 1 : 0,
    message: `spent $${costUsd.toFixed(4)} of $${limitUsd.toFixed(2)}${within ? '' : ' (over the limit)'}`,
    evidence: { costUsd, limitUsd },
  };
}
