import { resolve } from 'node:path';
import {
  DEFAULT_BUDGET_USD,
  DEFAULT_CONCURRENCY,
  DEFAULT_DATABASE_URL_ENV,
  DEFAULT_REVIEW_ROUNDS,
} from './defaults.js';
import { modelReferenceCheck } from './model-reference.js';
import { resolveAgents } from './resolve-agents.js';
import type { ResolveContext } from './resolve-context.js';
import { checkRoleTools, resolveMcpServers } from './resolve-mcp.js';
import { resolveModels } from './resolve-models.js';
import { resolvePhases } from './resolve-phases.js';
import { resolveTask, resolveWorkspace } from './resolve-task.js';
import type { RawConfig } from './schema.js';
import type { ResolvedWorkflow, SandboxSettings, TelemetryConfig } from './types.js';

/** Command-line values that take precedence over the file; the workspace is already absolute. */
export interface WorkflowOverrides {
  workspace?: string | undefined;
  budgetUsd?: number | undefined;
}

/** Turns a schema-checked configuration into what the engine runs; problems go to `context.issues`. */
export function resolveWorkflow(
  raw: RawConfig,
  sourceFile: string | null,
  overrides: WorkflowOverrides,
  context: ResolveContext,
): ResolvedWorkflow {
  const models = resolveModels(raw.models, context);
  const agents = resolveAgents(raw.agents, context);
  const mcpServers = resolveMcpServers(raw.mcp_servers, context.configDir);
  checkRoleTools(agents, mcpServers, context);
  const phases = resolvePhases(
    raw,
    {
      tiers: models.tiers,
      checkModelReference: modelReferenceCheck(models.providers, context.issues, context.checkModel),
      agents,
    },
    context,
  );
  return {
    version: 1,
    sourceFile,
    task: resolveTask(raw.task, context),
    workspace: resolveWorkspace(raw.workspace, overrides.workspace, context),
    budgetUsd: overrides.budgetUsd ?? raw.budget ?? DEFAULT_BUDGET_USD,
    deadlineMs: raw.deadline ?? null,
    concurrency: raw.concurrency ?? DEFAULT_CONCURRENCY,
    reviewRounds: raw.review_rounds ?? DEFAULT_REVIEW_ROUNDS,
    tiers: models.tiers,
    tierModels: models.tierModels,
    providers: models.providers,
    agents,
    phases,
    // Only when set: a workflow without it keeps the shape (and hash) it had before the field existed.
    ...(raw.sandbox === undefined ? {} : { sandbox: resolveSandbox(raw.sandbox, context.configDir) }),
    // Only when set: a workflow without it keeps the shape (and hash) it had before the field existed.
    ...(raw.redaction?.allow_paths?.length ? { redaction: { allowPaths: raw.redaction.allow_paths } } : {}),
    // Only when Postgres: a workflow journaled in SQLite keeps the shape (and hash) it had before the field existed.
    ...(raw.journal?.kind === 'postgres'
      ? { journal: { kind: 'postgres', urlEnv: raw.journal.url_env ?? DEFAULT_DATABASE_URL_ENV } }
      : {}),
    // Only when set: a workflow without it keeps the shape (and hash) it had before the field existed.
    ...(raw.isolation === 'worktree' ? { isolation: 'worktree' as const } : {}),
    ...(mcpServers === undefined ? {} : { mcpServers }),
    ...(raw.telemetry === undefined ? {} : { telemetry: resolveTelemetry(raw.telemetry) }),
  };
}

function resolveTelemetry(raw: NonNullable<RawConfig['telemetry']>): TelemetryConfig {
  return {
    ...(raw.endpoint === undefined ? {} : { endpoint: raw.endpoint }),
    headersEnv: raw.headers_env ?? {},
    ...(raw.service_name === undefined ? {} : { serviceName: raw.service_name }),
    includePrompts: raw.include_prompts ?? false,
  };
}

/** Read-only paths are resolved against the configuration's directory, like every other path in it. */
function resolveSandbox(raw: NonNullable<RawConfig['sandbox']>, configDir: string): SandboxSettings {
  const settings = typeof raw === 'string' ? { mode: raw } : raw;
  return {
    mode: settings.mode ?? 'auto',
    network: 'network' in settings ? (settings.network ?? false) : false,
    readOnlyPaths: ('read_only' in settings ? (settings.read_only ?? []) : []).map((path) =>
      resolve(configDir, path),
    ),
  };
}
