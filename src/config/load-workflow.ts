import path from 'node:path';
import { UsageError } from '../errors/index.js';
import { findConfigFile } from './find-config-file.js';
import { IssueCollector } from './issue-collector.js';
import type { ModelCheck } from './model-reference.js';
import { MAX_USD } from './money.js';
import { readConfigFile } from './read-config-file.js';
import { resolveWorkflow, type WorkflowOverrides } from './resolve-workflow.js';
import { applyTemplates } from './template-chain.js';
import type { ResolvedWorkflow } from './types.js';
import { validateConfig } from './validate-config.js';

export interface LoadWorkflowOptions {
  /** Path of the configuration file, relative to `cwd`; when absent, `findConfigFile(cwd)`, else built-in. */
  configFile?: string | undefined;
  cwd: string;
  /** Command-line overrides of `workspace:` (relative to `cwd`) and `budget:`. */
  workspace?: string | undefined;
  budgetUsd?: number | undefined;
  /** `--template NAME`: run a template without a file (the configuration file, if any, is not read). */
  template?: string | undefined;
  /** Applied to every `provider:model` the workflow names, reported where it is named (e.g. a known price). */
  checkModel?: ModelCheck | undefined;
}

/**
 * Loads, validates and resolves the workflow, before anything has side effects. Every problem found is thrown
 * together in one ConfigError, each placed at its file, line and column.
 */
export function loadWorkflow(options: LoadWorkflowOptions): ResolvedWorkflow {
  if (options.template !== undefined) {
    if (options.configFile !== undefined) {
      throw new UsageError('give either --template or -c/--config, not both', {
        hint: 'to change a template, write a file that says `extends: <template>` and pass it with -c',
      });
    }
    return loadTemplate(options.template, options);
  }
  const file =
    options.configFile === undefined
      ? findConfigFile(options.cwd)
      : path.resolve(options.cwd, options.configFile);
  const read = file === undefined ? undefined : readConfigFile(file);
  // A configuration that `extends:` a template is laid over it; problems are placed in whichever file holds them.
  const extended =
    read === undefined || file === undefined
      ? undefined
      : applyTemplates({ source: read.source, data: read.data }, path.dirname(file));
  const loaded = read === undefined || extended === undefined ? undefined : { ...read, data: extended.data };
  const issues = new IssueCollector(loaded?.source, extended?.templates);
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

/** A template by name, resolved as if it were the configuration file, relative to the working directory. */
function loadTemplate(name: string, options: LoadWorkflowOptions): ResolvedWorkflow {
  const cwd = path.resolve(options.cwd);
  const { data, templates } = applyTemplates({ source: undefined, data: { extends: name } }, cwd);
  const issues = new IssueCollector(templates[0], templates.slice(1));
  const overrides = checkOverrides(options, issues);
  const raw = validateConfig(data, issues);
  const context = { configDir: cwd, issues, checkModel: options.checkModel };
  const workflow = raw === undefined ? undefined : resolveWorkflow(raw, null, overrides, context);
  issues.throwIfAny();
  if (workflow === undefined)
    throw new Error(`internal: the template ${name} failed validation without an issue`);
  return { ...workflow, template: name };
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
