import { z } from 'zod';
import { describeDefaultGateChecks } from './defaults.js';
import { fanOutSchema } from './fan-out-schema.js';
import { gateCheckSchema } from './gate-check-schema.js';
import { mcpServerSchema } from './mcp-schema.js';
import {
  durationField,
  escalationField,
  modelReferenceField,
  nameField,
  phaseListField,
  positiveMoneyField,
  priceField,
  thresholdField,
} from './schema-fields.js';
import { BUILTIN_AGENT_NAMES, PERMISSIONS, PROVIDER_KINDS } from './vocabulary.js';

/**
 * The schema of `phasewise.yaml`, the single source of truth: the raw types below come from it, and so does the
 * published JSON Schema. It checks shapes and values; cross-references (tiers, agents, dependencies) are checked
 * by the resolver, which knows where each name is defined.
 */

const qualityGateSchema = z
  .union([
    thresholdField,
    z.strictObject({
      threshold: thresholdField.optional(),
      checks: z.array(gateCheckSchema).min(1).optional().meta({ description: describeDefaultGateChecks() }),
    }),
  ])
  .transform((value) => (typeof value === 'number' ? { threshold: value } : value));

const phaseSchema = z.strictObject({
  agent: nameField('agent name').optional(),
  model: z.string().min(1).optional().meta({ description: 'a tier, provider:model, or auto' }),
  timeout: durationField('time limit of one attempt').optional(),
  quality_gate: qualityGateSchema.optional(),
  max_quality_gate: thresholdField
    .optional()
    .meta({ description: "the pattern's spelling of quality_gate.threshold" }),
  quality_threshold: thresholdField
    .optional()
    .meta({ description: "the pattern's spelling of quality_gate.threshold" }),
  cost_limit: positiveMoneyField('spending limit of the phase').optional(),
  depends_on: phaseListField.optional(),
  dependencies: phaseListField.optional().meta({ description: "the pattern's spelling of depends_on" }),
  escalation: escalationField.optional(),
  max_turns: z.int().min(1).max(10_000).optional(),
  max_output_tokens: z.int().min(1).max(1_000_000).optional(),
  fan_out: fanOutSchema.optional(),
});

/** Calls to one provider shared by every process of the journal (docs/configuration.md, "Rate limits"). */
const rateLimitSchema = z
  .strictObject({
    requests_per_minute: z.int().min(1).optional().meta({ description: 'model calls started per minute' }),
    tokens_per_minute: z.int().min(1).optional().meta({
      description: 'tokens per minute: estimated input + max output at admission, then actual usage',
    }),
    max_concurrent: z.int().min(1).optional().meta({ description: 'model calls in flight at once' }),
  })
  .meta({ description: "limits on this provider's model calls (see Rate limits below)" });

const providerSchema = z.strictObject({
  kind: z.enum(PROVIDER_KINDS).optional(),
  base_url: z.url().optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable, not a key' })
    .optional(),
  pricing: z
    .record(
      z.string().min(1),
      z.strictObject({
        input: priceField,
        output: priceField,
        cache_read: priceField.optional(),
        cache_write_5m: priceField.optional(),
        cache_write_1h: priceField.optional(),
      }),
    )
    .optional(),
  script: z.string().min(1).optional(),
  latency_ms: z.int().min(0).optional(),
  call_log: z.string().min(1).optional(),
  rate_limit: rateLimitSchema.optional(),
});

const modelsSchema = z
  .object({
    tiers: z
      .array(nameField('tier name'))
      .min(1)
      .optional()
      .meta({ description: 'escalation order, cheapest first' }),
    providers: z.record(nameField('provider name'), providerSchema).optional(),
  })
  .catchall(modelReferenceField);

const agentSchema = z.strictObject({
  description: z.string().optional(),
  prompt: z.string().min(1).optional().meta({ description: 'inline text or a path to a .md file' }),
  deliverables: z
    .array(z.string().min(1))
    .optional()
    .meta({ description: 'section headings the report must have' }),
  permissions: z.array(z.enum(PERMISSIONS)).optional(),
  extends: z.enum(BUILTIN_AGENT_NAMES).optional(),
  tools: z
    .array(
      z.string().regex(/^[A-Za-z0-9_-]+\.[^.\s]+$/, {
        error: "expected an MCP tool as `server.tool`, or `server.*` for all of a server's tools",
      }),
    )
    .optional()
    .meta({ description: 'MCP tools the role may call (`server.tool`, `server.*`); none by default' }),
});

const SANDBOX_MODES = ['auto', 'bubblewrap', 'none'] as const;

const sandboxModeField = z
  .enum(SANDBOX_MODES)
  .describe(
    'auto: bubblewrap when it works here, else unsandboxed with a warning; bubblewrap: refuse to run commands ' +
      'without it; none: no sandbox (commands can read anything the user can)',
  );

/** How `run_command` and gates' `command` checks are confined (see docs/configuration.md, "Sandbox"). */
const sandboxSchema = z.union([
  sandboxModeField,
  z.strictObject({
    mode: sandboxModeField.optional(),
    network: z
      .boolean()
      .optional()
      .describe(
        'Let sandboxed commands reach the network (default false: loopback only, inside the sandbox)',
      ),
    read_only: z
      .array(z.string().min(1))
      .optional()
      .describe('More host directories commands may read (absolute paths), e.g. a toolchain outside /usr'),
  }),
]);

/** Where runs are journaled (see docs/configuration.md): the workspace's SQLite file, or a shared Postgres. */
const journalSchema = z
  .strictObject({
    kind: z
      .enum(['sqlite', 'postgres'])
      .describe(
        'sqlite: .phasewise/journal.db in the workspace (the default); postgres: a shared database, run `phasewise db migrate` on it once',
      ),
    url_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable, not a URL' })
      .optional()
      .describe('The environment variable holding the Postgres URL (default PHASEWISE_DATABASE_URL)'),
  })
  .describe('Where runs are journaled');

/** Where traces go (see docs/telemetry.md); the OTEL_EXPORTER_OTLP_* variables override the endpoint. */
const telemetrySchema = z
  .strictObject({
    endpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://localhost:4318' })
      .optional()
      .describe('The OTLP/HTTP endpoint; traces are sent to <endpoint>/v1/traces'),
    headers_env: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z0-9-]+$/, { error: 'expected an HTTP header name such as x-honeycomb-team' }),
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
          error: 'expected the name of an environment variable, not its value',
        }),
      )
      .optional()
      .describe(
        'HTTP header name → the environment variable holding its value (an API key stays out of the file)',
      ),
    service_name: z.string().min(1).optional().describe('The service.name of the traces (default phasewise)'),
    include_prompts: z
      .boolean()
      .optional()
      .describe('Add the task and tool summaries to the spans, redacted (default false)'),
  })
  .describe('OpenTelemetry traces of runs over OTLP/HTTP (docs/telemetry.md)');

export const configSchema = z
  .strictObject({
    version: z.literal(1).optional(),
    task: z.string().min(1).optional().meta({ description: 'inline text or a path to a file' }),
    workspace: z.string().min(1).optional(),
    budget: z
      .union(
        [
          positiveMoneyField('budget of the whole run'),
          z.strictObject({ usd: positiveMoneyField('budget') }),
        ],
        {
          error: 'expected an amount in USD such as 1.50, "$1.50" or { usd: 1.50 }',
        },
      )
      .transform((value) => (typeof value === 'number' ? value : value.usd))
      .optional(),
    deadline: durationField('deadline of the whole run').optional(),
    concurrency: z.int().min(1).max(16).optional(),
    review_rounds: z
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe(
        'How many times critical review findings may send the work back to implementation (default 2)',
      ),
    models: modelsSchema.optional(),
    phases: z.record(nameField('phase id'), phaseSchema).optional(),
    escalation: escalationField.optional(),
    agents: z.record(nameField('agent name'), agentSchema).optional(),
    extends: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'start from a template (bugfix, refactor, docs, performance, security, feature, or one of ' +
          '.phasewise/templates/<name>.yaml) and override parts of it: mappings merge, phases by name, lists ' +
          'replace, null removes (docs/templates.md)',
      }),
    redaction: z
      .strictObject({
        allow_paths: z
          .array(
            z
              .string()
              .min(1)
              .refine((glob) => !glob.startsWith('/') && !glob.split('/').includes('..'), {
                error: 'expected a glob inside the workspace, relative to it (such as test/fixtures/**)',
              }),
          )
          .optional()
          .describe(
            'Globs relative to the workspace (`test/fixtures/**`) whose files are secret-looking on purpose: ' +
              'the key shapes and high-entropy strings in them are not redacted (secret values from the ' +
              'environment and .env files still are)',
          ),
      })
      .optional()
      .describe('How secrets are hidden from prompts, the journal, reports and output'),
    sandbox: sandboxSchema.optional(),
    journal: journalSchema.optional(),
    isolation: z
      .enum(['none', 'worktree'])
      .optional()
      .describe(
        'worktree: run in a git worktree under .phasewise/ from the current commit and commit the work on the ' +
          'branch phasewise/<run-id>, leaving your working tree untouched (as `run --worktree`); none (default): ' +
          'work in the workspace itself',
      ),
    mcp_servers: z
      .record(
        z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected letters, digits, - or _' }),
        mcpServerSchema,
      )
      .optional()
      .describe('MCP servers whose tools roles may use (docs/mcp.md)'),
    telemetry: telemetrySchema.optional(),
  })
  .meta({ title: 'phasewise configuration', description: 'phasewise.yaml: the workflow phasewise runs' });

export type RawConfig = z.output<typeof configSchema>;
export type RawPhase = z.output<typeof phaseSchema>;
export type RawFanOut = z.output<typeof fanOutSchema>;
export type RawModels = z.output<typeof modelsSchema>;
export type RawProvider = z.output<typeof providerSchema>;
export type RawAgent = z.output<typeof agentSchema>;
export type RawMcpServer = z.output<typeof mcpServerSchema>;
export type RawGateCheck = z.output<typeof gateCheckSchema>;
