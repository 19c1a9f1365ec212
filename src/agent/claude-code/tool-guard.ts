/**
 * Which Claude Code tools a role gets, and the guard every tool call passes before Claude Code runs it: the
 * same permission sets and workspace confinement as phasewise's own tools (tools/path-guard.ts). Research and
 * review read; implementation also writes; verification also runs commands. Nothing else — no web, no
 * subagents, no MCP — is offered or allowed.
 */
import { lstat } from 'node:fs/promises';
import { basename, isAbsolute, posix, relative } from 'node:path';
import type { Permission } from '../../config/types.js';
import { isInside, type PathIntent, resolveWorkspacePath } from '../../tools/path-guard.js';
import { ToolRefusal } from '../../tools/tool-refusal.js';
import { hardLinked } from '../../tools/verified-open.js';

/** `.env` files (not their documented examples), private keys and key stores. */
const SECRET_FILE =
  /^(?:\.env(?:rc)?(?:\.(?!example$|sample$|template$)[^/]+)?|.*\.(?:pem|key|p12|pfx|keystore)|id_(?:rsa|dsa|ecdsa|ed25519)|\.netrc|\.npmrc|\.pypirc)$/;

const TOOLS_BY_PERMISSION: Readonly<Record<Permission, readonly string[]>> = {
  read: ['Read', 'Glob', 'Grep'],
  write: ['Write', 'Edit'],
  run: ['Bash'],
};

export function claudeCodeTools(permissions: readonly Permission[]): string[] {
  return permissions.flatMap((permission) => TOOLS_BY_PERMISSION[permission]);
}

/**
 * Where each tool names a path, and whether it reads or writes there. Every Claude Code tool that writes a file
 * is here, offered or not, so that one offered later is judged by the same rules as phasewise's own write tools:
 * inside the workspace, never a governing file, never a `.git` at any depth or a name git refuses.
 */
const PATH_FIELDS: Readonly<Record<string, { field: string; intent: PathIntent }>> = {
  Read: { field: 'file_path', intent: 'read' },
  Write: { field: 'file_path', intent: 'write' },
  Edit: { field: 'file_path', intent: 'write' },
  MultiEdit: { field: 'file_path', intent: 'write' },
  NotebookEdit: { field: 'notebook_path', intent: 'write' },
  Glob: { field: 'path', intent: 'read' },
  Grep: { field: 'path', intent: 'read' },
};

/** The workspace as configured (`path`) and as its real path (`root`), and the run's governing files. */
export interface GuardedWorkspace {
  path: string;
  root: string;
  /** `sandbox.protectedFiles` (cli/governing-files.ts): refused to every tool that writes, existing or not. */
  protectedFiles?: readonly string[] | undefined;
}

/**
 * Why a tool call must not run, or undefined when it may. `workspace` is the directory as configured, `root`
 * its real path; Claude Code names files by absolute paths under either.
 */
export async function refusalOf(
  call: { tool: string; input: unknown },
  allowed: readonly string[],
  workspace: GuardedWorkspace,
): Promise<string | undefined> {
  if (!allowed.includes(call.tool)) {
    return `${call.tool} is not available in this phase (its role may use: ${allowed.join(', ') || 'nothing'})`;
  }
  const input = (call.input ?? {}) as Record<string, unknown>;
  const pattern = input.pattern;
  if (call.tool === 'Glob' && typeof pattern === 'string' && leavesWorkspace(pattern)) {
    return `the pattern ${JSON.stringify(pattern)} reaches outside the workspace; use a pattern relative to it`;
  }
  const glob = input.glob;
  if (call.tool === 'Grep' && typeof glob === 'string' && leavesWorkspace(glob)) {
    return `the glob ${JSON.stringify(glob)} reaches outside the workspace; use a pattern relative to it`;
  }
  const spec = PATH_FIELDS[call.tool];
  const value = spec === undefined ? undefined : input[spec.field];
  if (spec === undefined || value === undefined) return undefined;
  if (typeof value !== 'string') return `${spec.field} must be a path`;
  // Claude Code's tools hand file contents to the model unredacted (phasewise's own tools redact), so files
  // that exist to hold secrets are not read through them at all.
  if (SECRET_FILE.test(basename(value))) {
    return `${basename(value)} holds secrets and is not read in a Claude Code session; its variable names are in the task or the code`;
  }
  try {
    const path = await resolveWorkspacePath(
      workspace.root,
      workspaceRelative(value, workspace),
      spec.intent,
      workspace.protectedFiles ?? [],
    );
    // Claude Code reads, and writes in place, a file with several hard links: another name may be outside.
    const links = path.kind === 'file' && spec.field !== 'path' ? (await lstat(path.absolute)).nlink : 1;
    return links > 1 ? hardLinked(path, links).message : undefined;
  } catch (error) {
    if (error instanceof ToolRefusal) return error.message;
    throw error;
  }
}

/** An absolute path under the workspace (as configured or as its real path) made relative; anything else as is. */
function workspaceRelative(path: string, workspace: { path: string; root: string }): string {
  if (!isAbsolute(path)) return path;
  for (const base of [workspace.path, workspace.root]) {
    if (isInside(base, path)) return relative(base, path) || '.';
  }
  throw new ToolRefusal(
    `path ${JSON.stringify(path)} is outside the workspace; only files inside it can be used`,
  );
}

function leavesWorkspace(pattern: string): boolean {
  return isAbsolute(pattern) || pattern.startsWith('~') || posix.normalize(pattern).split('/').includes('..');
}
