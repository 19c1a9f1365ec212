/** "Did you mean" suggestions for misspelled keys and names (the distance is `util/edit-distance.ts`). */
import { editDistance } from '../util/edit-distance.js';

export { editDistance };

/** The candidate closest to `word`, if it is close enough to be a plausible typo (about a third of it). */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
}

/** A hint naming the closest candidate, or listing them all when none is close. */
export function suggestionHint(word: string, candidates: readonly string[], what: string): string {
  const match = closestMatch(word, candidates);
  if (match !== undefined) return `did you mean \`${match}\`?`;
  return candidates.length === 0 ? `no ${what} are defined` : `${what}: ${candidates.join(', ')}`;
}
