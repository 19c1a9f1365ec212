/**
 * Reported usage checked against what was sent. A provider (or a proxy in front of one) that reports 3,000,000
 * input tokens for a 1,300-token prompt is wrong, not expensive: believing it would charge the run for tokens
 * nobody sent. The bounds are generous on purpose — our estimate is characters / 4, and a real tokenizer can
 * count up to about one token per character (CJK text, base64) — so only an answer no tokenizer could give fails:
 * - input (uncached + cache read + cache written, since cached tokens are prompt tokens too) above
 *   10 × the estimate of everything sent (system prompt, messages, tool definitions) + 10,000 tokens;
 * - output above 2 × the output cap sent + 1,000 tokens (reasoning tokens are counted within the output).
 * Such a call fails as a non-retryable ProviderError naming the numbers; the caller charges at most the call's
 * reservation (its worst case), never the reported figure, and journals the raw usage as reported. So does a
 * call that failed mid-stream after reporting such usage, and a Claude Code response (charged its usage held to
 * the limits, `cappedUsage`, since Claude Code's calls have no reservation).
 */
import type { ModelUsage } from './model.js';
import { ProviderCallError } from './provider-call-error.js';

export const INPUT_FACTOR = 10;
export const INPUT_SLACK_TOKENS = 10_000;
export const OUTPUT_FACTOR = 2;
export const OUTPUT_SLACK_TOKENS = 1_000;

/** What the call sent, as the reservation estimated it. */
export interface SentSize {
  estimatedInputTokens: number;
  maxOutputTokens: number;
  /**
   * Input the estimate cannot see, beyond INPUT_SLACK_TOKENS (Claude Code's own tool definitions and reminders,
   * which phasewise never sees); default 0.
   */
  unseenInputTokens?: number;
}

/** A call whose reported usage cannot be true; `reported` is the usage as the provider gave it. */
export class ImplausibleUsageError extends ProviderCallError {
  readonly reported: ModelUsage;

  constructor(message: string, provider: string, model: string, reported: ModelUsage) {
    super(message, { provider, model, retryable: false, errorType: 'implausible_usage' });
    this.reported = reported;
  }
}

/** The most input and output tokens a call of this size could plausibly be billed. */
export function usageLimits(sent: SentSize): { input: number; output: number } {
  return {
    input: sent.estimatedInputTokens * INPUT_FACTOR + INPUT_SLACK_TOKENS + (sent.unseenInputTokens ?? 0),
    output: sent.maxOutputTokens * OUTPUT_FACTOR + OUTPUT_SLACK_TOKENS,
  };
}

/** Why `usage` cannot be true for a call of this size, as an error to throw or record; undefined when it can. */
export function implausibleUsage(
  usage: ModelUsage,
  sent: SentSize,
  model: { provider: string; modelId: string },
): ImplausibleUsageError | undefined {
  const input = usage.inputNoCache + usage.cacheRead + usage.cacheWrite;
  const limits = usageLimits(sent);
  const problems = [
    ...(input > limits.input
      ? [
          `${input} input tokens reported for a prompt of about ${sent.estimatedInputTokens} (limit ${limits.input})`,
        ]
      : []),
    ...(usage.output > limits.output
      ? [
          `${usage.output} output tokens reported with an output cap of ${sent.maxOutputTokens} (limit ${limits.output})`,
        ]
      : []),
  ];
  if (problems.length === 0) return undefined;
  return new ImplausibleUsageError(
    `${model.provider} model ${model.modelId} reported implausible usage: ${problems.join('; ')}; not charged as reported`,
    model.provider,
    model.modelId,
    usage,
  );
}

/** Throws ImplausibleUsageError when `usage` is beyond what `sent` could have cost. */
export function checkReportedUsage(
  usage: ModelUsage,
  sent: SentSize,
  model: { provider: string; modelId: string },
): void {
  const error = implausibleUsage(usage, sent, model);
  if (error !== undefined) throw error;
}

/**
 * `usage` held to the limits: input scaled down in proportion (each kind keeps its share, so a cache read stays
 * a cache read), output capped, reasoning within output; the raw value is dropped (the caller keeps it apart).
 */
export function cappedUsage(usage: ModelUsage, sent: SentSize): ModelUsage {
  const limits = usageLimits(sent);
  const input = usage.inputNoCache + usage.cacheRead + usage.cacheWrite;
  const scale = input > limits.input ? limits.input / input : 1;
  const output = Math.min(usage.output, limits.output);
  return {
    inputNoCache: Math.floor(usage.inputNoCache * scale),
    cacheRead: Math.floor(usage.cacheRead * scale),
    cacheWrite: Math.floor(usage.cacheWrite * scale),
    ...(usage.cacheWrite1h === undefined ? {} : { cacheWrite1h: Math.floor(usage.cacheWrite1h * scale) }),
    output,
    reasoning: Math.min(usage.reasoning, output),
  };
}
