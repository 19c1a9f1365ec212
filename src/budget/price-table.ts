/**
 * Pricing is data (DESIGN §2): USD per million tokens, with the table's version on every cost record.
 * Prices from the vendors' public price pages on the date of the version; a config's `pricing:` overrides them.
 */
export interface Price {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export const PRICE_TABLE_VERSION = '2026-11-01';

interface PriceEntry extends Price {
  source: string;
}

const anthropic = (input: number, output: number): PriceEntry => ({
  input,
  output,
  cacheRead: input * 0.1,
  cacheWrite5m: input * 1.25,
  cacheWrite1h: input * 2,
  source: 'Anthropic pricing page',
});

const openai = (input: number, output: number, cacheRead: number): PriceEntry => ({
  input,
  output,
  cacheRead,
  cacheWrite5m: input,
  cacheWrite1h: input,
  source: 'OpenAI pricing page',
});

const table: Record<string, PriceEntry> = {
  'claude-haiku-4-5': anthropic(1, 5),
  'claude-sonnet-4-5': anthropic(3, 15),
  'claude-opus-4-5': anthropic(5, 25),
  'claude-opus-4-1': anthropic(15, 75),
  'gpt-5': openai(1.25, 10, 0.125),
  'gpt-5-mini': openai(0.25, 2, 0.025),
  'gpt-5-nano': openai(0.05, 0.4, 0.005),
};

export interface PriceOverride {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
}

/** The price of a model: the override when configured, else the table's entry, else undefined. */
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
  const entry = table[modelId];
  if (entry === undefined) return undefined;
  const { source: _source, ...price } = entry;
  return price;
}

export const freePrice: Price = { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
