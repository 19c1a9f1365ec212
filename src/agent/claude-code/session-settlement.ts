/**
 * What a Claude Code session's result leaves to charge once its responses are charged.
 *
 * The rule. A long-context tier applies to one request, by that request's own input size, never to a session's
 * aggregate. Every response the stream showed is charged on its own, at its own tier (session-charges.ts), and is
 * never priced again here. The result's totals — `modelUsage` per model (every call Claude Code made), else
 * `usage` (the main loop's calls) — minus what those charges already hold is the remainder: calls Claude Code made
 * without streaming them (compaction, helpers, a call cut off mid-response) and output the snapshots understated.
 * Their individual sizes are unknown, so the remainder is priced at the model's base rates. That is exact whenever
 * none of those calls crossed the tier's threshold: certain when the remainder's input is below it, or when the
 * model's context window (`modelUsage[…].contextWindow`) is not larger than it; only an unseen call above it, on
 * a 1M-context model, would be charged its long-context premium short. Each model is priced as its own
 * (`priceOf`): a helper Claude Code ran on Haiku is not charged at the session model's rates.
 */
import { costOfUsage } from '../../budget/cost.js';
import type { Price } from '../../budget/price-table.js';
import { noTokens } from '../../events/index.js';
import type { ModelUsage } from '../../provider/model.js';
import {
  type AnthropicUsage,
  isEmptyUsage,
  modelFamily,
  type ResponseUsage,
  type SessionModelUsage,
  usageBeyond,
  usageOfModelTotal,
  usageOfResponse,
} from './usage.js';

export interface Settlement {
  /** The journal step's name within the session (`rest-<model>`, `rest-cache-lifetime`). */
  name: string;
  modelId: string;
  usage: ModelUsage;
  costUsd: number;
}

/** A price without its long-context tier: the rates of a request below the threshold. */
export function baseRates(price: Price): Price {
  const { longContext: _longContext, ...base } = price;
  return base;
}

/**
 * The remainder of each total beyond what was charged, at base rates; then the cache lifetime Claude Code's own
 * figure reveals when nothing else says it (`lifetimeSettlement`).
 * @param sessionModel the model the session was asked for: `usage`, which names none, is that model's
 */
export function settlementOf(
  result: Record<string, unknown>,
  charged: ResponseUsage,
  chargedUsd: number,
  priceOf: (model: string) => Price,
  sessionModel: string,
): Settlement[] {
  const settlements: Settlement[] = [];
  for (const total of totalsOf(result, charged, sessionModel)) {
    const rest = usageBeyond(total.usage, total.charged);
    if (isEmptyUsage(rest)) continue;
    const costUsd = costOfUsage(rest, baseRates(priceOf(total.model)));
    settlements.push({ name: `rest-${total.model}`, modelId: total.model, usage: rest, costUsd });
  }
  const spent = chargedUsd + settlements.reduce((sum, settlement) => sum + settlement.costUsd, 0);
  const lifetime = lifetimeSettlement(result, charged, spent, priceOf, sessionModel);
  return lifetime === undefined ? settlements : [...settlements, lifetime];
}

interface Total {
  model: string;
  usage: ModelUsage;
  /** What the responses already charged of it. */
  charged: ModelUsage;
}

function totalsOf(result: Record<string, unknown>, charged: ResponseUsage, sessionModel: string): Total[] {
  const perModel = modelUsageOf(result);
  if (perModel !== undefined) {
    return Object.entries(perModel).map(([model, total]) => ({
      model,
      usage: usageOfModelTotal(total),
      charged: charged.totalFor(total.canonicalModel ?? model),
    }));
  }
  // No per-model totals (older Claude Code versions): `usage` is the main loop's, every response of the session.
  const usage = result.usage as AnthropicUsage | undefined;
  if (usage === undefined || usage === null || typeof usage !== 'object') return [];
  const models = [...charged.models()];
  const model = models.length === 1 ? models[0]! : sessionModel;
  return [{ model, usage: usageOfResponse(usage), charged: charged.total() }];
}

function modelUsageOf(result: Record<string, unknown>): Record<string, SessionModelUsage> | undefined {
  const perModel = result.modelUsage;
  if (perModel === undefined || perModel === null || typeof perModel !== 'object') return undefined;
  return Object.keys(perModel).length === 0 ? undefined : (perModel as Record<string, SessionModelUsage>);
}

/**
 * Claude Code's `total_cost_usd` is its own estimate at the prices built into that CLI version — a model it does
 * not know priced at a guess, no `pricing:` override, "an estimate, not a billing statement" — so it is never
 * charged (it is kept as `claudeCodeCostUsd`). It is trusted for one thing only: when neither the result nor any
 * response says how long the session's cache writes live, and the session used one model, a figure that equals
 * phasewise's price of the same tokens with exactly n of those writes at the 1-hour rate says they were 1-hour
 * writes, so the 1-hour premium on them is charged. A figure that matches no whole n (other prices, other calls)
 * says nothing, and the writes stay at the 5-minute rate.
 */
function lifetimeSettlement(
  result: Record<string, unknown>,
  charged: ResponseUsage,
  spentUsd: number,
  priceOf: (model: string) => Price,
  sessionModel: string,
): Settlement | undefined {
  const claudeCodeUsd = result.total_cost_usd;
  if (typeof claudeCodeUsd !== 'number' || lifetimeReported(result, charged)) return undefined;
  const totals = totalsOf(result, charged, sessionModel);
  const models = new Set([...charged.models(), ...totals.map((total) => modelFamily(total.model))]);
  if (models.size !== 1) return undefined;
  const writes = totals.reduce(
    (sum, total) => sum + Math.max(total.usage.cacheWrite, total.charged.cacheWrite),
    0,
  );
  const model = totals[0]?.model ?? sessionModel;
  const price = priceOf(model);
  const premium = (price.cacheWrite1h - price.cacheWrite5m) / 1_000_000;
  if (premium <= 0 || writes === 0) return undefined;
  const oneHour = (claudeCodeUsd - spentUsd) / premium;
  const whole = Math.round(oneHour);
  if (whole < 1 || whole > writes || Math.abs(oneHour - whole) > 1e-3) return undefined;
  const usage: ModelUsage = noTokens();
  return { name: 'rest-cache-lifetime', modelId: model, usage, costUsd: whole * premium };
}

/** Whether anything in the session said how long its cache writes live (a split, even an all-5-minute one). */
function lifetimeReported(result: Record<string, unknown>, charged: ResponseUsage): boolean {
  const usage = result.usage as AnthropicUsage | undefined;
  if (usage?.cache_creation !== undefined && usage?.cache_creation !== null) return true;
  const perModel = Object.values(modelUsageOf(result) ?? {});
  if (
    perModel.some(
      (total) =>
        total.cacheCreationEphemeral1hInputTokens !== undefined ||
        total.cacheCreationEphemeral5mInputTokens !== undefined,
    )
  )
    return true;
  return (charged.total().cacheWrite1h ?? 0) > 0;
}
