/**
 * The one workload every framework runs in the orchestration-overhead benchmark (bench/orchestration-overhead.ts):
 * N phases, one after the other, each an agent with a `read` tool that takes M model turns — M − 1 turns that
 * call `read` on a file of the workspace, then a final answer — against the fake LLM server's OpenAI Chat
 * Completions endpoint (the one API all four frameworks speak). Each phase's instructions carry its marker, which
 * is how the fake server tells the phases apart; each phase gets the previous phase's answer as its input.
 *
 * This file is the contract between the harness and the per-framework modules (phasewise.ts, langgraph.ts,
 * mastra.ts, openai-agents.ts): each exports a `FrameworkBench`.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import type { FakeLlmScript } from '../../src/testing/index.js';

export interface Workload {
  phases: number;
  /** Model turns per phase: `turns - 1` tool-calling turns, then the final answer. */
  turns: number;
  /** A fresh copy of examples/auth-service; the `read` tool reads its files. */
  workspace: string;
  /** A directory of its own, outside the workspace, for a framework's durable store (SQLite files, say). */
  stateDir: string;
  /** The fake server's OpenAI base URL (`http://127.0.0.1:<port>/v1`). */
  baseUrl: string;
  apiKey: string;
  /** The model id every phase asks for. */
  model: string;
}

export interface FrameworkBench {
  /** How the report names it, e.g. `LangGraph.js 1.7.3 (SqliteSaver)`. */
  name: string;
  /** What it keeps durably during the run, in a few words (e.g. `a checkpoint per super-step, SQLite file`). */
  durability: string;
  /** Where the workload departs from the framework's documented idiom, if anywhere. */
  notes?: string;
  /**
   * Builds what a user builds once (graph, agents, workflow, config) — not timed — and returns the run itself,
   * which is timed. The run must make exactly `phases × turns` model requests and finish every phase; it throws
   * if any phase did not end with the scripted final answer.
   */
  prepare(workload: Workload): Promise<() => Promise<void>>;
}

/** The fake server's key and the model every phase asks for (priced in phasewise's table). */
export const BENCH_KEY = 'bench-key-0123456789';
export const BENCH_MODEL = 'gpt-5-mini';

const example = join(import.meta.dirname, '..', '..', 'examples', 'auth-service');

/** A workload in a fresh copy of examples/auth-service, with a state directory of its own. */
export function freshWorkload(base: Pick<Workload, 'phases' | 'turns' | 'baseUrl'>): Workload {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-ws-'));
  cpSync(example, workspace, { recursive: true });
  const stateDir = mkdtempSync(join(tmpdir(), 'phasewise-bench-state-'));
  return { ...base, workspace, stateDir, apiKey: BENCH_KEY, model: BENCH_MODEL };
}

export function removeWorkload(workload: Workload): void {
  rmSync(workload.workspace, { recursive: true, force: true });
  rmSync(workload.stateDir, { recursive: true, force: true });
}

export const TOOL_NAME = 'read';
export const TOOL_DESCRIPTION =
  'Read a text file of the workspace. `path` is relative to the workspace root; `offset` is the first line to read (1-based).';

/** The marker in phase `index`'s (1-based) instructions, which the fake server matches. */
export const phaseMarker = (index: number) => `[bench phase p${index}]`;

/** Phase `index`'s system prompt / instructions (every framework uses exactly this text). */
export function phaseInstructions(index: number): string {
  return `You are step ${index} of a read-only code survey ${phaseMarker(index)}. Use the read tool to read the files you need, then answer with a report whose last section is "## Handoff".`;
}

/** The first user message of a phase: the task, and the previous phase's answer when there is one. */
export function phaseInput(previous: string | undefined): string {
  const task = 'Survey how the service authenticates requests.';
  return previous === undefined ? task : `${task}\n\nThe previous step handed over:\n${previous}`;
}

/** What every phase finally answers (it passes phasewise's research gate: a Handoff section citing a real file). */
export const FINAL_ANSWER =
  '## Handoff\nRequests are authenticated in `src/auth.js`, wired up in `src/server.js`.';

const FILES = ['src/auth.js', 'src/server.js', 'src/session-store.js', 'test/auth.test.js', 'package.json'];

/** The fake server's script for the workload: one conversation per phase. */
export function workloadScript(workload: Pick<Workload, 'phases' | 'turns'>): FakeLlmScript {
  return {
    conversations: Array.from({ length: workload.phases }, (_, phase) => ({
      name: `p${phase + 1}`,
      match: [phaseMarker(phase + 1)],
      turns: [
        ...Array.from({ length: workload.turns - 1 }, (_, turn) => ({
          // Never the same call twice in a phase (phasewise's loop detector would step in).
          toolCalls: [
            {
              name: TOOL_NAME,
              input: {
                path: FILES[(phase + turn) % FILES.length],
                offset: 1 + Math.floor(turn / FILES.length),
              },
            },
          ],
        })),
        { text: FINAL_ANSWER },
      ],
    })),
  };
}

/**
 * The peers' `read` tool (phasewise uses its own, with its own path guard): the file's text from line `offset`
 * on, or an error text for a path outside the workspace. Its parameters: `path` (string), `offset` (integer ≥ 1,
 * optional).
 */
export async function readWorkspaceFile(workspace: string, path: string, offset = 1): Promise<string> {
  const root = await realpath(workspace);
  const target = await realpath(join(root, path)).catch(() => undefined);
  const inside =
    target !== undefined && !relative(root, target).startsWith('..') && !isAbsolute(relative(root, target));
  if (!inside) return `error: ${path} is not a file of the workspace`;
  const lines = (await readFile(target, 'utf8')).split('\n');
  return lines.slice(Math.max(0, offset - 1)).join('\n');
}

/** Throws unless `answer` is the scripted final answer (a phase that stopped early would not be). */
export function expectFinalAnswer(framework: string, phase: number, answer: unknown): string {
  if (typeof answer !== 'string' || !answer.includes('## Handoff')) {
    throw new Error(
      `${framework}: phase ${phase} did not end with the final answer: ${JSON.stringify(answer)?.slice(0, 200)}`,
    );
  }
  return answer;
}
