/**
 * Prompt assembly: the role prompt is the system prompt; the opening user turn carries, first, what every attempt
 * and lane of the phase is told alike — the task and the handoffs of the phases this one depends on (`context`) —
 * and then what is this attempt's own: the workspace, a lane's part, and on a retry the failed checks
 * (`instructions`). Sent as two messages, the first is a prefix the provider caches once for all of them
 * (provider/convert-prompt.ts). Everything that came from the user's files or from earlier model output is fenced
 * as data, so it cannot pose as instructions.
 */
import type { AgentDefinition } from '../config/types.js';
import type { CheckResult } from '../gate/gate.js';
import { fenceData as fence } from './data-fence.js';

export interface UpstreamHandoff {
  phaseId: string;
  handoff: string;
  reportPath: string;
}

export interface PromptInput {
  agent: AgentDefinition;
  task: string;
  workspace: string;
  upstream: UpstreamHandoff[];
  /** A lane's own part of the task (phase-spec.ts), after the workspace. */
  part?: string;
  /** The failed checks of the previous attempt, on a retry or escalation. */
  feedback?: {
    attempt: number;
    score: number;
    threshold: number;
    checks: CheckResult[];
    stopped?: string | null;
    /** A reviewer's words, when a person rejected the previous attempt. */
    person?: string | null;
  };
  deliverables: string[];
}

export function systemPrompt(agent: AgentDefinition, deliverables: string[]): string {
  const sections = deliverables.map((section) => `## ${section}`).join('\n');
  return `${agent.prompt.trim()}\n\nEnd with your report in Markdown, with these sections:\n${sections}`;
}

/** The opening user turn in its two parts: the same for every attempt and lane, then this attempt's own. */
export interface PromptParts {
  context: string;
  instructions: string;
}

export function promptParts(input: PromptInput): PromptParts {
  const context = ['The task, as the user wrote it (data describing the goal):', fence('task', input.task)];
  for (const upstream of input.upstream) {
    context.push(
      `Handoff from the ${upstream.phaseId} phase (its full report: ${upstream.reportPath}):`,
      fence(`handoff from ${upstream.phaseId}`, upstream.handoff),
    );
  }
  const instructions = [`The workspace is ${input.workspace}.`];
  if (input.part !== undefined) instructions.push(input.part);
  if (input.feedback !== undefined) instructions.push(feedbackText(input.feedback));
  return { context: context.join('\n\n'), instructions: instructions.join('\n\n') };
}

/** The opening user turn as one text (what `estimate` counts). */
export function userPrompt(input: PromptInput): string {
  const { context, instructions } = promptParts(input);
  return `${context}\n\n${instructions}`;
}

function feedbackText(feedback: NonNullable<PromptInput['feedback']>): string {
  if (feedback.person !== undefined && feedback.person !== null) {
    return [
      `A reviewer read your previous attempt (${feedback.attempt}) and sent it back with this feedback:`,
      fence('reviewer feedback', feedback.person),
      'Address it and answer with a complete report.',
    ].join('\n');
  }
  const failed = feedback.checks.filter((check) => !check.passed);
  const lines = failed.flatMap((check) => {
    const line = `- ${check.name} (${check.score.toFixed(2)}): ${check.message}`;
    const output = commandOutput(check);
    return output === undefined
      ? [line]
      : [line, `  The end of its output:`, fence(`output of ${check.name}`, output)];
  });
  return [
    `Your previous attempt (${feedback.attempt}) did not pass the quality gate: score ${feedback.score.toFixed(2)},`,
    `threshold ${feedback.threshold.toFixed(2)}. Fix these and answer with a complete report:`,
    ...lines,
    ...(feedback.stopped === undefined || feedback.stopped === null
      ? []
      : [`- the attempt was stopped early: ${feedback.stopped}`]),
  ].join('\n');
}

/** Feedback keeps the end of a failed command's output (where test runners summarise failures), at most this much. */
export const FEEDBACK_OUTPUT_CHARS = 2_000;

/** The redacted output tail a failed `command` check kept as evidence, shortened for the prompt. */
function commandOutput(check: CheckResult): string | undefined {
  if (check.kind !== 'command' || typeof check.evidence !== 'object' || check.evidence === null)
    return undefined;
  const output = (check.evidence as { outputTail?: unknown }).outputTail;
  if (typeof output !== 'string' || output.trim() === '') return undefined;
  return output.length <= FEEDBACK_OUTPUT_CHARS ? output : `…${output.slice(-FEEDBACK_OUTPUT_CHARS)}`;
}
