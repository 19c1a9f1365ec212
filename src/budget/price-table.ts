/**
 * Pricing is data (DESIGN §2): USD per million tokens per model, each entry with where it came from and when;
 * the table as a whole has a version that every cost record names. Cache prices follow the vendor's
 * multipliers of the input price. A config's `pricing:` overrides an entry.
 */
import type { ProviderConfig } from '../config/types.js';

export interface Rates {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export interface Price extends Rates {
  /** Above this many input tokens in one request (cache reads and writes included), `rates` apply instead. */
  longContext?: { aboveInputTokens: number; rates: Rates };
}

export interface PriceEntry extends Price {
  source: string;
  asOf: string;
}

export const PRICE_TABLE_VERSION = '2026-11-01';

/** Anthropic: cache reads 0.1×, 5-minute writes 1.25×, 1-hour writes 2× the input price. */
function anthropic(input: number, output: number): Rates {
  return { input, output, cacheRead: input * 0.1, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2 };
}

/** OpenAI: automatic caching; writes cost the input price, reads the listed cached-input price. */
function openai(input: number, output: number, cacheRead: number): Rates {
  return { input, output, cacheRead, cacheWrite5m: input, cacheWrite1h: input };
}

const anthropicSource = {
  source: 'anthropic.com pricing page (API, per million tokens)',
  asOf: '2026-11-01',
};
const openaiSource = { source: 'openai.com API pricing page (standard tier)', asOf: '2026-11-01' };

export const priceTable: Readonly<Record<string, PriceEntry>> = {
  'claude-haiku-4-5': { ...anthropic(1, 5), ...anthropicSource },
  'claude-sonnet-4-5': {
    ...anthropic(3, 15),
    // Requests with more than 200K input tokens (1M-context beta) are billed at the long-context rates.
    longContext: { aboveInputTokens: 200_000, rates: anthropic(6, 22.5) },
    ...anthropicSource,
  },
  'claude-opus-4-5': { ...anthropic(5, 25), ...anthropicSource },
  'claude-opus-4-1': { ...anthropic(15, 75), ...anthropicSource },
  'gpt-5': { ...openai(1.25, 10, 0.125), ...openaiSource },
  'gpt-5-mini': { ...openai(0.25, 2, 0.025), ...openaiSource },
  'gpt-5-nano': { ...openai(0.05, 0.4, 0.005), ...openaiSource },
};

export interface PriceOverride {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
}

/**
 * The price of a model: the override when configured, else the table's entry (a dated snapshot suffix such as
 * `-20251001` is ignored), else undefined.
 */
export function lookupPrice(modelId: string, override?: PriceOverride): Price | undefined {
  if (override !== undefined) {
    return {
      input: override.input,
      output: override.output,
      cacheRead: override.cacheRead ?? override.input,
      cacheWrite5m: override.cacheWrite5m ?? override.input,
      cacheWrite1h: override.cacheWrite1h ?? override.cacheWrite5m ?? override.input,
    };
  }
  const entry = priceTable[modelId] ?? priceTable[modelId.replace(/-\d{8}$/, '')];
  if (entry === undefined) return undefined;
  const { source: _source, asOf: _asOf, ...price } = entry;
  return price;
}

/** The rates that apply to a request with this many input tokens. */
export function ratesFor(price: Price, inputTokens: number): Rates {
  return price.longContext !== undefined && inputTokens > price.longContext.aboveInputTokens
    ? price.longContext.rates
    : price;
}

/**
 * The price of `provider:model` among configured providers: the provider's override, else the table, else
 * undefined (an unknown provider or model).
 */
export function priceOfRef(
  providers: Readonly<Record<string, ProviderConfig>>,
  ref: string,
): Price | undefined {
  const colon = ref.indexOf(':');
  const modelId = ref.slice(colon + 1);
  return lookupPrice(modelId, providers[ref.slice(0, colon)]?.pricing[modelId]);
}

export const freePrice: Price = { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
