/**
 * The resolved workflow: what the engine runs. Produced from `phasewise.yaml` (or the built-in workflow) by
 * `resolveWorkflow`; every default applied, every alias normalized, every reference checked. It is stored in the
 * journal at run start, so it must stay plain JSON.
 */

import type { McpServerSettings } from './mcp-types.js';
import type { ProviderKind } from './provider-kinds.js';

export type { McpServerSettings, McpValue } from './mcp-types.js';

/** What an agent's tools may do (DESIGN §3): research and review read; implementation writes; verification runs. */
export type Permission = 'read' | 'write' | 'run';

/** The five built-in agents, which other agents may `extend`. */
export type BuiltinRole = 'research' | 'planning' | 'implementation' | 'review' | 'verification';

/** The kinds are the keys of `provider-kinds.ts`'s table, which says what each one means. */
export type { ProviderKind };

export interface ModelPrice {
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
}

export interface ProviderConfig {
  name: string;
  kind: ProviderKind;
  baseUrl?: string;
  /** Name of the environment variable holding the API key (never the key itself). */
  apiKeyEnv?: string;
  /** Per-model price overrides, USD per million tokens. */
  pricing: Record<string, ModelPrice>;
  /** Scripted provider only: path of a script file (absolute), simulated latency per call, and a file to which
   * every call actually made is appended (tests count them). */
  script?: string;
  latencyMs?: number;
  callLog?: string;
  /** Limits on this provider's model calls, shared by every process of the journal (`provider/rate-limit.ts`). */
  rateLimit?: RateLimitConfig;
}

/** `models.providers.<name>.rate_limit`: each limit is optional; one left out does not limit. */
export interface RateLimitConfig {
  /** Model calls started per window (a minute). */
  requestsPerMinute?: number;
  /** Tokens per window: estimated input + max output at admission, corrected with the actual usage after. */
  tokensPerMinute?: number;
  /** Model calls in flight at once. */
  maxConcurrent?: number;
}

export interface AgentDefinition {
  name: string;
  builtin: boolean;
  description: string;
  /** The role prompt (system prompt body). */
  prompt: string;
  /** Section headings the phase report must contain (the `sections` check reads them). */
  deliverables: string[];
  permissions: Permission[];
  /**
   * The built-in role it is or `extends` (absent for an agent of its own): what decides the review loop and
   * verification's go / no-go, like its default checks. Journals written before it existed lack it.
   */
  role?: BuiltinRole;
  /**
   * The MCP tools the role opts in to (`server.tool` or a glob such as `server.*`, docs/mcp.md); absent: none.
   * Journals written before it existed lack it.
   */
  mcpTools?: string[];
}

export type ModelChoice = { kind: 'tier'; tier: string } | { kind: 'model'; ref: string } | { kind: 'auto' };

/** What every check has: results are keyed by `name`; a failed `required` check vetoes the phase. */
export interface GateCheckCommon {
  name: string;
  weight: number;
  required: boolean;
}

export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low';

export type GateCheckConfig =
  | (GateCheckCommon & { kind: 'sections'; sections?: string[] })
  | (GateCheckCommon & { kind: 'cost' })
  | (GateCheckCommon & {
      kind: 'grounding';
      /** Fewer citations than this lower the score as if the missing ones did not exist (0: none needed). */
      minCitations: number;
      /** Also check backticked code symbols (`parseToken`, `Session.refresh()`), not only paths. */
      symbols: boolean;
      /** Excuse absent citations the report introduces as new ("`src/tokens.js` (new)"): a plan's. */
      allowNew: boolean;
    })
  | (GateCheckCommon & {
      kind: 'command';
      command: string;
      timeoutMs: number;
      expectExit: number;
      /** Pass on any non-zero exit instead of `expectExit`; only when set, so older workflows keep their hash. */
      expectFailure?: true;
    })
  | (GateCheckCommon & {
      kind: 'matches';
      /** Regular expressions (flags `im`) the report must each match. */
      patterns: string[];
    })
  | (GateCheckCommon & {
      kind: 'judge';
      /** The criteria, inline or read at load time from `rubricFile` (absolute), so a resume judges alike. */
      rubric: string[];
      rubricFile?: string;
      /** A tier name or `provider:model`; the top tier unless configured. */
      model: string;
    })
  | (GateCheckCommon & {
      kind: 'findings';
      /** What every finding must carry beyond severity and issue; only when set, so older workflows keep their hash. */
      mustHave?: Array<'location' | 'line' | 'evidence' | 'fix'>;
      /** Most findings of each severity the phase may report and still pass; absent: no limit. */
      limits: Partial<Record<FindingSeverity, number>>;
    })
  | (GateCheckCommon & {
      kind: 'diff';
      expect: 'unchanged' | 'changed';
      /** Globs relative to the workspace (`src/**`, `*.md`; a directory name means all below it). */
      allowedPaths?: string[];
      /** Globs no changed path may match. */
      forbiddenPaths?: string[];
      /** Globs at least one changed path must match. */
      mustChange?: string[];
    })
  | (GateCheckCommon & {
      kind: 'custom';
      /** Absolute path of the user's ES module, resolved from the configuration file's directory. */
      module: string;
      /** sha256 of the module when the configuration was loaded: an agent that edits it does not get it run. */
      moduleSha256: string;
      export: string;
      /** Free-form settings handed to the module as `input.options`. */
      options?: Record<string, unknown>;
    })
  | (GateCheckCommon & { kind: 'work-items' });

export type GateCheckKind = GateCheckConfig['kind'];

export interface GateConfig {
  threshold: number;
  checks: GateCheckConfig[];
}

export type EscalationStep = 'retry' | 'escalate' | 'halt';

export interface ResolvedPhase {
  id: string;
  agent: string;
  model: ModelChoice;
  timeoutMs: number;
  costLimitUsd: number;
  dependsOn: string[];
  gate: GateConfig;
  escalation: EscalationStep[];
  /** Cap on model turns per attempt. */
  maxTurns: number;
  /** Output cap per model call. */
  maxOutputTokens: number;
  /**
   * One agent per work item, side by side (issue 16). Absent when the phase runs as one agent (`fan_out: off`
   * or not set), so a workflow without fan-out keeps the shape, and the hash, it had before the field existed.
   */
  fanOut?: FanOutSettings;
}

export interface FanOutSettings {
  /** The upstream phase whose report lists the work items, or `task` for the task file's. */
  from: string;
  /** How many items run at the same time, 1–16. */
  maxParallel: number;
  /** What one item may spend; absent: an equal share of what the phase has left. */
  itemCostLimitUsd?: number;
  /**
   * Paths relative to the workspace (normalized, inside it) whose git-ignored files each lane's worktree gets a
   * copy of; absent (or empty): none.
   */
  copyIgnored?: string[];
  /**
   * `required: false`: used only where it can help — a git repository, and a plan with items that can run side
   * by side — and otherwise the phase runs as one agent and says why, where a required fan-out refuses a
   * workspace that is not a repository. Absent: required.
   */
  optional?: true;
}

export interface ResolvedWorkflow {
  version: 1;
  /** Absolute path of the file it came from, or null for the built-in workflow. */
  sourceFile: string | null;
  /** The template run by name (`--template`), without a file; set only then, so other workflows keep their hash. */
  template?: string;
  /** Task text from the config (`task:` inline or the file it names), if any; the CLI's TASK overrides. */
  task: { text: string; source: string } | null;
  /** Absolute path of the workspace. */
  workspace: string;
  budgetUsd: number;
  /** Whole-run deadline, or null for none. */
  deadlineMs: number | null;
  /** How many independent phases may run at once. */
  concurrency: number;
  /** How often critical review findings may send the work back to implementation (the review loop). */
  reviewRounds: number;
  /** Tier names, cheapest first (the escalation order). */
  tiers: string[];
  /** Tier name → `provider:model`. */
  tierModels: Record<string, string>;
  providers: Record<string, ProviderConfig>;
  agents: Record<string, AgentDefinition>;
  /** In a dependency-respecting order. */
  phases: ResolvedPhase[];
  /** Paths whose secret-looking content is left readable (`redaction.allow_paths`); absent when none. */
  redaction?: { allowPaths: string[] };
  /** Values the command line set over the file's (`--workspace`, `--budget`), kept so a resume re-applies them. */
  overrides?: { workspace?: string; budgetUsd?: number; isolation?: 'worktree' };
  /** How commands (run_command, gates' `command` checks) are confined; journals written before it lack it. */
  sandbox?: SandboxSettings;
  /** A shared Postgres journal, whose URL is in the environment variable `urlEnv`; absent: the workspace's SQLite. */
  journal?: JournalSettings;
  /** `worktree`: the run works in a git worktree on the branch `phasewise/<run-id>`; absent: in the workspace. */
  isolation?: 'worktree';
  /** The MCP servers roles may take tools from (`mcp_servers:`, docs/mcp.md); absent when none are configured. */
  mcpServers?: Record<string, McpServerSettings>;
  /** Where the run's OpenTelemetry traces go (`telemetry:`); absent when not configured. */
  telemetry?: TelemetryConfig;
}

/** `telemetry:` as configured; the environment's OTEL_EXPORTER_OTLP_* variables are read when the run starts. */
export interface TelemetryConfig {
  endpoint?: string;
  /** HTTP header name → the environment variable holding its value. */
  headersEnv: Record<string, string>;
  serviceName?: string;
  includePrompts: boolean;
}

export interface JournalSettings {
  kind: 'postgres';
  urlEnv: string;
}

/** `auto`: bubblewrap when it works on this machine, else none (with a warning); `bubblewrap`: required. */
export type SandboxMode = 'auto' | 'bubblewrap' | 'none';

export interface SandboxSettings {
  mode: SandboxMode;
  /** Whether sandboxed commands share the host's network; false leaves them a loopback of their own. */
  network: boolean;
  /** Extra absolute host paths bound read-only. */
  readOnlyPaths: string[];
  /**
   * The configuration files that govern the run (absolute): the loaded one, every name that would be loaded
   * instead of it, the task file. Set by the CLI for the run, not by the file; tools and commands may not change
   * them, existing or not.
   */
  protectedFiles?: string[];
}

/** One task of an eval task set (`phasewise eval`): one YAML file of the set's folder, validated and resolved. */
export interface EvalTask {
  /** The file's name without its extension: how results, tables and reports name the task. */
  id: string;
  /** Absolute path of the YAML file it came from. */
  file: string;
  text: string;
  /** A URL to clone, or the absolute path of a local git repository. */
  repository: string;
  /** Whether `repository` is a URL (cloned once into the eval's folder) rather than a local path. */
  remote: boolean;
  commit: string;
  /** Run in the task's worktree after the run has ended; the agents never see it. Exit 0 means solved. */
  hiddenCheck: { command: string; timeoutMs: number };
}
