import type { Price } from './price-table.js';

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
export function costOfUsage(tokens: BilledTokens, price: Price): number {
  const write1h = tokens.cacheWrite1h ?? 0;
  const write5m = Math.max(0, tokens.cacheWrite - write1h);
  return (
    tokens.inputNoCache * perToken(price.input) +
    tokens.cacheRead * perToken(price.cacheRead) +
    write5m * perToken(price.cacheWrite5m) +
    write1h * perToken(price.cacheWrite1h) +
    tokens.output * perToken(price.output)
  );
}

/** Worst case of a call before it is made: every input token at full price, every output token used. */
export function worstCaseCost(estimatedInputTokens: number, maxOutputTokens: number, price: Price): number {
  const inputRate = Math.max(price.input, price.cacheWrite5m);
  return estimatedInputTokens * perToken(inputRate) + maxOutputTokens * perToken(price.output);
}

/** The largest output cap whose worst case fits in `availableUsd`, or 0 when even the input does not. */
export function affordableOutputTokens(
  estimatedInputTokens: number,
  availableUsd: number,
  price: Price,
): number {
  const inputCost = worstCaseCost(estimatedInputTokens, 0, price);
  if (inputCost > availableUsd) return 0;
  if (price.output === 0) return Number.MAX_SAFE_INTEGER;
  return Math.floor((availableUsd - inputCost) / perToken(price.output));
}

/** A rough token count for reservations and estimates only (never for billing): ~4 characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
