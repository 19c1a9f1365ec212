import path from 'node:path';
import { findConfigFile } from './find-config-file.js';
import { IssueCollector } from './issue-collector.js';
import type { ModelCheck } from './model-reference.js';
import { MAX_USD } from './money.js';
import { readConfigFile } from './read-config-file.js';
import { resolveWorkflow, type WorkflowOverrides } from './resolve-workflow.js';
import type { ResolvedWorkflow } from './types.js';
import { validateConfig } from './validate-config.js';

export interface LoadWorkflowOptions {
  /** Path of the configuration file, relative to `cwd`; when absent, `findConfigFile(cwd)`, else built-in. */
  configFile?: string | undefined;
  cwd: string;
  /** Command-line overrides of `workspace:` (relative to `cwd`) and `budget:`. */
  workspace?: string | undefined;
  budgetUsd?: number | undefined;
  /** Applied to every `provider:model` the workflow names, reported where it is named (e.g. a known price). */
  checkModel?: ModelCheck | undefined;
}

/**
 * Loads, validates and resolves the workflow, before anything has side effects. Every problem found is thrown
 * together in one ConfigError, each placed at its file, line and column.
 */
export function loadWorkflow(options: LoadWorkflowOptions): ResolvedWorkflow {
  const file =
    options.configFile === undefined
      ? findConfigFile(options.cwd)
      : path.resolve(options.cwd, options.configFile);
  const loaded = file === undefined ? undefined : readConfigFile(file);
  const issues = new IssueCollector(loaded?.source);
  const overrides = checkOverrides(options, issues);
  if (file === undefined || loaded === undefined) {
    const workflow = resolveWorkflow({}, null, overrides, {
      configDir: path.resolve(options.cwd),
      issues,
      checkModel: options.checkModel,
    });
    issues.throwIfAny();
    return workflow;
  }
  const raw = validateConfig(loaded.data, issues);
  const workflow =
    raw === undefined
      ? undefined
      : resolveWorkflow(raw, file, overrides, {
          configDir: path.dirname(file),
          issues,
          checkModel: options.checkModel,
        });
  issues.throwIfAny();
  if (workflow === undefined) throw new Error(`internal: ${file} failed validation without an issue`);
  return workflow;
}

function checkOverrides(options: LoadWorkflowOptions, issues: IssueCollector): WorkflowOverrides {
  const { budgetUsd } = options;
  if (budgetUsd !== undefined && !(Number.isFinite(budgetUsd) && budgetUsd > 0)) {
    issues.addCommandLine('--budget', `must be an amount in USD above zero, got ${budgetUsd}`);
  } else if (budgetUsd !== undefined && budgetUsd > MAX_USD) {
    issues.addCommandLine(
      '--budget',
      `${budgetUsd} is too large; budgets go up to $${MAX_USD.toLocaleString('en-US')}`,
    );
  }
  return {
    workspace: options.workspace === undefined ? undefined : path.resolve(options.cwd, options.workspace),
    budgetUsd,
  };
}
