/**
 * The run-lock race both journals are held to: two OS processes race for the same runs round after round, and
 * each round exactly one wins while the other is refused with the winner's pid.
 */
import { expect } from 'vitest';
import { race, roundOutcomes } from './child-process.js';

/** Races two `race-lock` children with `args` (after the command) and checks every round. */
export async function expectOneWinnerEachRound(
  rounds: number,
  intervalMs: number,
  target: string[],
): Promise<void> {
  const [location, ...rest] = target;
  const { pids, outputs } = await race(2, [
    'race-lock',
    location!,
    String(rounds),
    String(intervalMs),
    ...rest,
  ]);
  for (const output of outputs) expect(output.code, output.stderr).toBe(0);
  const [first, second] = outputs.map((output) => roundOutcomes(output.stdout));
  for (let round = 0; round < rounds; round += 1) {
    const pair = [first?.[round], second?.[round]];
    const winners = pair.filter((outcome) => outcome?.outcome === 'won');
    expect(winners, `round ${round}: ${JSON.stringify(pair)}`).toHaveLength(1);
    const winnerPid = pids[pair.findIndex((outcome) => outcome?.outcome === 'won')];
    const loser = pair.find((outcome) => outcome?.outcome !== 'won');
    expect(loser, `round ${round}`).toEqual({ round, outcome: 'locked', holderPid: winnerPid });
  }
}
