/** The `tool-loop` runtime: the agent's loop of model turns and tool calls (`run-agent.ts`) on a called model. */
import type { CalledModel } from '../provider/resolver.js';
import { runAgent } from './run-agent.js';
import type { Runtime } from './runtime.js';

export const toolLoopRuntime: Runtime<CalledModel> = {
  runAttempt: (context, model, request) =>
    runAgent(
      { ...context, model: model.model },
      {
        system: request.system,
        ...(request.context === undefined ? {} : { context: request.context }),
        prompt: request.prompt,
        tools: request.tools,
        maxTurns: request.maxTurns,
        maxOutputTokens: request.maxOutputTokens,
      },
    ),
};
