import path from 'node:path';
import { isDirectory, readTextOrFile } from './file-reference.js';
import type { ResolveContext } from './resolve-context.js';
import type { ResolvedWorkflow } from './types.js';

/** `task:` is inline text or a file relative to the config file. Inline text reports its source as `inline`. */
export function resolveTask(raw: string | undefined, context: ResolveContext): ResolvedWorkflow['task'] {
  if (raw === undefined) return null;
  const resolved = readTextOrFile(raw, ['task'], context);
  if (resolved === undefined) return null;
  return { text: resolved.text.trim(), source: resolved.file ?? 'inline' };
}

/**
 * The command line's `--workspace` (already absolute) wins over `workspace:` (relative to the config file);
 * without either, the config file's own directory is the workspace.
 */
export function resolveWorkspace(
  raw: string | undefined,
  override: string | undefined,
  context: ResolveContext,
): string {
  if (override !== undefined) {
    if (!isDirectory(override)) context.issues.addCommandLine('--workspace', `not a directory: ${override}`);
    return override;
  }
  if (raw === undefined) return context.configDir;
  const workspace = path.resolve(context.configDir, raw);
  if (!isDirectory(workspace)) {
    context.issues.add(['workspace'], `not a directory: ${workspace}`, {
      hint: 'the workspace is the repository the agents work in, relative to the configuration file',
    });
  }
  return workspace;
}
