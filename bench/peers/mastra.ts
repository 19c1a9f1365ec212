/**
 * The workload as a Mastra user writes it: one `Agent` per phase (its instructions, the `read` tool made with
 * `createTool`, the model through Mastra's model router as a custom OpenAI-compatible endpoint), one workflow step
 * per phase made with `createStep` whose `execute` calls its agent's `generate()` (docs: "Agents and Tools" in
 * workflows, https://mastra.ai/docs/workflows/agents-and-tools), the steps chained with `.then()` and `.commit()`ed
 * into one workflow, all registered on a `Mastra` instance with a `LibSQLStore` (a SQLite file), and the run as
 * `workflow.createRun()` then `run.start({ inputData })`.
 */
import { join } from 'node:path';
import type { Agent } from '@mastra/core/agent';
import type { LibSQLStore } from '@mastra/libsql';
import { z } from 'zod';
import {
  expectFinalAnswer,
  type FrameworkBench,
  phaseInput,
  phaseInstructions,
  readWorkspaceFile,
  TOOL_DESCRIPTION,
  TOOL_NAME,
  type Workload,
} from './workload.js';

// No network but the fake server: no PostHog telemetry (read on every capture), no provider-registry refresh
// (read when @mastra/core's provider registry module loads, hence the dynamic imports below). Observability stays
// the no-op default: no `observability` is configured and @mastra/observability is not installed.
process.env.MASTRA_TELEMETRY_DISABLED = '1';
process.env.MASTRA_OFFLINE = 'true';
process.env.MASTRA_AUTO_REFRESH_PROVIDERS = 'false';

const NAME = 'Mastra';

/** What flows from step to step: the previous phase's answer (none into the first). */
const handoff = z.object({ handoff: z.string().optional() });
const answered = z.object({ handoff: z.string() });

async function build(workload: Workload) {
  const [{ Mastra }, { Agent }, { createTool }, { createStep, createWorkflow }, { LibSQLStore }] =
    await Promise.all([
      import('@mastra/core'),
      import('@mastra/core/agent'),
      import('@mastra/core/tools'),
      import('@mastra/core/workflows'),
      import('@mastra/libsql'),
    ]);

  const read = createTool({
    id: TOOL_NAME,
    description: TOOL_DESCRIPTION,
    inputSchema: z.object({ path: z.string(), offset: z.number().int().min(1).optional() }),
    execute: async ({ path, offset }) => readWorkspaceFile(workload.workspace, path, offset),
  });

  const ids = Array.from({ length: workload.phases }, (_, index) => `p${index + 1}`);
  const agents: Record<string, Agent> = {};
  for (const [index, id] of ids.entries()) {
    agents[id] = new Agent({
      id,
      name: id,
      instructions: phaseInstructions(index + 1),
      // Mastra's model router, custom OpenAI-compatible endpoint (its "Use local models" recipe): Chat Completions.
      model: { id: `bench/${workload.model}`, url: workload.baseUrl, apiKey: workload.apiKey },
      tools: { [TOOL_NAME]: read },
    });
  }

  const steps = ids.map((id) =>
    createStep({
      id,
      inputSchema: handoff,
      outputSchema: answered,
      execute: async ({ inputData, mastra }) => {
        const response = await mastra.getAgent(id).generate(phaseInput(inputData.handoff), {
          maxSteps: workload.turns,
        });
        return { handoff: response.text };
      },
    }),
  );
  let chain = createWorkflow({ id: 'survey', inputSchema: handoff, outputSchema: answered });
  for (const step of steps) chain = chain.then(step) as unknown as typeof chain;
  const survey = chain.commit();

  const storage: LibSQLStore = new LibSQLStore({
    id: 'bench',
    url: `file:${join(workload.stateDir, 'mastra.db')}`,
  });
  await storage.init();
  const mastra = new Mastra({ agents, workflows: { survey }, storage, logger: false });
  return { mastra, storage, ids };
}

export const bench: FrameworkBench = {
  name: 'Mastra 1.71.0 workflows (LibSQLStore)',
  durability:
    'a workflow snapshot upserted in a SQLite file (LibSQL, WAL, synchronous=NORMAL) at run start, as each step starts and ends, and at the end; no agent memory, so model turns and tool calls are not stored',
  notes:
    'agents without memory and not `durable` (both opt-ins); `logger: false`; Mastra imported dynamically so its offline/telemetry env switches are set before it loads',
  async prepare(workload) {
    const { mastra, storage, ids } = await build(workload);
    return async () => {
      try {
        const run = await mastra.getWorkflow('survey').createRun();
        const result = await run.start({ inputData: {} });
        if (result.status !== 'success') {
          const error = 'error' in result ? result.error : undefined;
          throw new Error(`${NAME}: the workflow ended ${result.status}`, { cause: error });
        }
        for (const [index, id] of ids.entries()) {
          const step = result.steps[id];
          expectFinalAnswer(
            NAME,
            index + 1,
            step?.status === 'success' ? (step.output as { handoff?: string }).handoff : undefined,
          );
        }
      } finally {
        await storage.close();
      }
    };
  },
};
