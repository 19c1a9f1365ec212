import type { RawConfig } from './schema.js';

/**
 * The pattern's five phases as if written in a file with every default left out: each id names its agent, and
 * the role defaults (DESIGN.md's table) supply model, threshold, cost limit and timeout. Used whenever a
 * configuration has no `phases:`.
 */
export const BUILTIN_PHASES: NonNullable<RawConfig['phases']> = {
  research: {},
  planning: { depends_on: ['research'] },
  // Fans out over the plan's work items where it can help; otherwise one agent does the phase.
  implementation: { depends_on: ['planning'], fan_out: { from: 'planning', required: false } },
  review: { depends_on: ['implementation'] },
  verification: { depends_on: ['review'] },
};
