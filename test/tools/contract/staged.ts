/**
 * The workspace each tools-contract case starts from: a real git repository with a governing file outside the
 * names phasewise knows (`ci/pw.yaml`, handed in as protected), planted secrets, links that lead out, and an
 * `outside` directory holding a secret no tool may read or change.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Tool, ToolResult } from '../../../src/tools/tool.js';
import { createRedactor, type Redactor } from '../../../src/util/redact.js';
import { callTool, makeToolWorkspace, type ToolWorkspace } from '../tool-workspace.js';

/** What a tool set under test is built with; the factory passes each on to its own construction. */
export interface ToolsUnderTestOptions {
  redactor: Redactor;
  /** Absolute paths of the run's governing files, which no tool or command may change. */
  protectedFiles: string[];
  /** Cap on every tool's output; the implementation's default when absent. */
  outputLimitBytes?: number;
}

export type MakeTools = (options: ToolsUnderTestOptions) => Tool[];

/**
 * What a tool set does not promise, each with the reason shown beside the skipped cases; `unavailable` skips the
 * whole suite (no bubblewrap on this machine, say).
 */
export interface ToolsContractLimits {
  unavailable?: string;
  /** Set when run_command may reach files outside the workspace (no sandbox). */
  commandsConfined?: string;
}

// Assembled at run time so no secret scanner flags this file.
export const ENV_KEY = ['sk', 'ant', 'api03', 'contractEnvKey4T7yU1iO9'].join('-');
export const DOTENV_VALUE = ['whsec', 'contractDotenv8K2jH5gF'].join('_');
export const SHAPED = `ghp_${'Zy9Xw8Vu7Ts6'.repeat(3)}`;
export const SECRETS = [ENV_KEY, DOTENV_VALUE, SHAPED];
export const GOVERNING = 'budget: 1.00\nsandbox: bubblewrap\n';

export interface Staged {
  fixture: ToolWorkspace;
  tools: Tool[];
  call(name: string, input: unknown): Promise<ToolResult>;
  gitConfig(): string;
  cleanup(): void;
}

export function stage(makeTools: MakeTools, outputLimitBytes?: number): Staged {
  const fixture = makeToolWorkspace();
  execFileSync('git', ['init', '-q', fixture.workspace]);
  fixture.write({
    'ci/pw.yaml': GOVERNING,
    '.env': `WEBHOOK_SIGNING=${DOTENV_VALUE}\nPORT=3000\n`,
    'notes.md': `the key is ${ENV_KEY}\n`,
    'src/config.ts': `export const port = 3000;\n// copied by mistake: ${SHAPED}\n`,
    'src/app.ts': 'export const app = 1;\n',
  });
  symlinkSync(join(fixture.outside, 'secret.txt'), join(fixture.workspace, 'link-file'));
  symlinkSync(join(fixture.outside, 'dir'), join(fixture.workspace, 'link-dir'));
  const redactor = createRedactor({ env: { ANTHROPIC_API_KEY: ENV_KEY }, workspace: fixture.workspace });
  const tools = makeTools({
    redactor,
    protectedFiles: [join(fixture.workspace, 'ci', 'pw.yaml')],
    ...(outputLimitBytes === undefined ? {} : { outputLimitBytes }),
  });
  return {
    fixture,
    tools,
    call: (name, input) => callTool(tools, name, input, fixture.workspace),
    gitConfig: () => readFileSync(join(fixture.workspace, '.git', 'config'), 'utf8'),
    cleanup: () => fixture.cleanup(),
  };
}

export function secretsIn(output: string): string[] {
  return SECRETS.filter((secret) => output.includes(secret));
}
