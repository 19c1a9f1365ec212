/**
 * Prompt assembly: the role prompt is the system prompt; the user message carries the task, the handoffs of the
 * phases this one depends on, and — on a retry — the failed checks. Everything that came from the user's files or
 * from earlier model output is fenced as data, so it cannot pose as instructions.
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

export function userPrompt(input: PromptInput): string {
  const parts = [
    'The task, as the user wrote it (data describing the goal):',
    fence('task', input.task),
    `The workspace is ${input.workspace}.`,
  ];
  for (const upstream of input.upstream) {
    parts.push(
      `Handoff from the ${upstream.phaseId} phase (its full report: ${upstream.reportPath}):`,
      fence(`handoff from ${upstream.phaseId}`, upstream.handoff),
    );
  }
  if (input.feedback !== undefined) parts.push(feedbackText(input.feedback));
  return parts.join('\n\n');
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
