/**
 * The composition root's model factories: which provider kinds this build can talk to. Real API providers
 * plug in here; the scripted provider answers from a script file (the demo, users' own tests).
 */
import type { ProviderConfig, ResolvedWorkflow } from '../config/types.js';
import { UsageError } from '../errors/index.js';
import { createModelResolver, type ModelResolver } from '../provider/resolver.js';
import { loadModelScript } from '../testing/model-script.js';
import { ScriptedBackend } from '../testing/scripted-model.js';

export function createCliModelResolver(workflow: ResolvedWorkflow): ModelResolver {
  const backends = new Map<string, ScriptedBackend>();
  const scriptedBackend = (provider: ProviderConfig): ScriptedBackend => {
    let backend = backends.get(provider.name);
    if (backend === undefined) {
      if (provider.script === undefined) {
        throw new UsageError(`provider "${provider.name}" is scripted but has no script`, {
          hint: `set models.providers.${provider.name}.script to a script file`,
        });
      }
      backend = new ScriptedBackend({
        script: loadModelScript(provider.script),
        ...(provider.latencyMs === undefined ? {} : { latencyMs: provider.latencyMs }),
        ...(provider.callLog === undefined ? {} : { callLog: provider.callLog }),
      });
      backends.set(provider.name, backend);
    }
    return backend;
  };
  return createModelResolver({
    providers: workflow.providers,
    factories: { scripted: (provider, modelId) => scriptedBackend(provider).model(modelId) },
  });
}
