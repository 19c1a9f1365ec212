/**
 * Real temporary workspaces for the tool tests: `<root>/workspace` is what the tools may use, `<root>/outside`
 * holds a secret file they must never read or change, and links between the two are staged per test.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readProcStat } from '../../src/tools/group-reach.js';
import type { Tool, ToolResult } from '../../src/tools/tool.js';

export const OUTSIDE_SECRET = 'OUTSIDE-SECRET-CONTENT';

export interface ToolWorkspace {
  root: string;
  workspace: string;
  outside: string;
  /** Writes files (creating directories) relative to the workspace. */
  write(files: Record<string, string>): void;
  read(path: string): string;
  /** Every file name under the outside directory, to prove nothing was created there. */
  outsideListing(): string[];
  cleanup(): void;
}

export function makeToolWorkspace(): ToolWorkspace {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-tools-')));
  const workspace = join(root, 'workspace');
  const outside = join(root, 'outside');
  mkdirSync(workspace);
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), `${OUTSIDE_SECRET}\n`);
  writeFileSync(join(outside, 'dir', 'secret.txt'), `${OUTSIDE_SECRET}\n`);
  return {
    root,
    workspace,
    outside,
    write(files) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(workspace, path)), { recursive: true });
        writeFileSync(join(workspace, path), content);
      }
    },
    read: (path) => readFileSync(join(workspace, path), 'utf8'),
    outsideListing: () => readdirSync(outside, { recursive: true }).map(String).sort(),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function toolNamed(tools: readonly Tool[], name: string): Tool {
  const tool = tools.find((candidate) => candidate.name === name);
  if (tool === undefined) throw new Error(`no tool ${name}`);
  return tool;
}

export function callTool(
  tools: readonly Tool[],
  name: string,
  input: unknown,
  workspace: string,
  abortSignal: AbortSignal = new AbortController().signal,
): Promise<ToolResult> {
  return toolNamed(tools, name).execute(input, { workspace, abortSignal });
}

/** Whether a process still runs; a zombie (killed, not yet reaped by a non-reaping PID 1) does not. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readProcStat(pid);
  return stat === undefined ? true : stat.state !== 'Z' && stat.state !== 'X';
}
