/**
 * "Did you mean" suggestions for misspelled keys and names. Optimal string alignment distance, so a swapped
 * pair of letters (`hiaku`) counts as one edit, like a typo does.
 */
export function editDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  const at = (row: number, column: number): number => table[row]?.[column] ?? 0;
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      let best = Math.min(at(row - 1, column) + 1, at(row, column - 1) + 1, at(row - 1, column - 1) + cost);
      const swapped =
        row > 1 && column > 1 && left[row - 1] === right[column - 2] && left[row - 2] === right[column - 1];
      if (swapped) best = Math.min(best, at(row - 2, column - 2) + 1);
      const tableRow = table[row];
      if (tableRow !== undefined) tableRow[column] = best;
    }
  }
  return at(rows - 1, columns - 1);
}

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
