/**
 * A workspace for subprocess runs: a five-phase config on a scripted provider with a call log, and a script in
 * which every phase makes a tool call before answering, and planning's first attempt fails its gate.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinAgents } from '../../src/config/index.js';

export const phaseIds = ['research', 'planning', 'implementation', 'review', 'verification'];

/** A report with the role's sections; a review also lists its (no) findings, as its gate expects. */
export const reportOf = (id: string, skip: string[] = []) =>
  builtinAgents[id]!.deliverables.filter((section) => !skip.includes(section))
    .map((section) => `## ${section}\n${id} notes, item ${section.length}.${sectionExtra(id, section)}`)
    .join('\n\n');

function sectionExtra(id: string, section: string): string {
  if (id === 'review' && section === 'Findings') return '\n```json\n[]\n```';
  if (section === 'Go/no-go') return '\nGo.';
  return '';
}

function script(): unknown {
  // Implementation changes the workspace (its gate requires it); the other roles only look.
  const attempt = (id: string, text: string) => ({
    turns: [
      {
        toolCalls: [
          id === 'implementation'
            ? {
                name: 'write',
                input: { path: 'src/health.js', content: 'export const health = () => ({ ok: true });\n' },
              }
            : { name: 'list', input: { path: '.' } },
        ],
        usage: { input: 2_000, output: 300 },
      },
      { text, usage: { input: 2_500, output: 900 } },
    ],
  });
  return {
    phases: Object.fromEntries(
      phaseIds.map((id) => [
        id,
        id === 'planning'
          ? [attempt(id, reportOf(id, ['Risks'])), attempt(id, reportOf(id))]
          : [attempt(id, reportOf(id))],
      ]),
    ),
  };
}

export function crashConfig(latencyMs: number): string {
  return `version: 1
task: Add a health endpoint
budget: 1.50
models:
  tiers: [small, large]
  small: scripted:claude-haiku-4-5
  large: scripted:claude-sonnet-4-5
  providers:
    scripted: { kind: scripted, script: ./script.yaml, latency_ms: ${latencyMs}, call_log: ./.phasewise/calls.log }
phases:
  research: { model: small, cost_limit: $0.05, max_quality_gate: 0.80 }
  planning: { model: small, cost_limit: $0.30, quality_threshold: 0.95, dependencies: research }
  implementation: { model: large, cost_limit: $0.20, quality_threshold: 0.88, dependencies: planning }
  review: { model: large, cost_limit: $0.25, quality_threshold: 0.92, dependencies: implementation }
  verification: { model: small, cost_limit: $0.18, quality_threshold: 0.90, dependencies: review }
`;
}

export function makeCrashWorkspace(latencyMs = 20): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-crash-'));
  writeFileSync(join(workspace, 'phasewise.yaml'), crashConfig(latencyMs));
  writeFileSync(join(workspace, 'script.yaml'), JSON.stringify(script(), null, 2));
  return workspace;
}

export function copyWorkspace(from: string): string {
  const to = mkdtempSync(join(tmpdir(), 'phasewise-crash-'));
  cpSync(from, to, { recursive: true });
  return to;
}

export interface LoggedCall {
  pid: number;
  phaseId: string;
  attempt: number;
  turn: number;
}

export function loggedCalls(workspace: string): LoggedCall[] {
  let text = '';
  try {
    text = readFileSync(join(workspace, '.phasewise', 'calls.log'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LoggedCall);
}

export const modelKey = (call: LoggedCall) => `${call.phaseId}/a${call.attempt}/t${call.turn}/model`;
