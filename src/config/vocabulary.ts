import { PROVIDER_KIND_NAMES } from './provider-kinds.js';
import type { BuiltinRole, EscalationStep, Permission } from './types.js';

/** The closed sets of words the configuration accepts; the zod schema and the messages both read them. */
export const BUILTIN_AGENT_NAMES = [
  'research',
  'planning',
  'implementation',
  'review',
  'verification',
] as const satisfies readonly BuiltinRole[];
export type BuiltinAgentName = (typeof BUILTIN_AGENT_NAMES)[number];

export const PERMISSIONS = ['read', 'write', 'run'] as const satisfies readonly Permission[];
export const ESCALATION_STEPS = ['retry', 'escalate', 'halt'] as const satisfies readonly EscalationStep[];
/** The keys of `provider-kinds.ts`'s table, where a kind is added. */
export const PROVIDER_KINDS = PROVIDER_KIND_NAMES;

/** Looked for in this order by `findConfigFile`. */
export const CONFIG_FILE_NAMES = [
  'phasewise.yaml',
  'phasewise.yml',
  'orchestrator.yaml',
  'orchestrator.yml',
] as const;

/** `fan_out: off` turns fan-out off; `fan_out: { from: task }` takes the work items from the task file. */
export const FAN_OUT_OFF = 'off';
export const FAN_OUT_FROM_TASK = 'task';

/** `model: auto` asks for complexity assessment, so no tier may take that name. */
export const AUTO_MODEL = 'auto';

export function isBuiltinAgentName(name: string): name is BuiltinAgentName {
  return (BUILTIN_AGENT_NAMES as readonly string[]).includes(name);
}
