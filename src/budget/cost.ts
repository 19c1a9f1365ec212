import { type Price, ratesFor } from './price-table.js';

/** Token counts as the budget reads them (the unified fields of the model contract's usage). */
export interface BilledTokens {
  inputNoCache: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h?: number;
  output: number;
}

const perToken = (usdPerMillion: number): number => usdPerMillion / 1_000_000;

/** Cost in USD of reported usage; reasoning tokens are already part of `output`. */
export function costOfUsage(
  tokens: BilledTokens,
  price: Price,
  /** `aggregate`: the usage is several requests' total (a session's settlement): no long-context tier applies. */
  scope: 'request' | 'aggregate' = 'request',
): number {
  const input = tokens.inputNoCache + tokens.cacheRead + tokens.cacheWrite;
  const rates = ratesFor(price, scope === 'aggregate' ? 0 : input);
  const write1h = tokens.cacheWrite1h ?? 0;
  const write5m = Math.max(0, tokens.cacheWrite - write1h);
  return (
    tokens.inputNoCache * perToken(rates.input) +
    tokens.cacheRead * perToken(rates.cacheRead) +
    write5m * perToken(rates.cacheWrite5m) +
    write1h * perToken(rates.cacheWrite1h) +
    tokens.output * perToken(rates.output)
  );
}

/**
 * Worst case of a call before it is made: every input token at the dearest input rate (a cache write can cost
 * more than plain input), every output token used, at the long-context rates when the input crosses into them.
 */
export function worstCaseCost(estimatedInputTokens: number, maxOutputTokens: number, price: Price): number {
  const rates = ratesFor(price, estimatedInputTokens);
  const inputRate = Math.max(rates.input, rates.cacheWrite5m, rates.cacheWrite1h);
  return estimatedInputTokens * perToken(inputRate) + maxOutputTokens * perToken(rates.output);
}

/** The largest output cap whose worst case fits in `availableUsd`, or 0 when even the input does not. */
export function affordableOutputTokens(
  estimatedInputTokens: number,
  availableUsd: number,
  price: Price,
): number {
  const inputCost = worstCaseCost(estimatedInputTokens, 0, price);
  if (inputCost > availableUsd) return 0;
  const outputRate = ratesFor(price, estimatedInputTokens).output;
  if (outputRate === 0) return Number.MAX_SAFE_INTEGER;
  return Math.floor((availableUsd - inputCost) / perToken(outputRate));
}

/** A rough token count for reservations and estimates only (never for billing): ~4 characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
