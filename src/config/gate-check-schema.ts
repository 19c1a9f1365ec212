import { z } from 'zod';
import { durationField } from './schema-fields.js';

/** The checks a phase's `quality_gate.checks` may list, by `kind`; part of the schema in `schema.ts`. */
const checkCommon = {
  name: z.string().min(1).optional(),
  weight: z.number().min(0).optional().meta({ description: 'relative weight in the gate score (default 1)' }),
  required: z.boolean().optional().meta({ description: 'a failed required check vetoes the phase' }),
};

const countLimit = (description: string) => z.int().min(0).optional().meta({ description });

export const gateCheckSchema = z.discriminatedUnion('kind', [
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
      allow_new: z
        .boolean()
        .optional()
        .meta({
          description:
            'do not count absent paths and symbols the report introduces as new, e.g. "`src/tokens.js` (new)" ' +
            '(default: true for planning agents, false otherwise)',
        }),
    })
    .meta({ description: 'the share of cited paths (and symbols) that exist in the workspace' }),
  z
    .strictObject({
      kind: z.literal('command'),
      ...checkCommon,
      command: z.string().min(1).meta({ description: 'shell command run in the workspace, e.g. npm test' }),
      timeout: durationField('time limit of the command (default 5m)').optional(),
      expect_exit: z.int().min(0).max(255).optional().meta({ description: 'expected exit code (default 0)' }),
      expect_failure: z
        .boolean()
        .optional()
        .meta({
          description:
            'pass when the command FAILS: any non-zero exit (a timeout or a signal never counts), e.g. the new ' +
            'test before the fix (default false; not with expect_exit)',
        }),
    })
    .meta({ description: '1 when the command exits with the expected code, else 0' }),
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
      model: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'a tier or provider:model (default: top tier)' }),
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
      must_have: z
        .array(z.enum(['location', 'line', 'evidence', 'fix']))
        .min(1)
        .optional()
        .meta({
          description:
            'what every finding must carry: location (a file), line, evidence (what shows it), fix (default: ' +
            'only a severity and an issue)',
        }),
    })
    .meta({ description: "the review's structured findings (a ```json array or a table) within limits" }),
  z
    .strictObject({
      kind: z.literal('diff'),
      ...checkCommon,
      expect: z.enum(['unchanged', 'changed']),
      allowed_paths: z.array(z.string().min(1)).min(1).optional().meta({
        description: 'globs the changes must stay within (src/**, *.md; a directory means all below)',
      }),
      forbidden_paths: z.array(z.string().min(1)).min(1).optional().meta({
        description: 'globs the phase must not change at all, e.g. the tests of a refactor',
      }),
      must_change: z.array(z.string().min(1)).min(1).optional().meta({
        description: 'globs of which the phase must change at least one file, e.g. a test file',
      }),
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
  z
    .strictObject({
      kind: z.literal('matches'),
      ...checkCommon,
      patterns: z
        .array(z.string().min(1))
        .min(1)
        .meta({
          description:
            'regular expressions the report must each match, case-insensitive, ^ and $ at line ends, e.g. ' +
            '"^\\W*before\\W*:\\W*\\d" for a stated figure',
        }),
    })
    .meta({ description: 'the share of the patterns the report matches, e.g. stated benchmark figures' }),
  z.strictObject({ kind: z.literal('work-items'), ...checkCommon }).meta({
    description:
      'the plan\'s work items (a ```json block with "work_items") can be used: unique short ids, known ' +
      'dependencies without a cycle, files inside the workspace; a report without the block passes. ' +
      'Required unless `required: false`',
  }),
]);
