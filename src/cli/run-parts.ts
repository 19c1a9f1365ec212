/**
 * The parts every command that runs a workflow (`run`, `resume`, `worker`, `eval`, `compare`) gives the engine
 * besides the journal — models, tools, redaction, the commands' environment — and the sandbox check they make
 * before starting.
 */
import pc from 'picocolors';
import type { ResolvedWorkflow } from '../config/index.js';
import { UsageError } from '../errors/index.js';
import type { EvalServices } from '../evaluation/index.js';
import type { RunWorkflowOptions } from '../orchestrator/index.js';
import type { RateLimiter } from '../provider/index.js';
import { createWorkspaceTools, probeSandbox, sandboxWarning } from '../tools/index.js';
import { withGoverningFilesProtected } from './governing-files.js';
import { createCliModelResolver } from './models.js';
import { memoryRateLimiter } from './rate-limits.js';
import { cliRedactor, commandEnvironment } from './secrets.js';

/** What `run` and `resume` give the engine besides the journal: models, tools, redaction, commands' environment. */
export function cliRunParts(
  workflow: ResolvedWorkflow,
  /** The run's provider rate limiter (`rate-limits.ts`); without one, limits hold in memory for this run. */
  rateLimiter: RateLimiter | undefined = memoryRateLimiter(workflow),
): Pick<RunWorkflowOptions, 'resolveModel' | 'tools' | 'redactor' | 'commandEnv'> {
  const redactor = cliRedactor(workflow);
  const commandEnv = commandEnvironment(workflow);
  return {
    resolveModel: createCliModelResolver(workflow, process.env, {
      ...(rateLimiter === undefined ? {} : { rateLimiter }),
    }),
    tools: createWorkspaceTools({ redactor, env: commandEnv, sandbox: workflow.sandbox }),
    redactor,
    commandEnv,
  };
}

/**
 * What `eval` and `compare` give the evaluation layer: each run's workflow with the governing files of the
 * workspace in `cwd` protected, and the same parts `run` uses.
 */
export function cliEvalServices(cwd: string, abortSignal: AbortSignal): EvalServices {
  return {
    prepareRun: (runWorkflow) => {
      const workflow = withGoverningFilesProtected(runWorkflow, cwd);
      return { workflow, ...cliRunParts(workflow) };
    },
    abortSignal,
  };
}

/** `sandbox: bubblewrap` without a working bubblewrap stops the run; `auto` without one warns, once per run. */
export function requireSandbox(workflow: ResolvedWorkflow): void {
  const availability = probeSandbox();
  if (workflow.sandbox?.mode === 'bubblewrap' && !availability.available) {
    throw new UsageError(
      `the configuration requires a command sandbox (sandbox: bubblewrap): ${availability.reason}`,
      {
        hint: 'install bubblewrap (apt-get install bubblewrap), or set `sandbox: auto` to run commands unsandboxed',
      },
    );
  }
  const warning = sandboxWarning(workflow.sandbox);
  if (warning !== undefined) process.stderr.write(`${pc.yellow(warning)}\n`);
}
