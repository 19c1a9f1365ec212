/**
 * The branch a run's own work is committed on, `phasewise/<run-id>`: an isolated run's (`run --worktree`) and a
 * pool worker's. Spelled once, for the CLI, the pool, the worktree layer and the report.
 */
export function runBranchName(runId: string): string {
  return `phasewise/${runId}`;
}
