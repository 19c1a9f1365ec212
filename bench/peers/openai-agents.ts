/**
 * The workload as an OpenAI Agents SDK (JS) user writes it: one `Agent` per phase, each with the `read` function
 * tool (`tool()` with a Zod schema, so strict mode), chained in code — the docs' "orchestrating via code" pattern
 * (guides/multi-agent: "chaining multiple agents by transforming the output of one into the input of the next"),
 * each phase a `runner.run(agent, input, { maxTurns })` whose `finalOutput` becomes the next phase's input.
 *
 * The fake server speaks Chat Completions only, so the run goes through a `Runner` whose `modelProvider` is an
 * `OpenAIProvider({ openAIClient, useResponses: false })` (guides/models, "Provider options reference"): scoped to
 * the runner, no process-wide `setDefaultOpenAIClient` / `setOpenAIAPI`. `run()` without `stream` is the SDK's
 * default, so each model request is a non-streaming `chat.completions.create`.
 *
 * Tracing (on by default, exporting to OpenAI) is switched off for the whole process with `setTracingDisabled(true)`
 * (guides/config, "Tracing") on import, before any run, and again per run with `tracingDisabled: true` on the
 * runner's config.
 */
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';
import {
  expectFinalAnswer,
  type FrameworkBench,
  phaseInput,
  phaseInstructions,
  readWorkspaceFile,
  TOOL_DESCRIPTION,
  TOOL_NAME,
} from './workload.js';

const NAME = 'OpenAI Agents SDK 0.20.0';

setTracingDisabled(true);

export const bench: FrameworkBench = {
  name: NAME,
  durability:
    'none: run state in memory only (RunState can be serialized by hand, e.g. for human-in-the-loop)',
  notes:
    'Chat Completions through a Runner-scoped OpenAIProvider({ openAIClient, useResponses: false }); non-streaming ' +
    '(run() without stream, the SDK default); tracing disabled (setTracingDisabled(true) + Runner tracingDisabled). ' +
    '`offset` is `.nullable()` rather than optional (Zod tools are strict: every field required). Sessions ' +
    '(MemorySession, OpenAIConversationsSession — Responses/Conversations API only — or a custom Session store) ' +
    'keep conversation history, not run progress, and are not part of the code-chaining idiom, so none is used.',
  async prepare(workload) {
    const runner = new Runner({
      modelProvider: new OpenAIProvider({
        openAIClient: new OpenAI({ baseURL: workload.baseUrl, apiKey: workload.apiKey }),
        useResponses: false,
      }),
      tracingDisabled: true,
    });
    const read = tool({
      name: TOOL_NAME,
      description: TOOL_DESCRIPTION,
      parameters: z.object({
        path: z.string(),
        offset: z.number().int().min(1).nullable(),
      }),
      execute: ({ path, offset }) => readWorkspaceFile(workload.workspace, path, offset ?? undefined),
    });
    const agents = Array.from(
      { length: workload.phases },
      (_, index) =>
        new Agent({
          name: `p${index + 1}`,
          instructions: phaseInstructions(index + 1),
          tools: [read],
          model: workload.model,
        }),
    );
    return async () => {
      let previous: string | undefined;
      for (const [index, agent] of agents.entries()) {
        const result = await runner.run(agent, phaseInput(previous), { maxTurns: workload.turns });
        previous = expectFinalAnswer(NAME, index + 1, result.finalOutput);
      }
    };
  },
};
