/**
 * Per run, the chain of its event writes (the Postgres journal's `appendEvent`): a run's events one after another
 * in the order of the calls, other runs' alongside. Once one fails, the run's later ones are refused with its
 * error — none is stored after a gap — until the chain is reset (the run's lock taken again). A chain is dropped
 * once its last write has landed.
 */
export class RunEventChains {
  readonly #chains = new Map<string, Promise<void>>();

  /** Runs `write` after the run's earlier ones; refused with their error if one of them failed. */
  append(runId: string, write: () => Promise<void>): Promise<void> {
    const appended = (this.#chains.get(runId) ?? Promise.resolve()).then(write);
    this.#chains.set(runId, appended);
    appended.then(
      () => {
        if (this.#chains.get(runId) === appended) this.#chains.delete(runId);
      },
      () => undefined,
    );
    return appended;
  }

  /** Waits for the run's writes in flight; their failures are their appenders'. */
  async written(runId: string): Promise<void> {
    await this.#chains.get(runId)?.catch(() => undefined);
  }

  /** Waits for every run's writes in flight. */
  async allWritten(): Promise<void> {
    await Promise.all([...this.#chains.keys()].map((runId) => this.written(runId)));
  }

  /** Forgets the run's chain, failed or not: a new holding of its lock starts afresh. */
  reset(runId: string): void {
    this.#chains.delete(runId);
  }
}
