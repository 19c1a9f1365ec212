import path from 'node:path';
import { IssueCollector } from './issue-collector.js';
import { resolveWorkflow } from './resolve-workflow.js';
import type { ResolvedWorkflow } from './types.js';

/**
 * The workflow used without a configuration file: the pattern's five phases on the default tiers, working in
 * `cwd`. It goes through the same resolver as a file does, so the two can never disagree on a default.
 */
export function builtinWorkflow(cwd: string): ResolvedWorkflow {
  const issues = new IssueCollector();
  const workflow = resolveWorkflow({}, null, {}, { configDir: path.resolve(cwd), issues });
  // The built-in configuration is data in this module; an issue here is a bug, not a user mistake.
  if (issues.issues.length > 0)
    throw new Error(`internal: the built-in workflow is invalid: ${issues.issues[0]?.message}`);
  return workflow;
}
