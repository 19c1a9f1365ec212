/**
 * The windows in which an attempt could change the workspace (`tools/change-windows.ts`): each call of an
 * acting tool (write, edit, run_command), or a Claude Code session as a whole (it runs its tools itself). They
 * are journaled with the attempt, so a replayed attempt brings back the windows of the work it replays.
 */
import type { Emit } from '../agent/agent-context.js';
import type { DurableSteps } from '../journal/durable-steps.js';
import { type ChangeWindow, ChangeWindows } from '../tools/change-windows.js';
import type { Tool } from '../tools/tool.js';

export interface RecordedWindows {
  windows: ChangeWindow[];
  complete: boolean;
}

export interface AttemptWindows {
  windows: ChangeWindows;
  /** The tools, each acting one timed as a window. */
  tools(tools: readonly Tool[]): Tool[];
  /** The attempt's emit, which notices an acting tool call replayed from an earlier process. */
  emit(emit: Emit): Emit;
}

export function attemptWindows(): AttemptWindows {
  const windows = new ChangeWindows();
  const acting = new Set<string>();
  return {
    windows,
    tools: (tools) =>
      tools.map((tool) => {
        if (tool.permission === 'read') return tool;
        acting.add(tool.name);
        return { ...tool, execute: (input, context) => windows.during(() => tool.execute(input, context)) };
      }),
    // A replayed acting call ran before a crash; its window is known only when the whole attempt was recorded.
    emit: (emit) => (event) => {
      if (event.type === 'tool-call' && event.replayed === true && acting.has(event.tool)) {
        windows.markIncomplete();
      }
      emit(event);
    },
  };
}

/**
 * Journals the attempt's windows once its agent has finished and adds them to the phase's. Replayed, the step
 * returns the first run's windows, which supersede what the replay saw.
 */
export async function recordAttemptWindows(
  steps: DurableSteps,
  key: { phaseId: string; attempt: number },
  attempt: ChangeWindows,
  phase: ChangeWindows,
): Promise<void> {
  const { value } = await steps.step<RecordedWindows>(
    { key: `${key.phaseId}/a${key.attempt}/windows`, phaseId: key.phaseId, kind: 'windows' },
    async () => ({ windows: attempt.list(), complete: attempt.isComplete }),
  );
  phase.add(value.windows, value.complete);
}
