/**
 * End-to-end material for the workflow templates: a configuration that `extends:` a template with the models
 * pointed at the fake LLM server, reports with any sections, and the run's NDJSON events read back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FakeConversation, FakeTurn } from '../../src/testing/index.js';
import { startCli } from './cli.js';

export const TEMPLATE_E2E_KEY = 'e2e-templates-key';

/** `extends: <template>` with the three tiers on the fake server, and anything more the test adds. */
export function writeTemplateConfig(
  workspace: string,
  template: string,
  baseUrl: string,
  extra = '',
  file = 'phasewise.yaml',
): void {
  mkdirSync(dirname(join(workspace, file)), { recursive: true });
  writeFileSync(
    join(workspace, file),
    `extends: ${template}
budget: 3.00
models:
  tiers: [haiku, sonnet, opus]
  haiku: vendor:claude-haiku-4-5
  sonnet: vendor:claude-sonnet-4-5
  opus: vendor:claude-opus-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: E2E_TEMPLATES_KEY }
${extra}`,
  );
}

/** A report with these `## ` sections, each with the given text or a line that cites a real file. */
export function report(sections: readonly string[], text: Record<string, string> = {}): string {
  return sections
    .map(
      (section) =>
        `## ${section}\n${text[section] ?? `Notes on ${section.toLowerCase()}: see \`src/auth.js\`.`}`,
    )
    .join('\n\n');
}

export const call = (name: string, input: unknown): FakeTurn => ({ toolCalls: [{ name, input }] });

/** A phase recognised by a heading only its agent's system prompt asks for. */
export function phase(name: string, heading: string, turns: FakeTurn[]): FakeConversation {
  return { name, match: [`## ${heading}`], turns };
}

export interface TemplateRun {
  code: number | null;
  stderr: string;
  events: Array<Record<string, unknown> & { type: string }>;
}

export async function runTemplate(
  workspace: string,
  task: string,
  args: string[] = [],
): Promise<TemplateRun> {
  const result = await startCli(['run', '--json', ...args, task], {
    cwd: workspace,
    env: { E2E_TEMPLATES_KEY: TEMPLATE_E2E_KEY },
  }).done;
  const events = result.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  return { code: result.code, stderr: result.stderr, events };
}

/** The checks of the last gate of a phase, by name. */
export function lastGate(
  run: TemplateRun,
  phaseId: string,
): Record<string, { passed: boolean; message: string }> {
  const gates = run.events.filter((event) => event.type === 'gate-end' && event.phaseId === phaseId);
  const checks = (gates.at(-1)?.checks ?? []) as Array<{ name: string; passed: boolean; message: string }>;
  return Object.fromEntries(checks.map((check) => [check.name, check]));
}

export function phasesStarted(run: TemplateRun): string[] {
  return run.events.filter((event) => event.type === 'phase-start').map((event) => String(event.phaseId));
}
