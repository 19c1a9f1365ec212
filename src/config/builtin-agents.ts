import { ROLE_TEXTS, rolePrompt } from './role-prompts.js';
import type { AgentDefinition, Permission } from './types.js';
import { BUILTIN_AGENT_NAMES, type BuiltinAgentName } from './vocabulary.js';

/** The five roles of the pattern: the sections each report must have and what each role's tools may do. */
const ROLE_SHAPES: Readonly<Record<BuiltinAgentName, { deliverables: string[]; permissions: Permission[] }>> =
  {
    research: {
      deliverables: [
        'File map',
        'Architecture',
        'Current implementation',
        'Performance',
        'Dependencies',
        'Patterns',
        'Security',
        'Handoff',
      ],
      permissions: ['read'],
    },
    planning: {
      deliverables: [
        'Executive summary',
        'Architecture',
        'Implementation plan',
        'Migration',
        'Data design',
        'Security',
        'Integration',
        'Verification',
        'Risks',
        'Resources',
        'Handoff',
      ],
      permissions: ['read'],
    },
    implementation: { deliverables: ['Changes', 'Tests', 'Handoff'], permissions: ['read', 'write'] },
    review: { deliverables: ['Findings', 'Go/no-go', 'Handoff'], permissions: ['read'] },
    verification: {
      deliverables: ['Checks run', 'Readiness checklist', 'Go/no-go', 'Handoff'],
      permissions: ['read', 'run'],
    },
  };

function builtinAgent(name: BuiltinAgentName): AgentDefinition {
  const text = ROLE_TEXTS[name];
  const shape = ROLE_SHAPES[name];
  return {
    name,
    builtin: true,
    role: name,
    description: text.description,
    prompt: rolePrompt(text, shape.deliverables),
    deliverables: [...shape.deliverables],
    permissions: [...shape.permissions],
  };
}

export const builtinAgents: Readonly<Record<string, AgentDefinition>> = Object.freeze(
  Object.fromEntries(BUILTIN_AGENT_NAMES.map((name) => [name, Object.freeze(builtinAgent(name))])),
);
