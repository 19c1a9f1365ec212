/** What a gate is evaluated on, and the services it is given instead of reaching for them itself. */
import type { SandboxSettings } from '../config/types.js';
import type { RestoredPath } from '../tools/governing-fingerprint.js';
import type { GroupCommandOptions, GroupCommandResult } from '../tools/process-group.js';
import type { Redactor } from '../util/redact.js';

export interface GateInput {
  /** The phase report the agent produced. */
  output: string;
  /** Section headings the role must deliver. */
  deliverables: string[];
  costUsd: number;
  costLimitUsd: number;
  /** Absolute path of the workspace the phase worked in. */
  workspace: string;
  /** Workspace paths the attempt added, changed or deleted (`changedSince`), or null when not measured. */
  changedPaths: string[] | null;
  /** Paths that changed meanwhile but not by the phase (another process, the run's own output): not counted. */
  changedByOthers?: string[];
}

export interface JudgeRequest {
  /** The criteria, each scored 0–1. */
  rubric: string[];
  report: string;
  /** A tier name or `provider:model`, as configured. */
  model?: string;
}

export interface JudgeCriterionScore {
  criterion: string;
  score: number;
  reason: string;
}

export interface JudgeVerdict {
  /** Mean of the criteria's scores. */
  score: number;
  criteria: JudgeCriterionScore[];
  /** The model that judged, `provider:model`. */
  model: string;
  /** `rubricVersion(rubric)`: which rubric text the scores are for. */
  rubricVersion: string;
}

/** Builds on `judgePrompt` and `parseJudgeAnswer`; throws when the model fails or its answer is unusable. */
export type JudgeService = (request: JudgeRequest) => Promise<JudgeVerdict>;

/** A command's result; `restored` lists what a command run without the sandbox changed and phasewise put back. */
export type CommandRunner = (
  options: GroupCommandOptions,
) => Promise<GroupCommandResult & { restored?: RestoredPath[] }>;

export interface GateServices {
  /** The phase's signal: a command check is stopped with it, and an aborted gate throws its reason. */
  abortSignal: AbortSignal;
  /** Hides secrets in evidence that quotes the workspace (command output). */
  redactor?: Redactor;
  /** Needed only by `judge` checks. */
  judge?: JudgeService;
  /** Runs `command` checks; `runInProcessGroup` inside the sandbox (`tools/sandbox.ts`) by default. */
  runCommand?: CommandRunner;
  /** How the default runner confines commands (default: bubblewrap when available, no network). */
  sandbox?: SandboxSettings;
  /** The environment commands get; the process's, minus secret-looking variables, by default. */
  env?: Record<string, string | undefined>;
  /** Runs a check that may change the workspace (`command`, `custom`) as a window of the phase's own changes. */
  changeWindow?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Told when a command check changed the governing files or git metadata and they were put back. */
  onRestored?: (command: string, restored: RestoredPath[]) => void;
}

/** What a single check decides; the gate adds name, kind, weight, required and passed. */
export interface CheckOutcome {
  score: number;
  message: string;
  evidence?: unknown;
}
