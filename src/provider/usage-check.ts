/**
 * Reported usage checked against what was sent. A provider (or a proxy in front of one) that reports 3,000,000
 * input tokens for a 1,300-token prompt is wrong, not expensive: believing it would charge the run for tokens
 * nobody sent. The bounds are generous on purpose — our estimate is characters / 4, and a real tokenizer can
 * count up to about one token per character (CJK text, base64) — so only an answer no tokenizer could give fails:
 * - input (uncached + cache read + cache written, since cached tokens are prompt tokens too) above
 *   10 × the estimate of everything sent (system prompt, messages, tool definitions) + 10,000 tokens;
 * - output above 2 × the output cap sent + 1,000 tokens (reasoning tokens are counted within the output).
 * Such a call fails as a non-retryable ProviderError naming the numbers; the caller charges at most the call's
 * reservation (its worst case), never the reported figure, and journals the raw usage as reported.
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
}

/** A call whose reported usage cannot be true; `reported` is the usage as the provider gave it. */
export class ImplausibleUsageError extends ProviderCallError {
  readonly reported: ModelUsage;

  constructor(message: string, provider: string, model: string, reported: ModelUsage) {
    super(message, { provider, model, retryable: false, errorType: 'implausible_usage' });
    this.reported = reported;
  }
}

/** Throws ImplausibleUsageError when `usage` is beyond what `sent` could have cost. */
export function checkReportedUsage(
  usage: ModelUsage,
  sent: SentSize,
  model: { provider: string; modelId: string },
): void {
  const input = usage.inputNoCache + usage.cacheRead + usage.cacheWrite;
  const inputLimit = sent.estimatedInputTokens * INPUT_FACTOR + INPUT_SLACK_TOKENS;
  const outputLimit = sent.maxOutputTokens * OUTPUT_FACTOR + OUTPUT_SLACK_TOKENS;
  const problems = [
    ...(input > inputLimit
      ? [
          `${input} input tokens reported for a prompt of about ${sent.estimatedInputTokens} (limit ${inputLimit})`,
        ]
      : []),
    ...(usage.output > outputLimit
      ? [
          `${usage.output} output tokens reported with an output cap of ${sent.maxOutputTokens} (limit ${outputLimit})`,
        ]
      : []),
  ];
  if (problems.length === 0) return;
  throw new ImplausibleUsageError(
    `${model.provider} model ${model.modelId} reported implausible usage: ${problems.join('; ')}; not charged as reported`,
    model.provider,
    model.modelId,
    usage,
  );
}
