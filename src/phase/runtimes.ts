/**
 * The phase picks how an attempt runs by its model's provider kind: the resolver has set the kind's runtime
 * (`config/provider-kinds.ts`) on the resolved model, and each runtime name has one implementation here.
 */
import { claudeCodeRuntime } from '../agent/claude-code/claude-code-runtime.js';
import type { Runtime, Runtimes } from '../agent/runtime.js';
import { toolLoopRuntime } from '../agent/tool-loop-runtime.js';
import type { ResolvedModel } from '../provider/resolver.js';

export const RUNTIMES: Runtimes = {
  'tool-loop': toolLoopRuntime,
  'claude-code': claudeCodeRuntime(),
};

export function runtimeFor<M extends ResolvedModel>(model: M): Runtime<M> {
  // `Runtimes` gives each name the models of that name, `model`'s among them; an indexed lookup cannot say so.
  return RUNTIMES[model.runtime] as unknown as Runtime<M>;
}
