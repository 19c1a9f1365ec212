import type { RawConfig } from './schema.js';

/**
 * The pattern's five phases as if written in a file with every default left out: each id names its agent, and
 * the role defaults (DESIGN.md's table) supply model, threshold, cost limit and timeout. Used whenever a
 * configuration has no `phases:`.
 */
export const BUILTIN_PHASES: NonNullable<RawConfig['phases']> = {
  research: {},
  planning: { depends_on: ['research'] },
  // fan-out on by default once the runner lands (issue 16)
  implementation: { depends_on: ['planning'] },
  review: { depends_on: ['implementation'] },
  verification: { depends_on: ['review'] },
};
