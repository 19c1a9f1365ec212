/**
 * The journal's step keys, built and parsed in one place. A key is a path: the phase, then the attempt, then
 * the turn or the Claude Code session, then the step (`research/a1/t3/model`). Keys are the replay's identity,
 * so what `stepKey` builds must never change: a journal written by an earlier version resumes only if its keys
 * are built again byte for byte (test/journal/step-keys.test.ts holds every form).
 *
 * Phase ids hold no `/` (the configuration allows letters, digits, `_ . -`; a review round adds `@N`), so the
 * first segment is always the phase. A fanned-out phase runs lanes inside it, each keyed under its own segment:
 * a work item's agent (`implementation/item-auth/a1/...`) and the turn that resolves the n-th merge's conflict
 * (`implementation/merge-2/a1/...`). Item ids are slugs, so `item-<id>` and `merge-<n>` never meet a phase-level
 * step (`snapshot`, `result`, `a<N>`, `fan-out`).
 */
import type { StepKind } from './step-kinds.js';

/** A lane of a fanned-out phase: one work item's agent, or the merge of the n-th finished item. */
export type Lane = { kind: 'item'; id: string } | { kind: 'merge'; index: number };

/** Where a step sits. */
export interface PhaseScope {
  phaseId: string;
  /** Set inside a lane of a fanned-out phase; absent for the phase itself. */
  lane?: Lane;
}
export interface AttemptScope extends PhaseScope {
  attempt: number;
}
export interface TurnScope extends AttemptScope {
  turn: number;
}
export interface SessionScope extends AttemptScope {
  session: number;
}

/** Every step the engine journals, by what it is and where it sits. */
export type StepKey =
  | (PhaseScope & { step: 'snapshot' | 'model-choice' | 'result' })
  /** A fanned-out phase's start: the commit its items start from and the items, as read from the plan. */
  | (PhaseScope & { step: 'fan-out' })
  /**
   * The phase's workspace as the phase leaves it, a commit no branch points at, recorded just before its result
   * when the run shares its workspace through checkpoints (runs on workers): a worker that takes the run over
   * on another machine starts from the latest such commit or turn checkpoint.
   */
  | (PhaseScope & { step: 'workspace' })
  /**
   * Whether the phase reused a cached result: the cache key its inputs hashed to and the entry found (or none),
   * recorded before the phase runs, so a resume replays the decision instead of looking the cache up again.
   */
  | (PhaseScope & { step: 'reuse' })
  /** A lane's work committed in its worktree (an item's branch, or a merge concluded after its turn). */
  | (PhaseScope & { step: 'lane-commit' })
  /** A merge lane's `git merge`: the commit it made, or the files in conflict. */
  | (PhaseScope & { step: 'merge' })
  | (AttemptScope & { step: 'attempt-start' | 'output' | 'gate' | 'decision' | 'review' })
  /** A judge call that failed after it was billed; `id` keeps each one apart. */
  | (AttemptScope & { step: 'judge-failed'; id: string })
  | (TurnScope & { step: 'model' })
  /** A model call that failed after it was billed. */
  | (TurnScope & { step: 'model-failed'; id: string })
  /** A tool call, by its position in the turn; journals of schema version 1 keyed it by the call id alone. */
  | (TurnScope & { step: 'tool'; index?: number; toolCallId: string })
  /**
   * A lane's worktree as its turn's tool calls left it, a commit no branch points at (fan-out lanes; and the
   * run's own workspace when it is shared through checkpoints): a worktree lost before a resume is made again
   * from the latest one, so the replayed writes are in it.
   */
  | (TurnScope & { step: 'checkpoint' })
  | (SessionScope & { step: 'session-start' | 'session-end' })
  /**
   * The `response`th model response of a Claude Code session (`m<N>`); `more` names a late frame of it that
   * added usage (`m<N>-more-<response id>`).
   */
  | (SessionScope & { step: 'session-response'; response: number; more?: string })
  /** A part of a session's settlement, by the name the session's end records (`rest-<model>`). */
  | (SessionScope & { step: 'session-settlement'; name: string });

export type StepName = StepKey['step'];

/** The kind each step is recorded with (what reports and the review loop select by). */
export const KIND_OF_STEP: Readonly<Record<StepName, StepKind>> = {
  snapshot: 'snapshot',
  'model-choice': 'model-choice',
  result: 'phase',
  'fan-out': 'fan-out',
  'lane-commit': 'worktree',
  workspace: 'worktree',
  reuse: 'reuse',
  merge: 'merge',
  'attempt-start': 'attempt',
  output: 'artifact',
  gate: 'gate',
  decision: 'decision',
  review: 'review',
  'judge-failed': 'judge-failed',
  model: 'model',
  'model-failed': 'model-failed',
  tool: 'tool',
  checkpoint: 'worktree',
  'session-start': 'session',
  'session-end': 'session',
  'session-response': 'model',
  'session-settlement': 'model',
};

const laneSegment = (lane: Lane): string =>
  lane.kind === 'item' ? `item-${lane.id}` : `merge-${lane.index}`;
const phasePath = (scope: PhaseScope): string =>
  scope.lane === undefined ? scope.phaseId : `${scope.phaseId}/${laneSegment(scope.lane)}`;
const attemptPath = (scope: AttemptScope): string => `${phasePath(scope)}/a${scope.attempt}`;
const turnPath = (scope: TurnScope): string => `${attemptPath(scope)}/t${scope.turn}`;
/** The prefix of every step of a Claude Code session (its transcript and charges are named after it). */
export const sessionPath = (scope: SessionScope): string =>
  `${attemptPath(scope)}/claude-code/s${scope.session}`;

export function stepKey(key: StepKey): string {
  switch (key.step) {
    case 'snapshot':
    case 'model-choice':
    case 'result':
    case 'fan-out':
    case 'merge':
      return `${phasePath(key)}/${key.step}`;
    case 'lane-commit':
      return `${phasePath(key)}/commit`;
    case 'workspace':
      return `${phasePath(key)}/workspace`;
    case 'reuse':
      return `${phasePath(key)}/reuse`;
    case 'attempt-start':
      return `${attemptPath(key)}/start`;
    case 'output':
    case 'gate':
    case 'decision':
    case 'review':
      return `${attemptPath(key)}/${key.step}`;
    case 'judge-failed':
      return `${attemptPath(key)}/judge-failed-${key.id}`;
    case 'model':
      return `${turnPath(key)}/model`;
    case 'checkpoint':
      return `${turnPath(key)}/checkpoint`;
    case 'model-failed':
      return `${turnPath(key)}/model/failed-${key.id}`;
    case 'tool':
      return `${turnPath(key)}/tool/${key.index === undefined ? '' : `${key.index}-`}${key.toolCallId}`;
    case 'session-start':
      return `${sessionPath(key)}/start`;
    case 'session-end':
      return `${sessionPath(key)}/end`;
    case 'session-response':
      return `${sessionPath(key)}/m${key.response}${key.more === undefined ? '' : `-more-${key.more}`}`;
    case 'session-settlement':
      return `${sessionPath(key)}/${key.name}`;
  }
}

/** The key and the kind a step is recorded under. */
export function stepAddress(key: StepKey): { key: string; kind: StepKind } {
  return { key: stepKey(key), kind: KIND_OF_STEP[key.step] };
}

/** What a recorded key names; `undefined` for a key no version of phasewise builds. */
export function parseStepKey(key: string): StepKey | undefined {
  const [phaseId, ...afterPhase] = key.split('/');
  if (phaseId === undefined || phaseId === '' || afterPhase.length === 0) return undefined;
  const lane = afterPhase.length > 1 ? parseLane(afterPhase[0]!) : undefined;
  const phase: PhaseScope = lane === undefined ? { phaseId } : { phaseId, lane };
  const rest = lane === undefined ? afterPhase : afterPhase.slice(1);
  const [first, ...afterAttempt] = rest;
  if (rest.length === 1 && (first === 'snapshot' || first === 'model-choice' || first === 'result'))
    return { ...phase, step: first };
  if (
    rest.length === 1 &&
    lane === undefined &&
    (first === 'fan-out' || first === 'workspace' || first === 'reuse')
  )
    return { ...phase, step: first };
  if (rest.length === 1 && lane !== undefined && first === 'commit') return { ...phase, step: 'lane-commit' };
  if (rest.length === 1 && lane?.kind === 'merge' && first === 'merge') return { ...phase, step: first };
  const attempt = numbered('a', first);
  if (attempt === undefined) return undefined;
  return parseInAttempt({ ...phase, attempt }, afterAttempt);
}

function parseLane(segment: string): Lane | undefined {
  const id = suffix(segment, 'item-');
  if (id !== undefined) return { kind: 'item', id };
  const index = numbered('merge-', segment);
  return index === undefined ? undefined : { kind: 'merge', index };
}

/**
 * The key a lane's step is recorded under: the same step as the phase would record it, inside the lane. A lane's
 * agent runs the phase's own code, which builds its keys as for the phase; its steps are moved into the lane here.
 */
export function inLane(key: string, lane: Lane): string {
  const parsed = parseStepKey(key);
  if (parsed === undefined || parsed.lane !== undefined)
    throw new Error(`engine bug: step key ${key} cannot be moved into a lane`);
  return stepKey({ ...parsed, lane });
}

function parseInAttempt(scope: AttemptScope, rest: string[]): StepKey | undefined {
  const [first, ...more] = rest;
  if (first === undefined) return undefined;
  if (more.length === 0) {
    if (first === 'start') return { ...scope, step: 'attempt-start' };
    if (first === 'output' || first === 'gate' || first === 'decision' || first === 'review')
      return { ...scope, step: first };
    const id = suffix(first, 'judge-failed-');
    return id === undefined ? undefined : { ...scope, step: 'judge-failed', id };
  }
  if (first === 'claude-code') return parseInSession(scope, more);
  const turn = numbered('t', first);
  return turn === undefined ? undefined : parseInTurn({ ...scope, turn }, more);
}

function parseInTurn(scope: TurnScope, rest: string[]): StepKey | undefined {
  const [first, ...more] = rest;
  if (first === 'model' && more.length === 0) return { ...scope, step: 'model' };
  if (first === 'checkpoint' && more.length === 0) return { ...scope, step: 'checkpoint' };
  if (first === 'model' && more.length === 1) {
    const id = suffix(more[0]!, 'failed-');
    return id === undefined ? undefined : { ...scope, step: 'model-failed', id };
  }
  if (first !== 'tool') return undefined;
  // A tool call id is the provider's: everything after the index's dash, slashes included.
  const call = more.join('/');
  const indexed = /^(0|[1-9]\d*)-(.*)$/s.exec(call);
  if (indexed !== null) return { ...scope, step: 'tool', index: Number(indexed[1]), toolCallId: indexed[2]! };
  return call === '' ? undefined : { ...scope, step: 'tool', toolCallId: call };
}

function parseInSession(scope: AttemptScope, rest: string[]): StepKey | undefined {
  const [first, ...names] = rest;
  const session = numbered('s', first);
  if (session === undefined || names.length === 0) return undefined;
  const name = names.join('/');
  const within = { ...scope, session };
  if (name === 'start') return { ...within, step: 'session-start' };
  if (name === 'end') return { ...within, step: 'session-end' };
  const response = /^m(0|[1-9]\d*)(?:-more-(.+))?$/s.exec(name);
  if (response === null) return { ...within, step: 'session-settlement', name };
  const late = response[2];
  const number = Number(response[1]);
  return {
    ...within,
    step: 'session-response',
    response: number,
    ...(late === undefined ? {} : { more: late }),
  };
}

/** `a3` → 3 for prefix `a`; a number as `${n}` writes it (no sign, no leading zero), else undefined. */
function numbered(prefix: string, segment: string | undefined): number | undefined {
  if (segment === undefined || !segment.startsWith(prefix)) return undefined;
  const digits = segment.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(digits) ? Number(digits) : undefined;
}

function suffix(segment: string, prefix: string): string | undefined {
  return segment.startsWith(prefix) && segment.length > prefix.length
    ? segment.slice(prefix.length)
    : undefined;
}
