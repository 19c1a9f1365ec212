/** What a recorded step is: stored as text, read back only as one of these. */
export const STEP_KINDS = [
  'snapshot',
  'model-choice',
  'attempt',
  'model',
  'model-failed',
  'tool',
  'session',
  'artifact',
  'gate',
  'judge-failed',
  'decision',
  'review',
  'phase',
  'fan-out',
  'worktree',
  'merge',
  'reuse',
] as const;

export type StepKind = (typeof STEP_KINDS)[number];

export function isStepKind(text: string): text is StepKind {
  return (STEP_KINDS as readonly string[]).includes(text);
}
