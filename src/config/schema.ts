import { z } from 'zod';
import { describeDefaultGateChecks } from './defaults.js';
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

const checkCommon = {
  name: z.string().min(1).optional(),
  weight: z.number().min(0).optional().meta({ description: 'relative weight in the gate score (default 1)' }),
  required: z.boolean().optional().meta({ description: 'a failed required check vetoes the phase' }),
};

const countLimit = (description: string) => z.int().min(0).optional().meta({ description });

const gateCheckSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('sections'),
      ...checkCommon,
      sections: z.array(z.string().min(1)).min(1).optional(),
    })
    .meta({ description: "the share of the role's deliverables present as headings in the report" }),
  z.strictObject({ kind: z.literal('cost'), ...checkCommon }).meta({ description: 'within the cost limit' }),
  z
    .strictObject({
      kind: z.literal('grounding'),
      ...checkCommon,
      min_citations: countLimit('fewer citations count as missing ones (default 0: none needed)'),
      symbols: z
        .boolean()
        .optional()
        .meta({ description: 'also look up backticked code symbols in the workspace (default true)' }),
    })
    .meta({ description: 'the share of cited paths (and symbols) that exist in the workspace' }),
  z
    .strictObject({
      kind: z.literal('command'),
      ...checkCommon,
      command: z.string().min(1).meta({ description: 'shell command run in the workspace, e.g. npm test' }),
      timeout: durationField('time limit of the command (default 5m)').optional(),
      expect_exit: z.int().min(0).max(255).optional().meta({ description: 'expected exit code (default 0)' }),
    })
    .meta({ description: "1 when the command exits with the expected code, else 0" }),
  z
    .strictObject({
      kind: z.literal('judge'),
      ...checkCommon,
      rubric: z
        .array(z.string().min(1))
        .min(1)
        .optional()
        .meta({ description: 'criteria the judge scores 0–1 each' }),
      rubric_file: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'a file of criteria, one per line or list item (relative to this file)' }),
      model: z.string().min(1).optional().meta({ description: 'a tier or provider:model (default: top tier)' }),
    })
    .meta({ description: 'an LLM scores the report against a rubric (temperature 0)' }),
  z
    .strictObject({
      kind: z.literal('findings'),
      ...checkCommon,
      max_critical: countLimit('most critical findings allowed (default 0)'),
      max_high: countLimit('most high findings allowed (default 2)'),
      max_medium: countLimit('most medium findings allowed (default: no limit)'),
      max_low: countLimit('most low findings allowed (default: no limit)'),
    })
    .meta({ description: "the review's structured findings (a ```json array or a table) within limits" }),
  z
    .strictObject({
      kind: z.literal('diff'),
      ...checkCommon,
      expect: z.enum(['unchanged', 'changed']),
      allowed_paths: z
        .array(z.string().min(1))
        .min(1)
        .optional()
        .meta({ description: 'globs the changes must stay within (src/**, *.md; a directory means all below)' }),
    })
    .meta({ description: 'whether the phase changed the workspace (.phasewise/ never counts)' }),
  z
    .strictObject({
      kind: z.literal('custom'),
      ...checkCommon,
      module: z.string().min(1).meta({ description: 'an ES module, relative to this file' }),
      export: z.string().min(1).optional().meta({ description: 'the exported function (default: default)' }),
      options: z.record(z.string(), z.unknown()).optional().meta({ description: 'passed to the module' }),
    })
    .meta({ description: 'a user module: async (input) => ({ score, message, evidence? })' }),
]);

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
});

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
});

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
    models: modelsSchema.optional(),
    phases: z.record(nameField('phase id'), phaseSchema).optional(),
    escalation: escalationField.optional(),
    agents: z.record(nameField('agent name'), agentSchema).optional(),
  })
  .meta({ title: 'phasewise configuration', description: 'phasewise.yaml: the workflow phasewise runs' });

export type RawConfig = z.output<typeof configSchema>;
export type RawPhase = z.output<typeof phaseSchema>;
export type RawModels = z.output<typeof modelsSchema>;
export type RawProvider = z.output<typeof providerSchema>;
export type RawAgent = z.output<typeof agentSchema>;
export type RawGateCheck = z.output<typeof gateCheckSchema>;
