/**
 * Writes docs/configuration.md from the JSON Schema of phasewise.yaml (`npm run config-reference`). Every field,
 * its type, default and description come from the schema; the few fields the schema does not describe yet get a
 * note below, and the role defaults and the price table are read from the code that applies them.
 * test/config/config-reference.test.ts fails when the file is out of date.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { priceTable } from '../src/budget/price-table.js';
import {
  CUSTOM_ROLE_DEFAULTS,
  DEFAULT_BUDGET_USD,
  DEFAULT_CONCURRENCY,
  DEFAULT_ESCALATION,
  DEFAULT_FAN_OUT_MAX_PARALLEL,
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_MAX_TURNS,
  DEFAULT_TIER_MODELS,
  DEFAULT_TIERS,
  defaultGateChecks,
  ROLE_DEFAULTS,
  type RoleDefaults,
} from '../src/config/defaults.js';
import { MAX_FAN_OUT_PARALLEL } from '../src/config/fan-out-schema.js';
import { builtinAgents, CONFIG_FILE_NAMES, configJsonSchema } from '../src/config/index.js';
import type { GateCheckConfig } from '../src/config/types.js';
import { BUILTIN_AGENT_NAMES } from '../src/config/vocabulary.js';
import { DEFAULT_ADMISSION_EXPIRY_MS } from '../src/journal/postgres-rate-limit.js';
import { DEFAULT_LONG_WAIT_MS } from '../src/provider/rate-limit.js';

type SchemaNode = Record<string, unknown>;

export interface FieldNote {
  description?: string;
  default?: string;
}

/** Placeholders for the keys of a mapping, by the mapping's path. */
const KEY_PLACEHOLDERS: Readonly<Record<string, string>> = {
  models: '<tier>',
  'models.providers': '<name>',
  'models.providers.<name>.pricing': '<model>',
  phases: '<id>',
  agents: '<name>',
};

const PHASE = 'phases.<id>';
const CHECK = `${PHASE}.quality_gate.checks[]`;
const PROVIDER = 'models.providers.<name>';
const AGENT = 'agents.<name>';
const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
const list = (values: readonly unknown[]) => `[${values.join(', ')}]`;

/**
 * What the schema does not say yet, by field path. A note's description is used only where the schema has
 * none, and rendering fails when both exist, so a description added to the zod schema retires its note.
 */
export const FIELD_NOTES: Readonly<Record<string, FieldNote>> = {
  version: { description: 'the version of this file format; 1 is the only one' },
  workspace: {
    description: 'the repository the agents work in, relative to this file; `--workspace` overrides it',
    default: 'the directory of this file',
  },
  budget: { default: `${DEFAULT_BUDGET_USD}` },
  deadline: { default: 'none' },
  concurrency: {
    description: 'how many phases whose dependencies have passed may run at the same time',
    default: `${DEFAULT_CONCURRENCY}`,
  },
  models: { description: 'the tiers, the model behind each, and the providers those models come from' },
  'models.tiers': { default: code(list(DEFAULT_TIERS)) },
  'models.<tier>': {
    default: Object.entries(DEFAULT_TIER_MODELS)
      .map(([tier, model]) => `${tier}: ${code(model)}`)
      .join(', '),
  },
  'models.providers': {
    description:
      '`anthropic`, `openai`, `claude-code` and `scripted` exist without being declared; declare others here, ' +
      'or adjust a built-in one by declaring its name',
  },
  [`${PROVIDER}.kind`]: {
    description:
      'the API the provider speaks; `claude-code` runs each phase on it as a Claude Code session (the optional ' +
      '`@anthropic-ai/claude-agent-sdk`, see docs/claude-code.md); `scripted` answers from a script file (tests, ' +
      'the demo)',
    default: 'the provider name, when it is `anthropic`, `openai`, `claude-code` or `scripted`',
  },
  [`${PROVIDER}.base_url`]: {
    description:
      'the base URL of the API; required for `openai-compatible`, e.g. `http://localhost:11434/v1` for Ollama; ' +
      'for `claude-code`, the Anthropic API Claude Code talks to (`ANTHROPIC_BASE_URL`)',
    default: "the vendor's own for `anthropic`, `openai` and `claude-code`",
  },
  [`${PROVIDER}.api_key_env`]: {
    description: 'the name of the environment variable that holds the API key (never the key itself)',
    default:
      "`ANTHROPIC_API_KEY` for `anthropic`, `OPENAI_API_KEY` for `openai`; for `claude-code`, Claude Code's own " +
      'login unless `ANTHROPIC_API_KEY` is set; none (no key) otherwise',
  },
  [`${PROVIDER}.pricing`]: {
    description:
      'prices by model id, overriding the built-in price table; a model with no price is refused by `run`',
  },
  [`${PROVIDER}.pricing.<model>.cache_read`]: { default: 'the input price' },
  [`${PROVIDER}.pricing.<model>.cache_write_5m`]: { default: 'the input price' },
  [`${PROVIDER}.pricing.<model>.cache_write_1h`]: { default: '`cache_write_5m`, else the input price' },
  [`${PROVIDER}.script`]: {
    description: 'kind `scripted` only: the script file of answers (relative to this file)',
  },
  [`${PROVIDER}.latency_ms`]: { description: 'kind `scripted` only: a delay before each answer' },
  [`${PROVIDER}.call_log`]: {
    description: 'kind `scripted` only: a file each call is appended to (relative to this file)',
  },
  phases: {
    description: 'the phases by id; a phase starts when every phase it depends on has passed',
    default: 'the built-in five (research, planning, implementation, review, verification)',
  },
  [`${PHASE}.agent`]: {
    description: 'a built-in role or one defined under `agents`',
    default: 'the phase id, when it names an agent',
  },
  [`${PHASE}.model`]: { default: "the role's tier (see Role defaults)" },
  [`${PHASE}.timeout`]: { default: 'by role' },
  [`${PHASE}.quality_gate`]: { description: 'a threshold, or `{ threshold, checks }`' },
  [`${PHASE}.quality_gate.threshold`]: {
    description: 'the score the checks must reach, 0–1',
    default: 'by role',
  },
  [`${PHASE}.quality_gate.checks`]: { default: 'by role' },
  [`${PHASE}.cost_limit`]: { default: 'by role' },
  [`${PHASE}.depends_on`]: { description: 'a phase id or a list of them', default: 'none' },
  [`${PHASE}.escalation`]: {
    default:
      'the top-level `escalation`; without it, the role’s ladder (implementation: `[escalate, escalate, halt]`)',
  },
  [`${PHASE}.max_turns`]: {
    description: 'the most model turns in one attempt',
    default: `${DEFAULT_MAX_TURNS}`,
  },
  [`${PHASE}.max_output_tokens`]: {
    description: 'the output cap of one model call (lowered when the budget left needs it)',
    default: `${DEFAULT_MAX_OUTPUT_TOKENS}`,
  },
  [`${PHASE}.fan_out`]: {
    default:
      '`off`: the phase runs as one agent (the built-in workflow: implementation `{ from: planning, required: false }`)',
  },
  escalation: {
    default: `each role’s ladder: ${code(list(DEFAULT_ESCALATION))}, implementation ${code(list(ROLE_DEFAULTS.implementation.escalation ?? []))}`,
  },
  agents: {
    description: 'roles of your own; one with a built-in name replaces that role',
  },
  [`${AGENT}.description`]: { default: "the extended role's" },
  [`${AGENT}.prompt`]: { default: "the extended role's (required when the agent extends none)" },
  [`${AGENT}.deliverables`]: { default: "the extended role's, else `[Handoff]`" },
  [`${AGENT}.permissions`]: {
    description:
      'what its tools may do: `read` (list, glob, grep, read), `write` (write, edit), `run` (`run_command`)',
    default: "the extended role's, else `[read]`",
  },
  [`${AGENT}.extends`]: {
    description:
      'the built-in role it starts from: its prompt, deliverables, permissions, and its defaults for tier, ' +
      'threshold, cost limit, timeout and gate checks',
  },
  [`${CHECK}.kind`]: { description: 'which check; see Gate checks' },
  [`${CHECK}.name`]: {
    description: 'how results and messages name the check; unique within the gate',
    default: 'the kind',
  },
  [`${CHECK}.required`]: { default: 'false (`work-items`: true)' },
  [`${CHECK}.sections`]: { description: 'the headings to look for', default: "the agent's deliverables" },
  [`${CHECK}.expect`]: { description: '`unchanged`: nothing may change; `changed`: something must' },
};

interface Field {
  path: string;
  type: string;
  required: boolean;
  default: string;
  description: string;
}

interface Variant {
  kind: string;
  description: string;
  fields: Field[];
}

interface Walk {
  fields: Field[];
  /** Fields every gate check kind takes. */
  common: Field[];
  variants: Variant[];
  usedNotes: Set<string>;
}

const asNodes = (value: unknown): SchemaNode[] => (Array.isArray(value) ? (value as SchemaNode[]) : []);
const isNode = (value: unknown): value is SchemaNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function properties(node: SchemaNode): Array<[string, SchemaNode]> {
  return isNode(node.properties) ? Object.entries(node.properties as Record<string, SchemaNode>) : [];
}

/** A mapping with keys of the user's choosing (phases, agents, tiers...): its value schema. */
function mappingValue(node: SchemaNode): SchemaNode | undefined {
  const value = node.additionalProperties;
  return isNode(value) && Object.keys(value).length > 0 ? value : undefined;
}

function placeholder(mappingPath: string): string {
  return KEY_PLACEHOLDERS[mappingPath] ?? '<key>';
}

/** Largest safe integer: zod's way of saying "no maximum". */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

function range(node: SchemaNode): string {
  const min = node.minimum as number | undefined;
  const max = node.maximum as number | undefined;
  if (min !== undefined && max !== undefined && max !== NO_LIMIT) return ` ${min}–${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  return '';
}

function typeOf(node: SchemaNode, path: string): string {
  const branches = [...asNodes(node.anyOf), ...asNodes(node.oneOf)];
  if (branches.length > 0 && node.type === undefined)
    return branches.map((branch) => typeOf(branch, path)).join(', or ');
  if (node.const !== undefined) return code(node.const);
  if (Array.isArray(node.enum)) return `one of ${node.enum.map(code).join(', ')}`;
  const type = node.type;
  if (Array.isArray(type)) return type.join(' or ');
  switch (type) {
    case 'integer':
    case 'number':
      return `${type}${range(node)}`;
    case 'string':
      return [
        'string',
        typeof node.pattern === 'string' ? ` matching ${code(node.pattern)}` : '',
        node.format === 'uri' ? ' (a URL)' : '',
      ].join('');
    case 'array': {
      const items = isNode(node.items) ? node.items : {};
      const what = asNodes(items.oneOf).length > 0 ? 'checks' : typeOf(items, `${path}[]`);
      return `list of ${what}${node.minItems === undefined ? '' : ` (at least ${node.minItems})`}`;
    }
    case 'object': {
      const value = mappingValue(node);
      if (value !== undefined && properties(node).length === 0)
        return `mapping of ${code(placeholder(path))} to ${isNode(value) && value.type === 'object' ? 'object' : typeOf(value, path)}`;
      return node.additionalProperties === undefined || isNode(node.additionalProperties)
        ? 'mapping'
        : 'object';
    }
    case 'boolean':
      return 'boolean';
    default:
      return 'any';
  }
}

/** The schema's description, or the first one a union's branches give. */
function describedBy(node: SchemaNode): string | undefined {
  if (typeof node.description === 'string') return node.description;
  for (const branch of [...asNodes(node.anyOf), ...asNodes(node.oneOf)]) {
    const found = describedBy(branch);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Moves "(default X)" out of a description into the default column. */
function splitDefault(description: string): { description: string; default: string | undefined } {
  const match = /\s*\(default:? ([^()]*)\)/.exec(description);
  if (match === null) return { description, default: undefined };
  return { description: description.replace(match[0], ''), default: match[1] };
}

function field(node: SchemaNode, path: string, required: boolean, walk: Walk): Field {
  const note = FIELD_NOTES[path];
  if (note !== undefined) walk.usedNotes.add(path);
  const own = describedBy(node);
  if (own !== undefined && note?.description !== undefined) {
    throw new Error(`${path}: the schema now describes this field; remove its description from FIELD_NOTES`);
  }
  const split = splitDefault(own ?? note?.description ?? '');
  const fromSchema = node.default === undefined ? undefined : JSON.stringify(node.default);
  return {
    path,
    type: typeOf(node, path),
    required,
    default: fromSchema ?? split.default ?? note?.default ?? '',
    description: split.description,
  };
}

function visit(node: SchemaNode, path: string, required: boolean, walk: Walk, into: Field[]): void {
  into.push(field(node, path, required, walk));
  visitChildren(node, path, walk, into);
}

function visitChildren(node: SchemaNode, path: string, walk: Walk, into: Field[]): void {
  const needed = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  for (const [key, child] of properties(node)) visit(child, `${path}.${key}`, needed.has(key), walk, into);
  const value = mappingValue(node);
  if (value !== undefined) {
    const childPath = `${path}.${placeholder(path)}`;
    if (value.type === 'object' && properties(value).length > 0) visitChildren(value, childPath, walk, into);
    else if (properties(node).length > 0) visit(value, childPath, false, walk, into);
  }
  for (const branch of [...asNodes(node.anyOf)]) visitChildren(branch, path, walk, into);
  const items = isNode(node.items) ? node.items : undefined;
  if (items === undefined) return;
  const variants = asNodes(items.oneOf);
  if (variants.length === 0) {
    visitChildren(items, `${path}[]`, walk, into);
    return;
  }
  const kinds = variants.map((variant) => String(propertyOf(variant, 'kind')?.const));
  into.push(field({ type: 'string', enum: kinds }, `${path}[].kind`, true, walk));
  const shared = sharedProperties(variants);
  const first = variants[0] ?? {};
  for (const key of shared) visit(propertyOf(first, key) ?? {}, `${path}[].${key}`, false, walk, walk.common);
  variants.forEach((variant, index) => {
    const fields: Field[] = [];
    const needed = new Set(Array.isArray(variant.required) ? (variant.required as string[]) : []);
    for (const [key, child] of properties(variant)) {
      if (key !== 'kind' && !shared.includes(key))
        visit(child, `${path}[].${key}`, needed.has(key), walk, fields);
    }
    walk.variants.push({ kind: kinds[index] ?? '', description: describedBy(variant) ?? '', fields });
  });
}

function propertyOf(node: SchemaNode, key: string): SchemaNode | undefined {
  return properties(node).find(([name]) => name === key)?.[1];
}

/** Fields every variant declares the same way (besides `kind`): listed once, not under each kind. */
function sharedProperties(variants: readonly SchemaNode[]): string[] {
  const [first, ...others] = variants;
  if (first === undefined) return [];
  return properties(first)
    .map(([key]) => key)
    .filter(
      (key) =>
        key !== 'kind' &&
        others.every(
          (other) => JSON.stringify(propertyOf(other, key)) === JSON.stringify(propertyOf(first, key)),
        ),
    );
}

/**
 * Text for a table cell: pipes escaped, and outside code spans the characters Markdown would read as emphasis
 * or HTML (`src/**`, `<name>`) escaped too.
 */
function cell(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/[*<>_]/g, (char) => `\\${char}`)))
    .join('')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
}

function fieldTable(fields: readonly Field[]): string {
  const rows = fields.map(
    (entry) =>
      `| ${code(entry.path)}${entry.required ? ' (required)' : ''} | ${cell(entry.type)} | ${cell(entry.default)} | ${cell(entry.description)} |`,
  );
  return ['| field | type | default | description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function describeCheck(check: GateCheckConfig): string {
  const expectation = check.kind === 'diff' ? ` (${check.expect})` : '';
  return `${check.kind}${expectation} ×${check.weight}${check.required ? ' required' : ''}`;
}

function minutes(ms: number): string {
  return `${ms / 60_000}m`;
}

/** Prices and limits as people write them: no binary-fraction noise (0.30000000000000004). */
function amount(value: number): string {
  return `${Number(value.toPrecision(6))}`;
}

function roleTable(): string {
  const row = (name: string, defaults: RoleDefaults, checks: GateCheckConfig[], rest: string[]) => [
    name,
    defaults.tier ?? 'the middle tier',
    amount(defaults.threshold),
    `$${defaults.costLimitUsd.toFixed(2)}`,
    minutes(defaults.timeoutMs),
    checks.map(describeCheck).join(', '),
    ...rest,
  ];
  const rows = [
    ...BUILTIN_AGENT_NAMES.map((role) => {
      const agent = builtinAgents[role]!;
      return row(code(role), ROLE_DEFAULTS[role], defaultGateChecks(role), [
        agent.permissions.join(', '),
        agent.deliverables.join(', '),
      ]);
    }),
    row('an agent that extends none', CUSTOM_ROLE_DEFAULTS, defaultGateChecks(undefined), [
      'its own, else read',
      'its own, else Handoff',
    ]),
  ];
  return [
    'What a phase gets for each field it leaves out, by the role of its agent: the built-in role it is or',
    "`extends`. The tier is the role's own when `models.tiers` has it; otherwise the tier at the same place",
    `(cheapest, middle, top) among your tiers. The default tiers are ${DEFAULT_TIERS.join(', ')}.`,
    '',
    '| role | tier | threshold | cost_limit | timeout | gate checks | permissions | deliverables |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.map(cell).join(' | ')} |`),
  ].join('\n');
}

function priceList(): string {
  const rows = Object.entries(priceTable).map(([model, price]) =>
    [code(model), price.input, price.output, price.cacheRead, price.cacheWrite5m, price.asOf]
      .map((value) => (typeof value === 'number' ? amount(value) : value))
      .join(' | '),
  );
  return [
    'The models the built-in price table knows, in USD per million tokens (`src/budget/price-table.ts`).',
    '`run` refuses any other model until `models.providers.<name>.pricing` gives its price.',
    '',
    '| model | input | output | cache read | cache write (5 min) | as of |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((text) => `| ${text} |`),
  ].join('\n');
}

function checkSection(walk: Walk): string[] {
  const kinds = walk.variants.flatMap((variant) => [
    `### \`${variant.kind}\``,
    '',
    `${variant.description[0]?.toUpperCase() ?? ''}${variant.description.slice(1)}.`,
    '',
    ...(variant.fields.length === 0 ? ['No fields of its own.'] : [fieldTable(variant.fields)]),
    '',
  ]);
  return [
    'Each item of `quality_gate.checks` is one check, chosen by `kind`. A check scores 0–1 and passes at 1.',
    'Every kind takes these fields:',
    '',
    fieldTable(walk.common),
    '',
    ...kinds,
  ];
}

/** What `fan_out` does, its defaults, and what the loader refuses: rules about the whole workflow. */
function rateLimitSection(): string[] {
  const expiry = DEFAULT_ADMISSION_EXPIRY_MS / 1000;
  return [
    "`models.providers.<name>.rate_limit` holds back that provider's model calls: at most `requests_per_minute`",
    'calls started and `tokens_per_minute` tokens in any minute (a sliding one), and `max_concurrent` calls in',
    'flight at once. Each limit is optional; a provider without `rate_limit` is not limited. A call waits until',
    `it fits (an abort or the phase timeout still ends the wait), and a wait of ${DEFAULT_LONG_WAIT_MS / 1000} s or more is said on stderr.`,
    "Each try of a retried call is a request of its own. A call's tokens are counted as its estimated input plus",
    'its `max_output_tokens` when it is admitted, and corrected to the usage the provider reports when it ends (a',
    'failed call that reports none keeps its estimate). A single call larger than `tokens_per_minute` is let',
    'through, alone, when the minute holds no other tokens. Claude Code sessions make their own calls, so a',
    '`claude-code` provider takes no `rate_limit`. `phasewise validate` lists the limits.',
    '',
    'With the SQLite journal the limits hold within one `phasewise` process. With a Postgres journal they are',
    'shared by every process using it (the table `provider_admissions`): each admission is one transaction on the',
    `provider's locked row. A process renews its calls in flight every ${expiry / 3} s; the calls of a process that`,
    `died stop counting as in flight once they have gone ${expiry} s without renewal.`,
    '',
    '```yaml',
    'models:',
    '  providers:',
    '    anthropic:',
    '      rate_limit: { requests_per_minute: 50, tokens_per_minute: 40000, max_concurrent: 4 }',
    '```',
    '',
  ];
}

/** The phase cache's command-line options (a run's choice, not the file's): docs/reuse.md has the whole story. */
function reuseSection(): string[] {
  return [
    "A phase whose inputs are all the same as a passed phase's of an earlier run in the same journal takes that",
    'result instead of calling the model: its resolved configuration (role, prompt, tier and models, gate), the',
    "task, its upstream phases' handoffs and reports, and the workspace tree it starts from. It is chosen per run",
    'on the command line of `run` and `resume` (there is no key in this file):',
    '',
    '| option | which phases may be reused |',
    '| --- | --- |',
    '| `--reuse read-only` (the default) | phases whose role may only read (research, planning, review) |',
    '| `--reuse all` | also phases that change the workspace: their recorded changes are applied again and the tree verified |',
    '| `--reuse off`, `--no-reuse` | none: every phase calls the model |',
    '',
    'See [Reusing phases](reuse.md) for what makes a key, what is stored, and how reuse shows in reports.',
    '',
  ];
}

function fanOutSection(): string[] {
  return [
    "`fan_out` runs a phase's agent once per work item, side by side, each in its own git worktree, and merges",
    "the results before the phase's gate. Work items come from the report of a phase upstream of it (the plan) or,",
    'with `from: task`, from the task file. Without `fan_out`, or with `fan_out: off`, the phase runs as one agent.',
    'The workspace must be a git repository (checked before the run opens). A plan with fewer than two items runs',
    'the phase as one agent and says so. With `required: false`, fan-out is used only where it can help: in a',
    'workspace that is not a git repository, or with items that each wait for the one before, the phase runs as one',
    'agent and says why instead of refusing. The built-in workflow (no `phases:`, and the file `phasewise init`',
    'writes) fans out implementation that way: `fan_out: { from: planning, required: false }`. The first attempt is the',
    "fan-out: items run up to `max_parallel` at once, each with the phase's role, ladder and an item gate (its",
    '`command` checks and a `diff` within its files); they merge in dependency order, a conflict gets one merge',
    "turn by the role, and one it cannot resolve halts the phase naming the files. The phase's gate then judges the",
    'merged working tree (nothing is committed on your branch); a failure escalates to one agent as usual.',
    '',
    '```yaml',
    'phases:',
    '  research: {}',
    '  planning: { depends_on: research }',
    '  implementation:',
    '    depends_on: planning',
    '    fan_out: { from: planning, max_parallel: 3, item_cost_limit: $0.08 }',
    '  review: { depends_on: implementation }',
    '  verification: { depends_on: review }',
    '```',
    '',
    `- \`max_parallel\`: how many items run at once, a whole number 1–${MAX_FAN_OUT_PARALLEL}; default ${DEFAULT_FAN_OUT_MAX_PARALLEL}.`,
    '- `item_cost_limit`: what one item may spend, an amount like `cost_limit`; default an equal share of what the',
    "  phase has left. Every item spends from the phase's `cost_limit` and the run's budget.",
    '- `copy_ignored`: paths relative to the workspace (`[node_modules, .env, dist]`) whose git-ignored files each',
    "  item's worktree gets a copy of; default none. Git puts only what it tracks in a worktree, so a `command`",
    '  check such as `npm test` that needs installed dependencies, a build output or a `.env` fails there where it',
    '  passes in the workspace. The copy is made when the worktree is (and in the merge worktree when a merge',
    '  conflicts): copy-on-write where the file system can (Btrfs, XFS, APFS), a plain copy elsewhere, never a',
    '  hard or symbolic link back into the workspace, so an item cannot change your files through it. A symbolic',
    '  link inside a copied folder is kept when it points inside the worktree (`node_modules/.bin`) and left out',
    '  when it would lead out of it. Files git does not ignore are not copied: the worktree has them already.',
    '  Copies count in the disk use `runs` and `status` show, at their full size, and go with the worktree; a',
    '  large `node_modules` copied without copy-on-write costs its size once per worktree.',
    '',
    'Refused, each at its line and column (exit 2):',
    '',
    '- `from` naming a phase that is not upstream: the phase must wait for it through `depends_on`, directly or',
    '  through other phases; the hint lists the phases that are upstream. A phase cannot name itself.',
    '- `from: task` when a phase is also named `task` (rename the phase).',
    `- \`max_parallel\` that is not a whole number from 1 to ${MAX_FAN_OUT_PARALLEL}.`,
    "- `item_cost_limit` over the phase's own `cost_limit` (its role's default when it sets none).",
    '- `fan_out` on a phase whose agent does not change the workspace: the research, review and verification roles',
    '  and agents that extend them, and any agent without the `write` permission (such as planning).',
    '  `fan_out: off` is accepted on any phase.',
    '- A `copy_ignored` path that is absolute, climbs out of the workspace with `..`, is the workspace itself',
    "  (`.`), or is under `.git` or `.phasewise` (phasewise's own folder, which holds the worktrees).",
    '- An unknown key inside `fan_out`, with the close one suggested.',
    '',
  ];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'docs', 'configuration.md');

/**
 * The text of docs/configuration.md: the rendered reference laid out by Biome, which checks Markdown too (it
 * pads table columns), so the file passes `npm run lint` as written.
 */
export function configReferenceFile(schema?: SchemaNode): string {
  const biome = path.join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  return execFileSync(process.execPath, [biome, 'format', `--stdin-file-path=${target}`], {
    cwd: root,
    input: renderConfigReference(schema),
    encoding: 'utf8',
  });
}

/** The Markdown of the reference, from the given JSON Schema (the published one by default). */
export function renderConfigReference(schema: SchemaNode = configJsonSchema()): string {
  const walk: Walk = { fields: [], common: [], variants: [], usedNotes: new Set() };
  const needed = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const [key, child] of properties(schema)) visit(child, key, needed.has(key), walk, walk.fields);
  const unused = Object.keys(FIELD_NOTES).filter((key) => !walk.usedNotes.has(key));
  if (unused.length > 0)
    throw new Error(`FIELD_NOTES name fields the schema does not have: ${unused.join(', ')}`);
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from schema/phasewise.schema.json by scripts/write-config-reference.ts',
    '     (`npm run config-reference`). Do not edit by hand: test/config/config-reference.test.ts fails when',
    '     this file and the schema disagree. -->',
    '',
    `phasewise reads the first of ${CONFIG_FILE_NAMES.map(code).join(', ')} it finds in the`,
    'current directory, or the file given with `-c`. Without one it runs the built-in five-phase workflow.',
    'Every key is optional, and an unknown key is an error. Paths in the file are relative to the file. The',
    'JSON Schema `schema/phasewise.schema.json` holds the same fields for editors.',
    '',
    'A file can start from a workflow template (`bugfix`, `refactor`, `docs`, `performance`, `security`,',
    '`feature`, or one of your own) with `extends:` and override parts of it: see [templates](templates.md)',
    'for each template, its gates and the merge rules.',
    '',
    'A duration is a number of seconds or text such as `"10m"`, `"600s"`, `"10 minutes"` or `"1h30m"`. An',
    'amount is in USD: a number, or text such as `"$0.05"`. In a field path, `<id>`, `<name>`, `<tier>` and',
    '`<model>` stand for keys you choose, and `[]` stands for each item of a list.',
    '',
    '## Fields',
    '',
    fieldTable(walk.fields),
    '',
    '## Fan-out',
    '',
    ...fanOutSection(),
    '## Rate limits',
    '',
    ...rateLimitSection(),
    '## Reusing phases',
    '',
    ...reuseSection(),
    '## MCP servers',
    '',
    "`mcp_servers:` names the MCP servers whose tools roles may call, and an agent's `tools:` the ones it takes",
    '(`server.tool`, `server.*`); secrets come `from_env`. [MCP](mcp.md) has an example, the read-only rule and',
    'the security rules, and how to serve phasewise itself over MCP (`phasewise mcp`).',
    '',
    '## Gate checks',
    '',
    ...checkSection(walk),
    '## Role defaults',
    '',
    roleTable(),
    '',
    '## Prices',
    '',
    priceList(),
    '',
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(target, configReferenceFile());
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
