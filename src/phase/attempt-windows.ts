/**
 * The windows in which an attempt could change the workspace (`tools/change-windows.ts`): each call of an
 * acting tool (write, edit, run_command), or a Claude Code session as a whole (it runs its tools itself). They
 * are journaled in the attempt's result, so a replayed attempt brings back the windows of the work it replays.
 */
import type { Emit } from '../agent/agent-context.js';
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
 * What the attempt's recorded result keeps of its windows, and how the phase takes them back: a result recorded
 * before windows existed has none, so every change counts for the rest of the phase, as it did then.
 */
export function windowsRecord(windows: ChangeWindows): RecordedWindows {
  return { windows: windows.list(), complete: windows.isComplete };
}

export function addRecordedWindows(phase: ChangeWindows, recorded: Partial<RecordedWindows>): void {
  phase.add(recorded.windows ?? [], recorded.complete === true && recorded.windows !== undefined);
}
