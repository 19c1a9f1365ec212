/**
 * The workload as a LangGraph.js user writes it: a parent `StateGraph` with one node per phase, run in sequence,
 * each node invoking that phase's agent — a compiled subgraph, the Graph API agent loop of the LangGraph
 * quickstart (a model node calling `ChatOpenAI` with the tool bound, a prebuilt `ToolNode`, `toolsCondition`
 * routing between them) — on a fresh conversation (the phase's system prompt, then the previous phase's answer).
 * The parent is compiled with the checkpointer, which LangGraph propagates to the subgraphs, and invoked with a
 * `thread_id` and LangGraph's default durability ("async": each super-step's checkpoint is written while the next
 * step runs). `ChatOpenAI` speaks Chat Completions for this model, and `graph.invoke` does not stream (LangGraph
 * only switches a model to streaming under `streamMode: "messages"`), so every request is a plain JSON one.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import {
  type BaseCheckpointSaver,
  END,
  MemorySaver,
  MessagesValue,
  START,
  StateGraph,
  StateSchema,
} from '@langchain/langgraph';
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { ChatOpenAI } from '@langchain/openai';
import * as z from 'zod';
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

const FRAMEWORK = 'LangGraph.js 1.7.3';

/** One phase's agent: its state is its own conversation. */
const AgentState = new StateSchema({ messages: MessagesValue });

/** The workflow's state: what the last phase handed over. */
const WorkflowState = new StateSchema({ handoff: z.string().optional() });

function buildWorkflow(workload: Workload, checkpointer: BaseCheckpointSaver) {
  const read = tool(async ({ path, offset }) => readWorkspaceFile(workload.workspace, path, offset), {
    name: TOOL_NAME,
    description: TOOL_DESCRIPTION,
    schema: z.object({
      path: z.string(),
      offset: z.number().int().min(1).optional(),
    }),
  });
  const tools = [read];
  const model = new ChatOpenAI({
    model: workload.model,
    apiKey: workload.apiKey,
    configuration: { baseURL: workload.baseUrl },
  }).bindTools(tools);

  const phaseAgent = (index: number) => {
    const instructions = new SystemMessage(phaseInstructions(index));
    return new StateGraph(AgentState)
      .addNode('agent', async (state) => ({
        messages: [await model.invoke([instructions, ...state.messages])],
      }))
      .addNode('tools', new ToolNode(tools))
      .addEdge(START, 'agent')
      .addConditionalEdges('agent', toolsCondition, ['tools', END])
      .addEdge('tools', 'agent')
      .compile({ name: `p${index}` });
  };

  // StateGraph types its node names as they are added; nodes added in a loop are typed as plain strings.
  const workflow = new StateGraph<
    typeof WorkflowState,
    typeof WorkflowState.State,
    typeof WorkflowState.Update,
    string
  >(WorkflowState);
  let previous: string = START;
  for (let index = 1; index <= workload.phases; index += 1) {
    const agent = phaseAgent(index);
    const name = `p${index}`;
    workflow.addNode(name, async (state: typeof WorkflowState.State) => {
      const result = await agent.invoke({ messages: [new HumanMessage(phaseInput(state.handoff))] });
      return { handoff: expectFinalAnswer(FRAMEWORK, index, result.messages.at(-1)?.text) };
    });
    workflow.addEdge(previous, name);
    previous = name;
  }
  workflow.addEdge(previous, END);
  return workflow.compile({ checkpointer });
}

function langGraphBench(
  variant: string,
  durability: string,
  /** The checkpointer, and how to release it once the run is over. */
  checkpointer: (workload: Workload) => { saver: BaseCheckpointSaver; close?: () => void },
): FrameworkBench {
  return {
    name: `${FRAMEWORK} (${variant})`,
    durability,
    notes:
      'Graph API agent loop (model node + prebuilt ToolNode + toolsCondition, as in the LangGraph quickstart) rather ' +
      'than the prebuilt createReactAgent, which LangGraph v1 deprecates in favour of createAgent from the `langchain` ' +
      'package (not installed here); each phase agent is a subgraph invoked from a node of the parent graph.',
    async prepare(workload) {
      const { saver, close } = checkpointer(workload);
      const graph = buildWorkflow(workload, saver);
      return async () => {
        try {
          const final = await graph.invoke(
            {},
            {
              configurable: { thread_id: randomUUID() },
              // Each phase's loop takes 2 × turns − 1 super-steps; the parent one per phase.
              recursionLimit: 2 * workload.turns + workload.phases + 10,
            },
          );
          expectFinalAnswer(FRAMEWORK, workload.phases, final.handoff);
        } finally {
          close?.();
        }
      };
    },
  };
}

const sqliteBench = langGraphBench(
  'SqliteSaver',
  'a checkpoint per super-step of the parent graph and of every phase agent (the whole conversation so far), ' +
    'plus pending writes, in a SQLite file (WAL, synchronous=NORMAL: better-sqlite3 is built with that default ' +
    'for WAL, so nothing is synced), written while the next step runs',
  (workload) => {
    const saver = SqliteSaver.fromConnString(join(workload.stateDir, 'checkpoints.sqlite'));
    return { saver, close: () => saver.db.close() };
  },
);

const memoryBench = langGraphBench(
  'MemorySaver',
  'nothing durable: a checkpoint per super-step of the parent graph and of every phase agent, kept in memory',
  () => ({ saver: new MemorySaver() }),
);

export const benches: FrameworkBench[] = [sqliteBench, memoryBench];
