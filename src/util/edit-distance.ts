/**
 * How far apart two words are, counted in typing mistakes: optimal string alignment distance, so a swapped pair
 * of letters (`hiaku`) counts as one edit, like a typo does. Shared by the configuration's "did you mean" and
 * the model-name suggestions of the price table.
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
