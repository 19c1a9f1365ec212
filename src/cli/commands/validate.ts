/** `phasewise validate`: check the configuration and print the resolved plan. */
import pc from 'picocolors';
import { claudeAgentSdkMissing } from '../../agent/claude-code/index.js';
import type { ProviderConfig, ResolvedPhase, ResolvedWorkflow } from '../../config/index.js';
import { FAN_OUT_FROM_TASK, loadWorkflow, providerKindSpec } from '../../config/index.js';
import { apiKeyEnvOf, unpricedModel } from '../../provider/index.js';
import { probeSandbox } from '../../tools/index.js';
import { duration, table, usd } from '../format.js';
import { cliRedactor } from '../secrets.js';

export interface ValidateOptions {
  config?: string;
  template?: string;
  workspace?: string;
  json?: boolean;
}

export function validateCommand(options: ValidateOptions): number {
  const workflow = loadWorkflow({
    cwd: process.cwd(),
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.template === undefined ? {} : { template: options.template }),
    ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
    // What `run` would refuse (a model with no price, a mistyped one above all) is refused here, where it is named.
    checkModel: unpricedModel,
  });
  // Only the JSON carries the task and every value of the configuration; the plan shows neither.
  process.stdout.write(
    options.json === true
      ? `${JSON.stringify(cliRedactor(workflow).redactDeep(workflow), null, 2)}\n`
      : describePlan(workflow),
  );
  return 0;
}

export function describePlan(workflow: ResolvedWorkflow): string {
  const source =
    workflow.sourceFile ??
    (workflow.template === undefined
      ? 'built-in five-phase workflow (no phasewise.yaml found)'
      : `template ${workflow.template}`);
  const lines = [
    `${pc.green('✓')} configuration is valid: ${source}`,
    `workspace: ${workflow.workspace}`,
    `task: ${workflow.task === null ? '(none: pass TASK to `phasewise run`)' : workflow.task.source}`,
    `budget: ${usd(workflow.budgetUsd)} for the run · deadline: ${workflow.deadlineMs === null ? 'none' : duration(workflow.deadlineMs)} · up to ${workflow.concurrency} phase(s) at once`,
    `tiers (cheapest first): ${workflow.tiers.map((tier) => `${tier} = ${workflow.tierModels[tier]}`).join(', ')}`,
    ...rateLimitLines(workflow),
    ...mcpLines(workflow),
    ...credentialLines(workflow, process.env),
    '',
    table([
      ['phase', 'agent', 'model', 'timeout', 'cost limit', 'gate', 'checks', 'depends on', 'on failure'].map(
        (cell) => pc.dim(cell),
      ),
      ...workflow.phases.map((phase) => phaseRow(phase, workflow)),
    ]),
    ...workflow.phases.flatMap(fanOutLine),
  ];
  const total = workflow.phases.reduce((sum, phase) => sum + phase.costLimitUsd, 0);
  lines.push('', `phase cost limits add up to ${usd(total)}; the run budget is ${usd(workflow.budgetUsd)}`);
  return `${lines.join('\n')}\n`;
}

function phaseRow(phase: ResolvedPhase, workflow: ResolvedWorkflow): string[] {
  const model =
    phase.model.kind === 'tier'
      ? `${phase.model.tier} (${workflow.tierModels[phase.model.tier]})`
      : phase.model.kind === 'model'
        ? phase.model.ref
        : 'auto';
  const checks = phase.gate.checks
    .map((check) => `${check.name}${check.required ? '!' : ''}×${check.weight}`)
    .join(' ');
  return [
    phase.id,
    phase.agent,
    model,
    duration(phase.timeoutMs),
    usd(phase.costLimitUsd),
    `≥ ${phase.gate.threshold.toFixed(2)}`,
    checks,
    phase.dependsOn.join(', ') || '-',
    phase.escalation.join(' → '),
  ];
}

/** Each MCP server (what it runs or where it is, the variables it reads, which tools only read), then each role's tools. */
export function mcpLines(workflow: ResolvedWorkflow): string[] {
  const servers = Object.entries(workflow.mcpServers ?? {}).map(([name, server]) => {
    const where =
      server.transport === 'stdio'
        ? `stdio \`${[server.command, ...server.args].join(' ')}\``
        : `HTTP ${server.url}`;
    const values = server.transport === 'stdio' ? server.env : server.headers;
    const variables = Object.values(values).flatMap((value) => ('fromEnv' in value ? [value.fromEnv] : []));
    const readOnly = server.readOnly ? 'all tools' : server.readOnlyTools.join(', ') || 'none';
    return `mcp server: ${name}: ${where}${variables.length === 0 ? '' : `, reads ${variables.join(', ')}`}; read-only: ${readOnly}; a call times out after ${duration(server.timeoutMs)}`;
  });
  const roles = Object.values(workflow.agents).flatMap((agent) =>
    agent.mcpTools === undefined ? [] : [`mcp tools of ${agent.name}: ${agent.mcpTools.join(', ')}`],
  );
  return [...servers, ...roles];
}

/** Each provider's `rate_limit`, and whether other processes share it (they do with a Postgres journal). */
export function rateLimitLines(workflow: ResolvedWorkflow): string[] {
  const where =
    workflow.journal?.kind === 'postgres'
      ? 'shared by every process of the Postgres journal'
      : 'within each phasewise process (shared with a Postgres journal)';
  return Object.values(workflow.providers).flatMap((provider) => {
    const limit = provider.rateLimit;
    if (limit === undefined) return [];
    const parts = [
      ...(limit.requestsPerMinute === undefined ? [] : [`${limit.requestsPerMinute} requests/min`]),
      ...(limit.tokensPerMinute === undefined ? [] : [`${limit.tokensPerMinute} tokens/min`]),
      ...(limit.maxConcurrent === undefined ? [] : [`${limit.maxConcurrent} call(s) at once`]),
    ];
    return [`rate limit: ${provider.name}: ${parts.join(', ')}, ${where}`];
  });
}

/** A phase that fans out, in words under the table (most phases do not, so it gets no column of its own). */
function fanOutLine(phase: ResolvedPhase): string[] {
  if (phase.fanOut === undefined) return [];
  const { from, maxParallel, itemCostLimitUsd, copyIgnored } = phase.fanOut;
  const source = from === FAN_OUT_FROM_TASK ? 'the task file' : `${from}'s report`;
  const limit =
    itemCostLimitUsd === undefined
      ? 'each an equal share of what the phase has left'
      : `at most ${usd(itemCostLimitUsd)} each`;
  return [
    `${phase.id} fans out: one agent per work item of ${source}, up to ${maxParallel} at once, ${limit}` +
      (copyIgnored === undefined
        ? ''
        : `; each worktree gets a copy of the ignored ${copyIgnored.join(', ')}`),
  ];
}

/** Which API keys the tiers need and whether they are set — a `run` without one is refused before it starts. */
export function credentialLines(
  workflow: ResolvedWorkflow,
  env: Record<string, string | undefined>,
): string[] {
  const needed = new Map<string, string[]>();
  for (const tier of workflow.tiers) {
    const ref = workflow.tierModels[tier] ?? '';
    const provider = workflow.providers[ref.slice(0, ref.indexOf(':'))];
    const variable = provider === undefined ? undefined : apiKeyEnvOf(provider);
    if (variable !== undefined) needed.set(variable, [...(needed.get(variable) ?? []), tier]);
  }
  const lines = [...needed].map(([variable, tiers]) => {
    const set = (env[variable] ?? '') !== '';
    const state = set ? pc.green('set') : pc.yellow('not set — `run` will refuse these tiers until it is');
    return `credentials: ${variable} (${tiers.join(', ')}): ${state}`;
  });
  return [...lines, sandboxLine(workflow), ...claudeCodeLines(workflow, env)];
}

/** Whether run_command and command checks will be sandboxed, as `run` will decide it. */
function sandboxLine(workflow: ResolvedWorkflow): string {
  const settings = workflow.sandbox ?? { mode: 'auto', network: false, readOnlyPaths: [] };
  if (settings.mode === 'none') return `commands: ${pc.yellow('not sandboxed (sandbox: none)')}`;
  const availability = probeSandbox();
  if (availability.available) {
    return `commands: sandboxed by bubblewrap (${settings.network ? 'with the network' : 'no network'})`;
  }
  return settings.mode === 'bubblewrap'
    ? `commands: ${pc.yellow(`sandbox: bubblewrap is required and not available (${availability.reason}) — \`run\` will refuse to start`)}`
    : `commands: ${pc.yellow(`NOT sandboxed: ${availability.reason}; install bubblewrap, or set \`sandbox: bubblewrap\` to require it`)}`;
}

/** Tiers and phases on Claude Code: how they sign in, and whether the optional Agent SDK is there. */
function runtimeOf(provider: ProviderConfig | undefined): string | undefined {
  return provider === undefined ? undefined : providerKindSpec(provider.kind)?.runtime;
}

function claudeCodeLines(workflow: ResolvedWorkflow, env: Record<string, string | undefined>): string[] {
  const refs = [
    ...workflow.tiers.map((tier) => workflow.tierModels[tier] ?? ''),
    ...workflow.phases.flatMap((phase) => (phase.model.kind === 'model' ? [phase.model.ref] : [])),
  ];
  const users = [...new Set(refs)].filter(
    (ref) => runtimeOf(workflow.providers[ref.slice(0, ref.indexOf(':'))]) === 'claude-code',
  );
  if (users.length === 0) return [];
  const missing = claudeAgentSdkMissing();
  const login = users.some(
    (ref) => workflow.providers[ref.slice(0, ref.indexOf(':'))]?.apiKeyEnv === undefined,
  )
    ? [
        `credentials: Claude Code (${users.join(', ')}): ${(env.ANTHROPIC_API_KEY ?? '') === '' ? 'its own login (run `claude` once to sign in)' : 'ANTHROPIC_API_KEY'}`,
      ]
    : [];
  return [
    ...login,
    `claude-code runtime: ${missing === undefined ? pc.green('@anthropic-ai/claude-agent-sdk installed') : pc.yellow('@anthropic-ai/claude-agent-sdk not installed — `run` will refuse these models until it is')}`,
  ];
}
