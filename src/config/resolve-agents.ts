import { builtinAgents } from './builtin-agents.js';
import { ownValue } from './field-path.js';
import { readTextOrFile } from './file-reference.js';
import type { ResolveContext } from './resolve-context.js';
import { SAFETY_RULE } from './role-prompts.js';
import type { RawAgent, RawConfig } from './schema.js';
import type { AgentDefinition } from './types.js';
import { type BuiltinAgentName, isBuiltinAgentName } from './vocabulary.js';

/** The built-in roles, then the user's own; a user agent with a built-in name replaces that role. */
export function resolveAgents(
  raw: RawConfig['agents'],
  context: ResolveContext,
): Record<string, AgentDefinition> {
  const agents: Record<string, AgentDefinition> = structuredClone({ ...builtinAgents });
  for (const [name, entry] of Object.entries(raw ?? {})) {
    const agent = resolveAgent(name, entry, context);
    if (agent !== undefined) agents[name] = agent;
  }
  return agents;
}

/** The built-in role an agent builds on: the one it extends, or the one whose name it takes. */
export function baseRoleOf(name: string, rawAgents: RawConfig['agents']): BuiltinAgentName | undefined {
  const entry = ownValue(rawAgents, name);
  if (entry?.extends !== undefined) return entry.extends;
  return isBuiltinAgentName(name) ? name : undefined;
}

function resolveAgent(name: string, entry: RawAgent, context: ResolveContext): AgentDefinition | undefined {
  const baseName = entry.extends ?? (isBuiltinAgentName(name) ? name : undefined);
  const base = baseName === undefined ? undefined : ownValue(builtinAgents, baseName);
  const prompt =
    entry.prompt === undefined
      ? base?.prompt
      : readTextOrFile(entry.prompt, ['agents', name, 'prompt'], context)?.text;
  if (prompt === undefined) {
    if (entry.prompt === undefined) {
      context.issues.add(['agents', name], `agent \`${name}\` needs a \`prompt\``, {
        at: 'key',
        hint: 'inline text, a path to a .md file, or `extends: <built-in role>` to start from one',
      });
    }
    return undefined;
  }
  return {
    name,
    builtin: false,
    description: entry.description ?? base?.description ?? '',
    // A prompt of the user's own keeps the rule that repository text is data, not instructions.
    prompt: prompt.includes(SAFETY_RULE) ? prompt : `${prompt.trim()}\n\n${SAFETY_RULE}`,
    // A phase report without a handoff would leave the next phase with nothing to start from.
    deliverables: [...(entry.deliverables ?? base?.deliverables ?? ['Handoff'])],
    permissions: [...(entry.permissions ?? base?.permissions ?? ['read'])],
    ...(baseName === undefined ? {} : { role: baseName }),
    ...(entry.tools === undefined || entry.tools.length === 0 ? {} : { mcpTools: [...entry.tools] }),
  };
}
