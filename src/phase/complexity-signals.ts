/**
 * The signals of the complexity assessment, one small pure function each. Every signal is always recorded, with
 * the points it contributed (0 included) and a one-line reason, so a misroute can be traced to the signal that
 * caused it. The rules table is in `complexity.ts`; the word lists are in `complexity-terms.ts`.
 */
import { countWords, matchTerms, REASONING_TERMS, RISK_TERMS } from './complexity-terms.js';

export interface ComplexitySignal {
  name: string;
  /** What was measured: a count, or the role name for the phase kind. */
  value: number | string;
  /** What it added to the raw score (negative for phase kinds that lean down). */
  points: number;
  why: string;
}

/** Upper bounds of each bucket and the points it is worth; counts above the last bound get `beyond`. */
interface Buckets {
  bounds: readonly { upTo: number; points: number }[];
  beyond: number;
}

const LENGTH_BUCKETS: Buckets = {
  bounds: [
    { upTo: 15, points: 0 },
    { upTo: 50, points: 0.5 },
    { upTo: 150, points: 1 },
    { upTo: 400, points: 1.5 },
  ],
  beyond: 2,
};

const WORKSPACE_BUCKETS: Buckets = {
  bounds: [
    { upTo: 50, points: 0 },
    { upTo: 500, points: 0.5 },
    { upTo: 5000, points: 1 },
  ],
  beyond: 1.5,
};

export const REASONING_POINTS_PER_TERM = 1;
export const REASONING_MAX_TERMS = 3;
export const RISK_POINTS_PER_TERM = 1.5;
export const RISK_MAX_TERMS = 3;
export const POINTS_PER_EARLIER_FAILURE = 1.5;

/** How each built-in role leans: planning and review weigh more, research and verification less. */
const ROLE_LEAN: Readonly<Record<string, { points: number; why: string }>> = {
  planning: { points: 1, why: 'a plan carries every later phase' },
  review: { points: 0.5, why: 'a review must catch what implementation missed' },
  implementation: { points: 0, why: 'implementation is neutral' },
  research: { points: -1, why: 'research reads and summarizes' },
  verification: { points: -1, why: 'verification mostly runs configured checks' },
};

function bucketPoints(count: number, buckets: Buckets): { points: number; range: string } {
  let lower = 0;
  for (const { upTo, points } of buckets.bounds) {
    if (count <= upTo) return { points, range: `${lower}–${upTo}` };
    lower = upTo + 1;
  }
  return { points: buckets.beyond, range: `more than ${lower - 1}` };
}

function signed(points: number): string {
  return points < 0 ? `${points}` : `+${points}`;
}

/** A count from outside: non-finite or negative counts as 0, fractions round down. */
export function sanitizeCount(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function taskLengthSignal(task: string): ComplexitySignal {
  const words = countWords(task);
  const { points, range } = bucketPoints(words, LENGTH_BUCKETS);
  return {
    name: 'task-length',
    value: words,
    points,
    why: `${words} words (${range} band): ${signed(points)}`,
  };
}

function termSignal(
  name: string,
  matched: string[],
  perTerm: number,
  maxTerms: number,
  label: string,
): ComplexitySignal {
  const counted = Math.min(matched.length, maxTerms);
  const points = counted * perTerm;
  const list = matched.length === 0 ? 'none' : matched.join(', ');
  const why = `${label}: ${list} (${signed(perTerm)} each, at most ${maxTerms}): ${signed(points)}`;
  return { name, value: matched.length, points, why };
}

export function reasoningDepthSignal(task: string): ComplexitySignal {
  const matched = matchTerms(task, REASONING_TERMS);
  return termSignal(
    'reasoning-depth',
    matched,
    REASONING_POINTS_PER_TERM,
    REASONING_MAX_TERMS,
    'reasoning-depth terms',
  );
}

export function impactRiskSignal(task: string): ComplexitySignal {
  const matched = matchTerms(task, RISK_TERMS);
  return termSignal('impact-risk', matched, RISK_POINTS_PER_TERM, RISK_MAX_TERMS, 'impact/risk terms');
}

export function workspaceSizeSignal(fileCount: number): ComplexitySignal {
  const files = sanitizeCount(fileCount);
  const { points, range } = bucketPoints(files, WORKSPACE_BUCKETS);
  return {
    name: 'workspace-size',
    value: files,
    points,
    why: `${files} files in the workspace (${range} band): ${signed(points)}`,
  };
}

/**
 * The phase's kind is its agent's role. A custom agent has no role of its own, so a phase whose id names a
 * built-in role (a custom `review` agent in a phase called `review`) takes that role's lean; otherwise neutral.
 */
export function phaseKindSignal(agent: string, phaseId: string): ComplexitySignal {
  const role = Object.hasOwn(ROLE_LEAN, agent) ? agent : Object.hasOwn(ROLE_LEAN, phaseId) ? phaseId : null;
  if (role === null) {
    return { name: 'phase-kind', value: agent, points: 0, why: `custom agent ${agent} is neutral: +0` };
  }
  const lean = ROLE_LEAN[role]!;
  const source = role === agent ? `${role} agent` : `custom agent ${agent} in phase ${phaseId}`;
  return {
    name: 'phase-kind',
    value: role,
    points: lean.points,
    why: `${source}: ${lean.why}: ${signed(lean.points)}`,
  };
}

export function earlierFailuresSignal(failures: number): ComplexitySignal {
  const count = sanitizeCount(failures);
  const points = count * POINTS_PER_EARLIER_FAILURE;
  return {
    name: 'earlier-failures',
    value: count,
    points,
    why: `${count} earlier failures in this run (${signed(POINTS_PER_EARLIER_FAILURE)} each): ${signed(points)}`,
  };
}
