/**
 * When a phase could change the workspace: the spans of time its acting tools (write, edit, run_command), its
 * Claude Code session and its gate's commands ran. A change the kernel stamped (the inode's change time, which no
 * program can set) inside one of them is the phase's; one stamped outside was made by someone else — the user
 * editing a file, the shell writing `phasewise run --json > events.ndjson` — and does not count against it.
 * Recording a window is two clock reads: no process is forked per call.
 *
 * A window is plain JSON (journaled with the attempt and the gate), so a resumed phase attributes the changes of
 * its replayed work as the first run did. When some acting work was replayed without its windows (the process
 * died mid-attempt), the windows are `incomplete` and every change counts, as it did before windows existed.
 */
export interface ChangeWindow {
  /** Wall-clock milliseconds (`Date.now()`), the same clock as the file system's change times. */
  startMs: number;
  endMs: number;
}

/**
 * The file system stamps change times from a coarse kernel clock, which can lag the fine one `Date.now()`
 * reads by a clock tick (1–10 ms): a file written at the very start of a window may look older than the window.
 */
export const CHANGE_TIME_SLACK_MS = 50;

export class ChangeWindows {
  private readonly windows: ChangeWindow[] = [];
  private complete = true;

  /** Runs `work` as a window of the phase's own changes. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    const startMs = Date.now();
    try {
      return await work();
    } finally {
      this.windows.push({ startMs, endMs: Date.now() });
    }
  }

  add(windows: readonly ChangeWindow[], complete = true): void {
    this.windows.push(...windows);
    if (!complete) this.complete = false;
  }

  /** Some acting work ran in an earlier process and its windows are not known. */
  markIncomplete(): void {
    this.complete = false;
  }

  get isComplete(): boolean {
    return this.complete;
  }

  list(): ChangeWindow[] {
    return [...this.windows];
  }
}

/** Whether a change stamped at `changedAtMs` happened inside one of `windows`. Pure. */
export function withinWindows(
  changedAtMs: number,
  windows: readonly ChangeWindow[],
  slackMs = CHANGE_TIME_SLACK_MS,
): boolean {
  return windows.some(
    (window) => changedAtMs >= window.startMs - slackMs && changedAtMs <= window.endMs + slackMs,
  );
}
